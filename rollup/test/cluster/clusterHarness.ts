import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/cli/freePort.ts';
import {
  localValidatorAddr,
  localValidatorArgs,
  spawnValidator,
  type ValidatorProcess,
} from '../../src/cli/spawnValidator.ts';
import { type Ed25519KeyPair, generateEd25519, privateKeyToPem } from '../../src/crypto/ed25519.ts';
import { defaultGenesis, type Genesis } from '../../src/genesis/genesis.ts';
import { peerIdOfValidator } from '../../src/p2p/createP2pNode.ts';
import { toHex } from '../../src/utils/hex.ts';
import { rpcCall } from '../helpers/rpc.ts';

/** Slot pace of cluster tests: 200 ms slots of 8 ticks (the protocol is the same, only faster). */
const SLOT_MS = 200;

export interface NodeStatus {
  readonly slot: number;
  readonly confirmedSlot: number;
  readonly finalizedSlot: number;
  readonly lastVotedSlot: number | null;
  readonly peers: number;
  readonly evidence: number;
  readonly partitionedSince: number | null;
}

/**
 * N validator processes (`moltbook-node run`) on loopback with a shared genesis, each started
 * with every other one's multiaddr: what a cluster test drives. Kill and restart keep the data
 * directory, as an operator's restart would.
 */
export class Cluster {
  readonly dir: string;
  readonly keys: Ed25519KeyPair[];
  readonly genesis: Genesis;
  readonly funded: Ed25519KeyPair;
  /** A second funded account (transfers on both sides of a partition). */
  readonly funded2: Ed25519KeyPair;
  /**
   * Signer keys of identities 1 and 2 (100 MOLT staked each, 1,000 MOLT to spend), who post,
   * reply and vote in the genesis community `dev`.
   */
  readonly agents: readonly [Ed25519KeyPair, Ed25519KeyPair];
  readonly #genesisPath: string;
  readonly #ports: number[];
  readonly #procs: (ValidatorProcess | null)[];
  readonly #urls: string[];
  readonly #extraArgs: (i: number) => string[];
  /** Set by stop(): a wait still polling (its test timed out) ends instead of spinning forever. */
  #stopped = false;

  private constructor(n: number, ports: number[], extraArgs: (i: number) => string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'molt-cluster-'));
    this.keys = Array.from({ length: n }, () => generateEd25519());
    this.funded = generateEd25519();
    this.funded2 = generateEd25519();
    this.agents = [generateEd25519(), generateEd25519()];
    this.genesis = defaultGenesis(
      this.keys.map((k) => ({ pubkey: toHex(k.publicKey), stake: '1000000' })),
      {
        hashesPerTick: 500,
        ticksPerSlot: 8,
        slotsPerEpoch: 1_000,
        accounts: [
          { pubkey: toHex(this.funded.publicKey), balance: '1000000000000' },
          { pubkey: toHex(this.funded2.publicKey), balance: '1000000000000' },
          ...this.agents.map((k) => ({ pubkey: toHex(k.publicKey), balance: '1000000000' })),
        ],
        identities: this.agents.map((k, i) => ({
          id: String(i + 1),
          stake: '100000000',
          signers: [toHex(k.publicKey)],
        })),
        communities: ['dev'],
      },
    );
    this.#genesisPath = join(this.dir, 'genesis.json');
    writeFileSync(this.#genesisPath, JSON.stringify(this.genesis));
    for (const [i, k] of this.keys.entries()) {
      mkdirSync(join(this.dir, `v${i}`), { recursive: true });
      writeFileSync(join(this.dir, `v${i}.pem`), privateKeyToPem(k.privateKey), { mode: 0o600 });
    }
    this.#ports = ports;
    this.#procs = this.keys.map(() => null);
    this.#urls = this.keys.map(() => '');
    this.#extraArgs = extraArgs;
  }

  static async start(n: number, extraArgs: (i: number) => string[] = () => []): Promise<Cluster> {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) ports.push(await freePort());
    const c = new Cluster(n, ports, extraArgs);
    await Promise.all(c.keys.map((_, i) => c.startNode(i)));
    return c;
  }

  #addr(i: number): string {
    return localValidatorAddr(this.#ports[i] as number, (this.keys[i] as Ed25519KeyPair).publicKey);
  }

  /** (Re)starts validator i on its data directory; resolves when its RPC answers. */
  async startNode(i: number): Promise<void> {
    const proc = spawnValidator({
      args: [
        ...localValidatorArgs({
          genesisPath: this.#genesisPath,
          keyPath: join(this.dir, `v${i}.pem`),
          dataDir: join(this.dir, `v${i}`),
          p2pPort: this.#ports[i] as number,
          slotMs: SLOT_MS,
          peers: this.keys.flatMap((_, j) => (j === i ? [] : [this.#addr(j)])),
        }),
        ...this.#extraArgs(i),
      ],
    });
    this.#procs[i] = proc;
    this.#urls[i] = (await proc.ready).rpcUrl;
  }

  url(i: number): string {
    return this.#urls[i] as string;
  }

  output(i: number): string {
    return this.#procs[i]?.output() ?? '';
  }

  async status(i: number): Promise<NodeStatus> {
    return (await rpcCall(this.url(i), 'getStatus', [])) as NodeStatus;
  }

  /** Polls every 100 ms until `cond` holds (the test runner's timeout bounds the wait). */
  async waitUntil(what: string, cond: () => Promise<boolean>): Promise<void> {
    for (;;) {
      if (this.#stopped) throw new Error(`the cluster stopped while waiting for ${what}`);
      try {
        if (await cond()) return;
      } catch {
        // A node restarting does not answer for a moment.
      }
      await new Promise((r) => setTimeout(r, 100));
      if (
        this.#procs.some((p) => p !== null && p.child.exitCode !== null && p.child.exitCode !== 0)
      )
        throw new Error(`a validator exited while waiting for ${what}`);
    }
  }

  /** Waits until every running node in `nodes` has finalized at least `slot`. */
  async waitFinalized(slot: number, nodes: readonly number[] = this.running()): Promise<void> {
    await this.waitUntil(`finalized ≥ ${slot}`, async () => {
      const st = await Promise.all(nodes.map((i) => this.status(i)));
      return st.every((s) => s.finalizedSlot >= slot);
    });
  }

  /** Cuts the network into `groups` (needs `--admin-rpc`): nodes block every peer outside theirs. */
  async partition(groups: readonly (readonly number[])[]): Promise<void> {
    const peerId = (j: number) => peerIdOfValidator((this.keys[j] as Ed25519KeyPair).publicKey);
    await Promise.all(
      groups.flatMap((g) =>
        g.map((i) =>
          rpcCall(this.url(i), 'admin_blockPeers', [
            this.keys.flatMap((_, j) => (g.includes(j) ? [] : [peerId(j)])),
          ]),
        ),
      ),
    );
  }

  async heal(): Promise<void> {
    await Promise.all(this.keys.map((_, i) => rpcCall(this.url(i), 'admin_blockPeers', [[]])));
  }

  running(): number[] {
    return this.#procs.flatMap((p, i) =>
      p !== null && p.child.exitCode === null && p.child.signalCode === null ? [i] : [],
    );
  }

  /** SIGKILL: no shutdown path runs; the store must survive as LevelDB's log left it. */
  async kill(i: number): Promise<void> {
    const p = this.#procs[i];
    if (p === null || p === undefined) return;
    p.child.kill('SIGKILL');
    await p.exited;
    this.#procs[i] = null;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(
      this.#procs.map(async (p) => {
        if (p === null) return;
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
        await p.exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

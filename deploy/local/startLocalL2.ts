import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import type { NetworkHooks } from 'hardhat/types/hooks';
import type { NetworkConnection } from 'hardhat/types/network';
import hardhatConfig from '../../hardhat.config.ts';
import MoltbookModule from '../ignition/modules/Moltbook.ts';

/**
 * Every Ignition module the local L2 deploys, in dependency order. A new contract gets its module
 * in deploy/ignition/modules/ and one entry here; the names its module returns become keys of
 * `LocalL2.contracts`.
 */
const MODULES = [MoltbookModule] as const;

/** The repository root, whatever the caller's cwd: Hardhat resolves contracts/ and artifacts/ here. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The `hardhat.config.ts` network served: the OP-Stack chain type, as the production L2. */
const L2_NETWORK = 'op';

export interface StartLocalL2Options {
  /** Interface to listen on; default 127.0.0.1. */
  hostname?: string;
  /** TCP port; 0 picks a free one (see `LocalL2.rpcUrl` for the one chosen). */
  port: number;
  /** Receives one human-readable line per step. */
  log?: (line: string) => void;
}

export interface LocalL2 {
  /** HTTP JSON-RPC endpoint of the chain, with the real port. */
  rpcUrl: string;
  chainId: number;
  chainType: 'op';
  /** Deployed addresses by contract name (the keys the Ignition modules return). */
  contracts: Record<string, `0x${string}`>;
  /** The chain's funded, unlocked accounts; the first one deployed everything and is admin. */
  accounts: readonly `0x${string}`[];
  /** Hardhat's viem helpers on the served chain (contract instances, wallet clients). */
  viem: NetworkConnection<'op'>['viem'];
  /** Stops serving and frees the chain; the process can exit afterwards. */
  close(): Promise<void>;
}

/** The port asked for is taken (or the caller may not bind it); nothing was left running. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly port: number;

  constructor(port: number, hostname: string, options?: ErrorOptions) {
    super(
      `port ${port} is already in use on ${hostname}; pass --l2-port <n> or stop the other process`,
      options,
    );
    this.port = port;
  }
}

/**
 * Starts Hardhat's in-process EDR chain of the `op` chain type, serves it over HTTP JSON-RPC (the
 * same server `hardhat node` uses) and deploys every module of `MODULES` to it with Ignition.
 * Compiles first if contracts changed. Rejects with `PortInUseError` if the port is taken.
 */
export async function startLocalL2(opts: StartLocalL2Options): Promise<LocalL2> {
  const hostname = opts.hostname ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  // Fail fast, before the seconds spent compiling and creating the chain.
  await assertCanListen(hostname, opts.port);

  const hre = await createHardhatRuntimeEnvironment(hardhatConfig, {}, PROJECT_ROOT);
  await hre.tasks.getTask('build').run({ quiet: true, noTests: true });

  // `createServer` creates its own connection to the chain and keeps it private; catching that
  // connection as it is made lets Ignition deploy in-process to exactly the chain being served.
  let served: NetworkConnection<string> | undefined;
  const capture: Partial<NetworkHooks> = {
    newConnection: async (context, next) => {
      const connection = await next(context);
      served ??= connection;
      return connection;
    },
  };
  hre.hooks.registerHandlers('network', capture);
  let server: Awaited<ReturnType<typeof hre.network.createServer>>;
  try {
    server = await hre.network.createServer(
      { network: L2_NETWORK, chainType: 'op' },
      hostname,
      opts.port,
    );
  } finally {
    hre.hooks.unregisterHandlers('network', capture);
  }
  const connection = served;
  if (connection === undefined) throw new Error('the served chain opened no network connection');

  // Hardhat's server gives no 'error' handler to its HTTP server, so a failed listen would become
  // an uncaught exception: check again right before listening that it will succeed.
  try {
    await assertCanListen(hostname, opts.port);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const address = await server.listen();
  const close = async () => {
    await server.close();
    await connection.close();
  };

  try {
    const rpcUrl = `http://${urlHost(address.address)}:${address.port}`;
    const chainId = Number(await connection.provider.request({ method: 'eth_chainId' }));
    log(`L2 (chain type op, chain id ${chainId}) serving JSON-RPC at ${rpcUrl}`);

    const contracts: Record<string, `0x${string}`> = {};
    for (const ignitionModule of MODULES) {
      // Typed loosely on purpose: this file then type-checks even before `hardhat build` has
      // generated the artifact types that name each module's contracts.
      const deployed: Record<string, { address: `0x${string}` }> =
        await connection.ignition.deploy(ignitionModule);
      for (const [name, contract] of Object.entries(deployed)) {
        contracts[name] = contract.address;
        log(`deployed ${name} at ${contract.address}`);
      }
    }

    const accounts = (await connection.provider.request({
      method: 'eth_accounts',
    })) as `0x${string}`[];
    return {
      rpcUrl,
      chainId,
      chainType: 'op',
      contracts,
      accounts,
      viem: (connection as NetworkConnection<'op'>).viem,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves if `hostname:port` can be bound now; port 0 always can. */
async function assertCanListen(hostname: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(port, hostname, { cause: error }) : error,
      );
    });
    probe.listen({ host: hostname, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** The host part of a URL for a listening address: IPv6 in brackets, any-address as loopback. */
function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * `npm run ceremony -w @moltbook/circuits [-- --force | --verify]` — the LOCAL trusted setup of
 * the membership circuit (docs/privacy.md), written to circuits/ceremony/membership/ and pinned in
 * its manifest.json:
 *
 *   1. compile circuits/membership.circom (cached in circuits/build/);
 *   2. phase 1, powers of tau generated here: new accumulator of 2^13, one contribution, prepare
 *      phase 2 (~2 min; cached in circuits/build/ptau/ by power, label and snarkjs version, so a
 *      circuit change redoes only phase 2);
 *   3. phase 2: zkey new, two contributions with fresh random entropy, a closing random beacon,
 *      `zkey verify` against the r1cs and the ptau;
 *   4. the verification key, the generated Solidity verifier and PoseidonT3
 *      (scripts/generateContracts.ts), the manifest with the sha256 of every artifact, and a
 *      fresh real proof for the forge tests (test/contracts/privacy/MembershipProofFixture.sol).
 *
 * When the manifest already pins the circuit as compiled now and the committed keys, nothing is
 * redone (`--force` runs a new ceremony anyway). `--verify` only replays `snarkjs zkey verify` of
 * the committed zkey against the r1cs and the cached ptau the manifest names (present on the
 * machine that ran the ceremony; production verifies against the public ptau instead).
 *
 * The toxic waste of every contribution is random and dropped at once, but one operator ran the
 * whole thing: the keys are for tests and development only.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as snarkjs from 'snarkjs';
import { sha256File } from '../src/artifactManifest.ts';
import { CircuitsError } from '../src/circuitsError.ts';
import { compileCircuit } from '../src/compileCircuit.ts';
import { DEFAULT_BUILD_DIR } from '../src/defaultBuildDir.ts';
import {
  assertPinned,
  CEREMONY_MANIFEST_FILE,
  loadMembershipArtifacts,
  MEMBERSHIP_CEREMONY_DIR,
  MEMBERSHIP_PINS,
  MEMBERSHIP_PUBLIC_SIGNALS,
  MEMBERSHIP_SOURCE,
  MEMBERSHIP_TREE_DEPTH,
  MEMBERSHIP_VKEY_FILE,
  MEMBERSHIP_ZKEY_FILE,
  type MembershipCeremonyManifest,
  manifestKey,
  REPOSITORY_DIR,
  readMembershipManifest,
} from '../src/membershipArtifacts.ts';
import { packageVersion } from '../src/packageDir.ts';
import { preparePowersOfTau } from '../src/preparePowersOfTau.ts';
import { requiredPowerOfTau } from '../src/setupGroth16.ts';
import { shutdownProver } from '../src/shutdownProver.ts';
import { renderGeneratedContracts, writeGeneratedContracts } from './lib/generatedContracts.ts';
import { renderMembershipProofFixture } from './lib/membershipProofFixture.ts';
import { runPhase2 } from './lib/runPhase2.ts';

/** Phase 1's cache label (snarkjs adds 64 random bytes to it: the result is random anyway). */
const PHASE1_LABEL = 'moltbook membership ceremony / phase 1';
const CONTRIBUTORS = ['moltbook local contributor 1', 'moltbook local contributor 2'];
const BEACON_ITERATIONS_EXP = 10;

const { values } = parseArgs({
  options: {
    force: { type: 'boolean', default: false },
    verify: { type: 'boolean', default: false },
  },
});
const started = performance.now();
const log = (line: string) =>
  process.stdout.write(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`,
  );

try {
  const circuit = await compileCircuit(MEMBERSHIP_SOURCE);
  log(
    `compiled ${circuit.name}: ${circuit.constraints} constraints${circuit.cached ? ' (cached)' : ''}`,
  );
  const zkeyPath = join(MEMBERSHIP_CEREMONY_DIR, MEMBERSHIP_ZKEY_FILE);
  const vkeyPath = join(MEMBERSHIP_CEREMONY_DIR, MEMBERSHIP_VKEY_FILE);

  if (values.verify) {
    const manifest = await readMembershipManifest();
    await assertPinned(manifest, circuit.r1csPath, MEMBERSHIP_PINS.r1cs);
    await assertPinned(manifest, zkeyPath, MEMBERSHIP_PINS.zkey);
    const ptau = await findCachedPtau(manifest.phase1.power, manifest.phase1.ptau);
    if (ptau === undefined) {
      throw new CircuitsError(
        'circuits.artifact_mismatch',
        `No cached ptau with sha256 ${manifest.phase1.ptau} in circuits/build/ptau/: it lives only ` +
          'on the machine that ran the ceremony.',
      );
    }
    const ok = await snarkjs.zKey.verifyFromR1cs(circuit.r1csPath, ptau, zkeyPath);
    log(ok ? 'zkey verify: OK' : 'zkey verify: FAILED');
    process.exitCode = ok ? 0 : 1;
  } else if (!values.force && (await upToDate(circuit.r1csPath, circuit.wasmPath))) {
    log(
      'the manifest already pins this circuit and the committed keys: nothing to do (--force reruns)',
    );
  } else {
    const power = requiredPowerOfTau(circuit);
    log(`phase 1: powers of tau 2^${power} (cached after the first run; ~2 min to make)`);
    const ptau = await preparePowersOfTau({ power, entropy: PHASE1_LABEL });
    log(`phase 1: ${ptau.cached ? 'reused' : 'made'} ${ptau.path}`);
    const beacon = {
      name: 'moltbook local beacon',
      value: randomBytes(32).toString('hex'),
      iterationsExp: BEACON_ITERATIONS_EXP,
    };
    const phase2 = await runPhase2({
      r1csPath: circuit.r1csPath,
      ptauPath: ptau.path,
      zkeyPath,
      contributors: CONTRIBUTORS,
      beacon,
      log,
    });
    const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
    await writeFile(vkeyPath, `${JSON.stringify(vkey, null, 2)}\n`);
    const contracts = await renderGeneratedContracts();
    await writeGeneratedContracts(contracts);
    log(`wrote ${contracts.map((c) => c.path).join(', ')}`);

    const pins: [string, string, boolean][] = [
      [MEMBERSHIP_PINS.r1cs, circuit.r1csPath, false],
      [MEMBERSHIP_PINS.wasm, circuit.wasmPath, false],
      [MEMBERSHIP_PINS.zkey, zkeyPath, true],
      [MEMBERSHIP_PINS.verificationKey, vkeyPath, true],
      [
        MEMBERSHIP_PINS.verifierContract,
        join(REPOSITORY_DIR, MEMBERSHIP_PINS.verifierContract),
        true,
      ],
    ];
    const artifacts: MembershipCeremonyManifest['artifacts'] = {};
    for (const [key, path, committed] of pins) {
      const bytes = (await readFile(path)).byteLength;
      artifacts[key] = { sha256: await sha256File(path), bytes, committed };
    }
    const manifest: MembershipCeremonyManifest = {
      version: 1,
      kind: 'membership-ceremony',
      warning:
        'LOCAL ceremony for tests and development: one operator ran both phases. Production ' +
        'replaces it with a public powers of tau and a multi-party phase 2 (docs/privacy.md).',
      date: new Date().toISOString().slice(0, 10),
      circuit: {
        source: manifestKey(MEMBERSHIP_SOURCE),
        compiler: `circom2@${await packageVersion('circom2')}`,
        optimization: 2,
        maxDepth: MEMBERSHIP_TREE_DEPTH,
        constraints: circuit.constraints,
        wires: circuit.wires,
        publicSignals: MEMBERSHIP_PUBLIC_SIGNALS,
      },
      tools: {
        snarkjs: await packageVersion('snarkjs'),
        circomlib: await packageVersion('circomlib'),
      },
      phase1: { curve: 'bn128', power, contributions: 1, ptau: ptau.sha256 },
      phase2,
      artifacts,
    };
    await writeFile(
      join(MEMBERSHIP_CEREMONY_DIR, CEREMONY_MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    log(`wrote ${manifestKey(join(MEMBERSHIP_CEREMONY_DIR, CEREMONY_MANIFEST_FILE))}`);
    // The forge tests' real proof was made with the old keys.
    const fixture = await renderMembershipProofFixture(await loadMembershipArtifacts());
    await writeGeneratedContracts([fixture]);
    log(`wrote ${fixture.path}`);
  }
} catch (err) {
  process.exitCode = 1;
  console.error(err instanceof CircuitsError ? err.message : err);
} finally {
  await shutdownProver();
}

/** Whether the manifest pins this r1cs and wasm and the committed zkey and verification key. */
async function upToDate(r1csPath: string, wasmPath: string): Promise<boolean> {
  try {
    const manifest = await readMembershipManifest();
    await assertPinned(manifest, r1csPath, MEMBERSHIP_PINS.r1cs);
    await assertPinned(manifest, wasmPath, MEMBERSHIP_PINS.wasm);
    await assertPinned(
      manifest,
      join(MEMBERSHIP_CEREMONY_DIR, MEMBERSHIP_ZKEY_FILE),
      MEMBERSHIP_PINS.zkey,
    );
    await assertPinned(
      manifest,
      join(MEMBERSHIP_CEREMONY_DIR, MEMBERSHIP_VKEY_FILE),
      MEMBERSHIP_PINS.verificationKey,
    );
    return true;
  } catch (err) {
    if (err instanceof CircuitsError && err.code === 'circuits.artifact_mismatch') return false;
    throw err;
  }
}

/** The cached ptau of `power` in circuits/build/ptau/ whose sha256 is `sha256`, if any. */
async function findCachedPtau(power: number, sha256: string): Promise<string | undefined> {
  const root = join(DEFAULT_BUILD_DIR, 'ptau');
  let dirs: string[];
  try {
    dirs = await readdir(root);
  } catch {
    return undefined;
  }
  for (const dir of dirs.filter((d) => d.startsWith(`pot${power}-`))) {
    const path = join(root, dir, `pot${power}_final.ptau`);
    try {
      if ((await sha256File(path)) === sha256) return path;
    } catch {
      // not a complete cache directory
    }
  }
  return undefined;
}

import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ArtifactRecord, sha256File } from './artifactManifest.ts';
import { CircuitsError } from './circuitsError.ts';
import { type CompiledCircuit, compileCircuit } from './compileCircuit.ts';
import type { Groth16VerificationKey } from './setupGroth16.ts';

/** The depth circuits/membership.circom is compiled at: the anonymity set holds ≤ 2^20 members. */
export const MEMBERSHIP_TREE_DEPTH = 20;

/** The public signals of the membership circuit, in the order snarkjs and the verifier use. */
export const MEMBERSHIP_PUBLIC_SIGNALS = ['root', 'nullifier', 'scope', 'message'] as const;

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The repository root (paths in the ceremony manifest are relative to it). */
export const REPOSITORY_DIR = join(PACKAGE_DIR, '..');

/** circuits/membership.circom. */
export const MEMBERSHIP_SOURCE = join(PACKAGE_DIR, 'membership.circom');

/** circuits/ceremony/membership/: the checked-in output of scripts/ceremony.ts. */
export const MEMBERSHIP_CEREMONY_DIR = join(PACKAGE_DIR, 'ceremony', 'membership');

export const MEMBERSHIP_ZKEY_FILE = 'membership.zkey';
export const MEMBERSHIP_VKEY_FILE = 'verification_key.json';
export const CEREMONY_MANIFEST_FILE = 'manifest.json';

/**
 * The manifest's key of each artifact: its path relative to the repository root, for the
 * default build directory (another build directory plays the same role).
 */
export const MEMBERSHIP_PINS = {
  r1cs: 'circuits/build/membership/membership.r1cs',
  wasm: 'circuits/build/membership/membership_js/membership.wasm',
  zkey: 'circuits/ceremony/membership/membership.zkey',
  verificationKey: 'circuits/ceremony/membership/verification_key.json',
  verifierContract: 'contracts/verifiers/MembershipVerifier.sol',
} as const;

/**
 * circuits/ceremony/membership/manifest.json, written by scripts/ceremony.ts: what the ceremony
 * was run on and the sha256 of every artifact it made or relied on, keyed by path relative to the
 * repository root. The zkey and the verification key are committed next to it; the r1cs and wasm
 * are rebuilt by compileCircuit (circom output is deterministic) and must hash to the same
 * values, which proves the committed zkey belongs to the circuit in the tree; the phase-1 ptau is
 * a build-cache file (circuits/build/ptau/) recorded so that `scripts/ceremony.ts --verify`
 * can replay `snarkjs zkey verify` where it is present. See docs/privacy.md.
 */
export type MembershipCeremonyManifest = {
  version: 1;
  kind: 'membership-ceremony';
  /** Says in words that this is a local, single-operator ceremony. */
  warning: string;
  date: string;
  circuit: {
    source: string;
    compiler: string;
    optimization: number;
    maxDepth: number;
    constraints: number;
    wires: number;
    publicSignals: readonly string[];
  };
  tools: { snarkjs: string; circomlib: string };
  phase1: {
    curve: 'bn128';
    power: number;
    contributions: number;
    ptau: string;
  };
  phase2: {
    contributions: { name: string; hash: string }[];
    beacon: { name: string; value: string; iterationsExp: number; hash: string };
  };
  artifacts: Record<string, ArtifactRecord & { committed: boolean }>;
};

/** Keys and circuit of the membership proof, checked against the ceremony manifest. */
export type MembershipArtifacts = {
  circuit: Pick<CompiledCircuit, 'wasmPath' | 'symPath' | 'r1csPath' | 'constraints'>;
  zkeyPath: string;
  verificationKey: Groth16VerificationKey;
  manifest: MembershipCeremonyManifest;
};

export type LoadMembershipArtifactsOptions = {
  /** Where the ceremony's zkey, verification key and manifest are (default: the checked-in ones). */
  ceremonyDir?: string | undefined;
  /** Build directory for compiling circuits/membership.circom (default circuits/build/). */
  buildDir?: string | undefined;
};

/** The repository-relative key of `path` in the manifest's `artifacts`. */
export function manifestKey(path: string): string {
  return relative(REPOSITORY_DIR, path).split('\\').join('/');
}

export async function readMembershipManifest(
  ceremonyDir: string = MEMBERSHIP_CEREMONY_DIR,
): Promise<MembershipCeremonyManifest> {
  try {
    return JSON.parse(
      await readFile(join(ceremonyDir, CEREMONY_MANIFEST_FILE), 'utf8'),
    ) as MembershipCeremonyManifest;
  } catch (cause) {
    throw new CircuitsError(
      'circuits.artifact_mismatch',
      `No ceremony manifest in ${ceremonyDir}; run \`npm run ceremony -w @moltbook/circuits\`.`,
      { cause },
    );
  }
}

const loaded = new Map<string, Promise<MembershipArtifacts>>();

/**
 * The membership circuit (compiled from circuits/membership.circom, cached) with the checked-in
 * Groth16 keys, after checking that the compiled r1cs and wasm and the committed zkey and
 * verification key are the ones the ceremony manifest pins. Loaded once per process and
 * directory pair.
 *
 * @throws CircuitsError `circuits.artifact_mismatch`, or what compileCircuit throws.
 */
export function loadMembershipArtifacts(
  options: LoadMembershipArtifactsOptions = {},
): Promise<MembershipArtifacts> {
  const ceremonyDir = options.ceremonyDir ?? MEMBERSHIP_CEREMONY_DIR;
  const cacheKey = `${ceremonyDir}\0${options.buildDir ?? ''}`;
  let pending = loaded.get(cacheKey);
  if (pending === undefined) {
    pending = load(ceremonyDir, options.buildDir).catch((err: unknown) => {
      loaded.delete(cacheKey);
      throw err;
    });
    loaded.set(cacheKey, pending);
  }
  return pending;
}

async function load(
  ceremonyDir: string,
  buildDir: string | undefined,
): Promise<MembershipArtifacts> {
  const manifest = await readMembershipManifest(ceremonyDir);
  const circuit = await compileCircuit(MEMBERSHIP_SOURCE, { buildDir });
  await assertPinned(manifest, circuit.r1csPath, MEMBERSHIP_PINS.r1cs);
  await assertPinned(manifest, circuit.wasmPath, MEMBERSHIP_PINS.wasm);
  const zkeyPath = join(ceremonyDir, MEMBERSHIP_ZKEY_FILE);
  const vkeyPath = join(ceremonyDir, MEMBERSHIP_VKEY_FILE);
  await assertPinned(manifest, zkeyPath, MEMBERSHIP_PINS.zkey);
  await assertPinned(manifest, vkeyPath, MEMBERSHIP_PINS.verificationKey);
  const verificationKey = JSON.parse(await readFile(vkeyPath, 'utf8')) as Groth16VerificationKey;
  return { circuit, zkeyPath, verificationKey, manifest };
}

const vkeys = new Map<string, Promise<Groth16VerificationKey>>();

/**
 * The membership circuit's verification key alone (what a verifier — a rollup node, an SDK
 * checking a proof — needs), checked against the ceremony manifest's pin. No compilation, no
 * zkey: cheap to load. Loaded once per process and directory.
 *
 * @throws CircuitsError `circuits.artifact_mismatch`
 */
export function loadMembershipVerificationKey(
  ceremonyDir: string = MEMBERSHIP_CEREMONY_DIR,
): Promise<Groth16VerificationKey> {
  let pending = vkeys.get(ceremonyDir);
  if (pending === undefined) {
    pending = (async () => {
      const manifest = await readMembershipManifest(ceremonyDir);
      const vkeyPath = join(ceremonyDir, MEMBERSHIP_VKEY_FILE);
      await assertPinned(manifest, vkeyPath, MEMBERSHIP_PINS.verificationKey);
      return JSON.parse(await readFile(vkeyPath, 'utf8')) as Groth16VerificationKey;
    })().catch((err: unknown) => {
      vkeys.delete(ceremonyDir);
      throw err;
    });
    vkeys.set(ceremonyDir, pending);
  }
  return pending;
}

/**
 * Checks that `path` hashes to what the manifest pins under `key` (by default the path relative
 * to the repository root; a build directory elsewhere plays the role of circuits/build/).
 *
 * @throws CircuitsError `circuits.artifact_mismatch`
 */
export async function assertPinned(
  manifest: MembershipCeremonyManifest,
  path: string,
  key: string = manifestKey(path),
): Promise<void> {
  const pinned = manifest.artifacts[key];
  if (pinned === undefined) {
    throw new CircuitsError('circuits.artifact_mismatch', `The ceremony manifest pins no ${key}.`);
  }
  let actual: string;
  try {
    actual = await sha256File(path);
  } catch (cause) {
    throw new CircuitsError('circuits.artifact_mismatch', `${path} (${key}) is missing.`, {
      cause,
    });
  }
  if (actual !== pinned.sha256) {
    throw new CircuitsError(
      'circuits.artifact_mismatch',
      `${path} does not match ${key} in the ceremony manifest (sha256 ${actual}, pinned ` +
        `${pinned.sha256}): the circuit or its artifacts changed without a new ceremony; run ` +
        '`npm run ceremony -w @moltbook/circuits` and commit its output.',
    );
  }
}

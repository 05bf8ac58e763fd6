import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { CircuitsError } from '../../src/circuitsError.ts';
import { acquireProverCurve } from '../../src/shutdownProver.ts';

export type Phase2Contribution = { name: string; hash: string };

export type RunPhase2Options = {
  r1csPath: string;
  ptauPath: string;
  /** Where the final zkey goes. */
  zkeyPath: string;
  /** One contribution per name, each with 32 fresh random bytes of entropy (never stored). */
  contributors: readonly string[];
  /** The closing public random beacon: hex value and 2^iterationsExp hash iterations (10..63). */
  beacon: { name: string; value: string; iterationsExp: number };
  log?: ((line: string) => void) | undefined;
};

export type RunPhase2ReturnType = {
  contributions: Phase2Contribution[];
  beacon: { name: string; value: string; iterationsExp: number; hash: string };
};

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * A Groth16 phase 2 on `ptauPath` for `r1csPath`: `zkey new`, one contribution per contributor,
 * the beacon, then `zkey verify` against the r1cs and the ptau. Every contribution's entropy is
 * random and dropped at once, so nobody keeps the toxic waste unless this process was watched;
 * a multi-party phase 2 runs the same steps with each contribution made by someone else
 * (docs/privacy.md). The contribution hashes returned are what `snarkjs zkey verify` prints, so
 * a contributor can check that theirs is in the final key.
 *
 * @throws CircuitsError `circuits.invalid_option` (a malformed beacon, before any work),
 *   `circuits.setup_failed`
 */
export async function runPhase2(options: RunPhase2Options): Promise<RunPhase2ReturnType> {
  const { beacon } = options;
  // snarkjs crashes on a non-hex beacon and only logs an out-of-range exponent.
  if (!/^([0-9a-fA-F]{2}){1,255}$/.test(beacon.value)) {
    throw new CircuitsError(
      'circuits.invalid_option',
      `The beacon must be 1..255 bytes of hex, got ${JSON.stringify(beacon.value)}.`,
    );
  }
  if (
    !Number.isInteger(beacon.iterationsExp) ||
    beacon.iterationsExp < 10 ||
    beacon.iterationsExp > 63
  ) {
    throw new CircuitsError(
      'circuits.invalid_option',
      `The beacon's iterationsExp must be 10..63, got ${beacon.iterationsExp}.`,
    );
  }
  const log = options.log ?? (() => {});
  const work = await mkdtemp(join(tmpdir(), 'moltbook-phase2-'));
  try {
    await acquireProverCurve();
    let current = join(work, 'phase2_0000.zkey');
    const created = await snarkjs.zKey.newZKey(options.r1csPath, options.ptauPath, current);
    if (created === -1)
      throw new CircuitsError('circuits.setup_failed', 'snarkjs zkey new refused the circuit.');
    const contributions: Phase2Contribution[] = [];
    for (const [i, name] of options.contributors.entries()) {
      const next = join(work, `phase2_${String(i + 1).padStart(4, '0')}.zkey`);
      const hash = await snarkjs.zKey.contribute(
        current,
        next,
        name,
        randomBytes(32).toString('hex'),
      );
      contributions.push({ name, hash: toHex(hash) });
      log(`phase 2: contribution ${i + 1} (${name})`);
      current = next;
    }
    const final = join(work, 'phase2_final.zkey');
    const beaconHash = await snarkjs.zKey.beacon(
      current,
      final,
      beacon.name,
      beacon.value,
      beacon.iterationsExp,
    );
    if (beaconHash === false) {
      throw new CircuitsError(
        'circuits.setup_failed',
        `snarkjs refused the beacon ${beacon.value}.`,
      );
    }
    log('phase 2: beacon applied');
    if (!(await snarkjs.zKey.verifyFromR1cs(options.r1csPath, options.ptauPath, final))) {
      throw new CircuitsError(
        'circuits.setup_failed',
        'snarkjs zkey verify rejected the new zkey.',
      );
    }
    log('phase 2: zkey verified against the r1cs and the ptau');
    await copyFile(final, options.zkeyPath);
    return { contributions, beacon: { ...beacon, hash: toHex(beaconHash) } };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

import { readFileSync, writeFileSync } from 'node:fs';
import type { GasFigures } from './measureContractGas.ts';

/** The checked-in snapshot: gas on the L2 chain type (op, with the P-256 precompile). */
export const GAS_SNAPSHOT_PATH = new URL('./gas-snapshot.json', import.meta.url);

/**
 * Relative tolerance of the comparison. Card signatures are randomized P-256 (node:crypto picks
 * the nonce), so calldata has a varying number of zero bytes (4 vs 16 gas each): a few dozen gas
 * of noise. A real change moves a figure by far more.
 */
export const GAS_TOLERANCE = 0.005;

export function readGasSnapshot(): GasFigures {
  return JSON.parse(readFileSync(GAS_SNAPSHOT_PATH, 'utf8')) as GasFigures;
}

export function writeGasSnapshot(figures: GasFigures): void {
  const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(GAS_SNAPSHOT_PATH, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Differences beyond the tolerance, one line each; empty when the figures match the snapshot. */
export function compareGas(snapshot: GasFigures, measured: GasFigures): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(snapshot), ...Object.keys(measured)])) {
    const want = snapshot[name];
    const got = measured[name];
    if (want === undefined) out.push(`${name}: measured ${got} but not in the snapshot`);
    else if (got === undefined) out.push(`${name}: in the snapshot (${want}) but not measured`);
    else if (Math.abs(got - want) > want * GAS_TOLERANCE) {
      out.push(
        `${name}: ${got} gas, snapshot ${want} (${got > want ? '+' : ''}${(((got - want) / want) * 100).toFixed(2)} %)`,
      );
    }
  }
  return out;
}

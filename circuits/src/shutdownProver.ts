import * as snarkjs from 'snarkjs';

/*
 * snarkjs builds one multi-threaded bn128 curve per process (ffjavascript caches it in
 * `globalThis.curve_bn128`); its worker threads keep the process alive until `terminate()`.
 * Two calls that race to build it while the cache is empty each build one, and the one that
 * loses the race is never terminated (the process then never exits). Every function of this
 * package therefore builds the curve through `acquireProverCurve`, which builds it once.
 */
let pending: Promise<snarkjs.Curve> | undefined;

type CurveCache = { curve_bn128?: snarkjs.Curve | null };

/** The process-wide bn128 curve, built at most once until `shutdownProver`. */
export function acquireProverCurve(): Promise<snarkjs.Curve> {
  const cached = (globalThis as CurveCache).curve_bn128;
  if (cached) return Promise.resolve(cached);
  pending ??= snarkjs.curves.getCurveFromName('bn128').catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

/**
 * Stops snarkjs's worker threads so the process can exit. Call it once when done (a test
 * file's `after` hook, the end of a script). Any later call of this package builds a fresh curve
 * (~0.2 s), so calling it early is safe, only slower.
 */
export async function shutdownProver(): Promise<void> {
  const ours = pending;
  pending = undefined;
  const curves = new Set<snarkjs.Curve>();
  if (ours) curves.add(await ours);
  // Also a curve that snarkjs built on its own (a direct snarkjs call outside this package).
  const global = (globalThis as CurveCache).curve_bn128;
  if (global) curves.add(global);
  for (const curve of curves) await curve.terminate();
}

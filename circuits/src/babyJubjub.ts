import { BN254_SCALAR_FIELD_ORDER } from './bn254.ts';

/**
 * Baby Jubjub (EIP-2494), the twisted Edwards curve a·x² + y² = 1 + d·x²·y² over the BN254
 * scalar field, in the form circomlib's babyjub.circom uses. Only what the ZK identity needs
 * (DESIGN.md §3): affine addition and scalar multiplication with bigints, so that the TypeScript
 * reference computes exactly what circuits/lib/babyJubjubPublicKey.circom constrains. Not
 * constant-time: it runs where the secret already is (the agent host, §6.2), and the witness
 * generator it mirrors is not constant-time either.
 */
export type BabyJubjubPoint = readonly [x: bigint, y: bigint];

const P = BN254_SCALAR_FIELD_ORDER;

export const BABY_JUBJUB_A = 168700n;
export const BABY_JUBJUB_D = 168696n;

/**
 * l, the order of the prime-order subgroup (the curve has order 8·l). A secret scalar must be
 * below it: s and s + l give the same public key.
 */
export const BABY_JUBJUB_SUBGROUP_ORDER =
  2736030358979909402780800718157159386076813972158567259200215660948447373041n;

/** The generator of the prime-order subgroup, Base8 = 8·G in EIP-2494 and circomlib. */
export const BABY_JUBJUB_BASE8: BabyJubjubPoint = [
  5299619240641551281634865583518297030282874472190772894086521144482721001553n,
  16950150798460657717958625567821834550301663161624707787222815936182638968203n,
];

/** The neutral element (0, 1). */
export const BABY_JUBJUB_IDENTITY: BabyJubjubPoint = [0n, 1n];

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

/** a⁻¹ mod p by the extended Euclidean algorithm (~50× faster than a^(p-2) with bigints). */
function invert(a: bigint): bigint {
  let [r0, r1] = [mod(a), P];
  let [s0, s1] = [1n, 0n];
  if (r0 === 0n) throw new RangeError('Baby Jubjub: division by zero');
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

/**
 * P + Q with the complete twisted Edwards addition law (no special cases: the curve's d is not a
 * square, so the denominators never vanish for points on the curve).
 */
export function addBabyJubjubPoints(p: BabyJubjubPoint, q: BabyJubjubPoint): BabyJubjubPoint {
  const [x1, y1] = p;
  const [x2, y2] = q;
  const dxy = mod(BABY_JUBJUB_D * mod(x1 * x2) * mod(y1 * y2));
  const x3 = mod(mod(x1 * y2 + y1 * x2) * invert(1n + dxy));
  const y3 = mod(mod(y1 * y2 - BABY_JUBJUB_A * x1 * x2) * invert(1n - dxy + P));
  return [x3, y3];
}

/** k·P by double-and-add, for any k ≥ 0 (reduced mod nothing: k is used as given). */
export function mulBabyJubjubPoint(p: BabyJubjubPoint, k: bigint): BabyJubjubPoint {
  if (k < 0n) throw new RangeError('Baby Jubjub: negative scalar');
  let result = BABY_JUBJUB_IDENTITY;
  let addend = p;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = addBabyJubjubPoints(result, addend);
    addend = addBabyJubjubPoints(addend, addend);
  }
  return result;
}

/** Whether (x, y), with coordinates in the field, satisfies the curve equation. */
export function isOnBabyJubjub(point: BabyJubjubPoint): boolean {
  const [x, y] = point;
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  const x2 = mod(x * x);
  const y2 = mod(y * y);
  return mod(BABY_JUBJUB_A * x2 + y2) === mod(1n + BABY_JUBJUB_D * mod(x2 * y2));
}

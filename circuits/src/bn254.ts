/**
 * BN254 (alt_bn128, "bn128" in snarkjs) field orders. circom's default prime is the scalar field
 * order: every signal is an element of F_p with p = BN254_SCALAR_FIELD_ORDER. Proof points have
 * coordinates in the base field F_q.
 */
export const BN254_SCALAR_FIELD_ORDER =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export const BN254_BASE_FIELD_ORDER =
  21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/**
 * @moltbook/circuits: compile circom circuits, run a local Groth16 ceremony for tests and
 * development, compute witnesses, prove and verify; the §6.2 membership proof (ZK identity,
 * LeanIMT anonymity set, prover and verifier). See docs/circuits.md and docs/privacy.md.
 */
export type { ArtifactManifest, ArtifactRecord } from './artifactManifest.ts';
export type { BabyJubjubPoint } from './babyJubjub.ts';
export {
  addBabyJubjubPoints,
  BABY_JUBJUB_A,
  BABY_JUBJUB_BASE8,
  BABY_JUBJUB_D,
  BABY_JUBJUB_IDENTITY,
  BABY_JUBJUB_SUBGROUP_ORDER,
  isOnBabyJubjub,
  mulBabyJubjubPoint,
} from './babyJubjub.ts';
export { BN254_BASE_FIELD_ORDER, BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
export type { Witness, WitnessCircuit } from './calculateWitness.ts';
export { calculateWitness } from './calculateWitness.ts';
export { deriveZkSecret, ZK_SECRET_KDF_LABEL, zkSecretFromCardBytes } from './cardZkSecret.ts';
export type { CircuitsErrorCode } from './circuitsError.ts';
export { CircuitsError } from './circuitsError.ts';
export type { CompileCircuitOptions, CompiledCircuit } from './compileCircuit.ts';
export { compileCircuit } from './compileCircuit.ts';
export type {
  CreateMembershipProofOptions,
  CreateMembershipProofParameters,
  MembershipProof,
  MembershipPublicSignals,
} from './createMembershipProof.ts';
export { createMembershipProof } from './createMembershipProof.ts';
export { DEFAULT_BUILD_DIR } from './defaultBuildDir.ts';
export type { SolidityGroth16Proof } from './groth16ProofToSolidity.ts';
export {
  GROTH16_PROOF_BYTES,
  groth16ProofFromBytes,
  groth16ProofFromSolidity,
  groth16ProofToBytes,
  groth16ProofToSolidity,
} from './groth16ProofToSolidity.ts';
export type { LeanImtProof } from './leanImt.ts';
export { LeanImt, leanImtRootOf } from './leanImt.ts';
export type { LocalCeremony, LocalCeremonyOptions } from './localCeremony.ts';
export { localCeremony } from './localCeremony.ts';
export type {
  LoadMembershipArtifactsOptions,
  MembershipArtifacts,
  MembershipCeremonyManifest,
} from './membershipArtifacts.ts';
export {
  loadMembershipArtifacts,
  loadMembershipVerificationKey,
  MEMBERSHIP_CEREMONY_DIR,
  MEMBERSHIP_PINS,
  MEMBERSHIP_PUBLIC_SIGNALS,
  MEMBERSHIP_SOURCE,
  MEMBERSHIP_TREE_DEPTH,
  readMembershipManifest,
} from './membershipArtifacts.ts';
export type { MembershipCircuitInputParameters } from './membershipCircuitInput.ts';
export { membershipCircuitInput } from './membershipCircuitInput.ts';
export type { PowersOfTau, PreparePowersOfTauOptions } from './preparePowersOfTau.ts';
export { MAX_PTAU_POWER, preparePowersOfTau } from './preparePowersOfTau.ts';
export type { Groth16Proof, ProveGroth16ReturnType } from './proveGroth16.ts';
export { proveGroth16 } from './proveGroth16.ts';
export type {
  Groth16Keys,
  Groth16VerificationKey,
  SetupCircuit,
  SetupGroth16Options,
} from './setupGroth16.ts';
export { requiredPowerOfTau, setupGroth16 } from './setupGroth16.ts';
export { shutdownProver } from './shutdownProver.ts';
export type { CircuitInput, FieldInput, FieldValue, SignalValue } from './toCircuitInput.ts';
export { toCircuitInput } from './toCircuitInput.ts';
export type { VerifyGroth16ReturnType } from './verifyGroth16.ts';
export { verifyGroth16 } from './verifyGroth16.ts';
export { verifyMembershipProof } from './verifyMembershipProof.ts';
export type { ZkIdentity } from './zkIdentity.ts';
export { membershipNullifier, zkIdentity } from './zkIdentity.ts';

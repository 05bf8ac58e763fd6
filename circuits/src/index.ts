/**
 * @moltbook/circuits: compile circom circuits, run a local Groth16 ceremony for tests and
 * development, compute witnesses, prove and verify. See docs/circuits.md.
 */
export type { ArtifactManifest, ArtifactRecord } from './artifactManifest.ts';
export { BN254_BASE_FIELD_ORDER, BN254_SCALAR_FIELD_ORDER } from './bn254.ts';
export type { Witness, WitnessCircuit } from './calculateWitness.ts';
export { calculateWitness } from './calculateWitness.ts';
export type { CircuitsErrorCode } from './circuitsError.ts';
export { CircuitsError } from './circuitsError.ts';
export type { CompileCircuitOptions, CompiledCircuit } from './compileCircuit.ts';
export { compileCircuit } from './compileCircuit.ts';
export { DEFAULT_BUILD_DIR } from './defaultBuildDir.ts';
export type { LocalCeremony, LocalCeremonyOptions } from './localCeremony.ts';
export { localCeremony } from './localCeremony.ts';
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

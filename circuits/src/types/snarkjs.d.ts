/**
 * The part of snarkjs 0.7.6 this package uses (snarkjs ships no types). Signatures follow
 * snarkjs/src/*.js; `FileRef` is a path or a fastfile descriptor such as `{ type: 'mem' }`.
 */
declare module 'snarkjs' {
  export type FileRef = string | { type: 'mem' | 'bigMem'; data?: Uint8Array };

  export type Logger = {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };

  /** An ffjavascript curve. `terminate` stops its worker threads (and clears the global cache). */
  export type Curve = {
    readonly name: string;
    terminate(): Promise<void>;
  };

  /** Decimal strings; projective coordinates with z = "1" for affine points. */
  export type G1Json = [string, string, string];
  export type G2Json = [[string, string], [string, string], [string, string]];

  export type Groth16ProofJson = {
    pi_a: G1Json;
    pi_b: G2Json;
    pi_c: G1Json;
    protocol: string;
    curve: string;
  };

  export type Groth16VerificationKeyJson = {
    protocol: 'groth16';
    curve: string;
    nPublic: number;
    vk_alpha_1: G1Json;
    vk_beta_2: G2Json;
    vk_gamma_2: G2Json;
    vk_delta_2: G2Json;
    vk_alphabeta_12: unknown;
    IC: G1Json[];
  };

  /** What snarkjs accepts as a signal value (it calls unstringifyBigInts on it). */
  export type SnarkjsSignals = { [signal: string]: unknown };

  export namespace curves {
    function getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<Curve>;
  }

  export namespace r1cs {
    type R1csInfo = {
      n8: number;
      prime: bigint;
      nVars: number;
      nOutputs: number;
      nPubInputs: number;
      nPrvInputs: number;
      nLabels: number | bigint;
      nConstraints: number;
      curve?: Curve;
    };
    function info(r1csName: string, logger?: Logger): Promise<R1csInfo>;
  }

  export namespace wtns {
    function calculate(
      input: SnarkjsSignals,
      wasmFileName: string,
      wtnsFileName: FileRef,
      options?: unknown,
    ): Promise<void>;
    function exportJson(wtnsFileName: FileRef): Promise<bigint[]>;
  }

  export namespace powersOfTau {
    function newAccumulator(
      curve: Curve,
      power: number,
      fileName: string,
      logger?: Logger,
    ): Promise<Uint8Array>;
    function contribute(
      oldPtauFilename: string,
      newPTauFilename: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<Uint8Array>;
    function preparePhase2(
      oldPtauFilename: string,
      newPTauFilename: string,
      logger?: Logger,
    ): Promise<void>;
  }

  export namespace zKey {
    /** Resolves to -1 (without throwing) when the ptau is too small or not prepared. */
    function newZKey(
      r1csName: string,
      ptauName: string,
      zkeyName: FileRef,
      logger?: Logger,
    ): Promise<unknown>;
    function contribute(
      zkeyNameOld: string,
      zkeyNameNew: string,
      name: string,
      entropy: string,
      logger?: Logger,
    ): Promise<Uint8Array>;
    function exportVerificationKey(
      zkeyName: string,
      logger?: Logger,
    ): Promise<Groth16VerificationKeyJson>;
    /** Resolves to the contribution hash (64 bytes), or false for a malformed beacon. */
    function beacon(
      zkeyNameOld: string,
      zkeyNameNew: string,
      name: string,
      beaconHashStr: string,
      numIterationsExp: number,
      logger?: Logger,
    ): Promise<Uint8Array | false>;
    /** Renders the Solidity verifier of the zkey's protocol from `templates[protocol]` (ejs). */
    function exportSolidityVerifier(
      zkeyName: string,
      templates: { groth16?: string; plonk?: string; fflonk?: string },
      logger?: Logger,
    ): Promise<string>;
    function verifyFromR1cs(
      r1csFileName: string,
      pTauFileName: string,
      zkeyFileName: string,
      logger?: Logger,
    ): Promise<boolean>;
  }

  export namespace groth16 {
    function prove(
      zkeyFileName: string,
      witnessFileName: FileRef,
      logger?: Logger,
    ): Promise<{ proof: Groth16ProofJson; publicSignals: string[] }>;
    function fullProve(
      input: SnarkjsSignals,
      wasmFile: string,
      zkeyFileName: string,
      logger?: Logger,
    ): Promise<{ proof: Groth16ProofJson; publicSignals: string[] }>;
    function verify(
      vkVerifier: Groth16VerificationKeyJson,
      publicSignals: readonly (string | bigint)[],
      proof: Groth16ProofJson,
      logger?: Logger,
    ): Promise<boolean>;
  }
}

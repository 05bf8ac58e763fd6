import { RollupError } from '../utils/rollupError.ts';

/** Stable dotted codes of the errors the sybil analysis raises. */
export type SybilErrorCode =
  /** The rng seed is not exactly 32 bytes. */
  | 'sybil.seed_length'
  /** An agent id is not a non-negative safe integer. */
  | 'sybil.agent_id'
  /** A weight is not a positive safe integer, or the summed weight of a pair overflows. */
  | 'sybil.weight'
  /** An interaction names the same agent twice; the interaction log should never hold one. */
  | 'sybil.self_interaction'
  /** The Louvain resolution is not a positive finite number. */
  | 'sybil.resolution';

export type SybilErrorDetails = Readonly<Record<string, string | number>>;

export class SybilError extends RollupError<SybilErrorCode> {
  override readonly name = 'SybilError';
  readonly details: SybilErrorDetails;

  constructor(code: SybilErrorCode, message: string, details: SybilErrorDetails = {}) {
    super(code, message);
    this.details = details;
  }
}

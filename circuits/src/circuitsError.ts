/**
 * Every failure this package reports on purpose. The `code` is stable (callers branch on it);
 * the message is for humans and may change.
 */
export type CircuitsErrorCode =
  | 'circuits.source_not_found'
  | 'circuits.compile_failed'
  | 'circuits.invalid_option'
  | 'circuits.input_invalid'
  | 'circuits.input_out_of_field'
  | 'circuits.witness_failed'
  | 'circuits.prove_failed'
  | 'circuits.unknown_signal'
  | 'circuits.ptau_too_small'
  | 'circuits.setup_failed'
  | 'circuits.invalid_secret'
  | 'circuits.invalid_leaf'
  | 'circuits.leaf_not_found'
  | 'circuits.tree_too_deep'
  | 'circuits.artifact_mismatch';

export type CircuitsErrorOptions = {
  /** Longer diagnostic text, e.g. the compiler's own output. */
  details?: string;
  cause?: unknown;
};

export class CircuitsError extends Error {
  override name = 'CircuitsError';
  readonly code: CircuitsErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: CircuitsErrorCode, shortMessage: string, options: CircuitsErrorOptions = {}) {
    const message =
      options.details === undefined ? shortMessage : `${shortMessage}\n\n${options.details}`;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

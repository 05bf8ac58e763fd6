import { RollupError } from '../utils/rollupError.ts';

/** A malformed encoding from the outside. `code` is stable (`codec.truncated`, …). */
export class CodecError extends RollupError {
  override readonly name = 'CodecError';
}

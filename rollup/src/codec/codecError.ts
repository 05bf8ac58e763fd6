/** A malformed encoding from the outside. `code` is stable (`codec.truncated`, …). */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Root of the rollup's typed errors: a stable dotted `code` callers branch on (`codec.truncated`,
 * `genesis.version`, `da.blob_length`, …) and a message for people. Subclasses name their layer.
 */
export class RollupError<Code extends string = string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

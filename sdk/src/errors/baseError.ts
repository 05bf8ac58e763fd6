export interface BaseErrorParameters {
  readonly details?: string;
  readonly cause?: unknown;
  readonly docsPath?: string;
}

/**
 * Root of every SDK error (viem's pattern): a short message for people, details for logs, the
 * cause kept, and where the docs explain it.
 */
export class BaseError extends Error {
  override name = 'BaseError';
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly docsPath: string | undefined;

  constructor(shortMessage: string, params: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (params.details !== undefined) lines.push(`Details: ${params.details}`);
    if (params.docsPath !== undefined) lines.push(`Docs: ${params.docsPath}`);
    super(lines.join('\n\n'), params.cause === undefined ? undefined : { cause: params.cause });
    this.shortMessage = shortMessage;
    this.details = params.details;
    this.docsPath = params.docsPath;
  }
}

/** The node answered with a JSON-RPC error; `reason` is its stable dotted code. */
export class RpcRequestError extends BaseError {
  override name = 'RpcRequestError';
  readonly code: number;
  readonly reason: string;
  constructor(params: { method: string; code: number; reason: string; message: string }) {
    super(`${params.method} failed: ${params.message}`, {
      details: `code ${params.code}, reason ${params.reason}`,
      docsPath: 'docs/sdk.md#errors',
    });
    this.code = params.code;
    this.reason = params.reason;
  }
}

/** The node could not be reached or answered something that is not JSON-RPC. */
export class HttpRequestError extends BaseError {
  override name = 'HttpRequestError';
  readonly url: string;
  readonly status: number | undefined;
  constructor(params: { url: string; status?: number; cause?: unknown; details: string }) {
    super(`HTTP request to ${params.url} failed`, {
      details: params.details,
      cause: params.cause,
      docsPath: 'docs/sdk.md#errors',
    });
    this.url = params.url;
    this.status = params.status;
  }
}

/** An argument was rejected before anything was sent. */
export class InvalidParameterError extends BaseError {
  override name = 'InvalidParameterError';
  constructor(param: string, expected: string, docsPath = 'docs/sdk.md') {
    super(`invalid ${param}: expected ${expected}`, { docsPath });
  }
}

/**
 * A content body the node would refuse (§14.2 schema, size, or not the body the transaction
 * references): `reason` is the code the node's `sendTransaction` would answer (`content.schema`,
 * `content.too_large`, `content.hash_mismatch`, …), `field` the offending field (`title`,
 * `tags[2]`, …; `body` for the whole body).
 */
export class InvalidContentError extends InvalidParameterError {
  override name = 'InvalidContentError';
  readonly reason:
    | 'content.schema'
    | 'content.too_large'
    | 'content.utf8'
    | 'content.json'
    | 'content.hash_mismatch'
    | 'content.size_mismatch'
    | 'content.unexpected';
  readonly field: string;
  constructor(
    field: string,
    expected: string,
    reason: InvalidContentError['reason'] = 'content.schema',
  ) {
    super(`content ${field}`, expected, 'docs/sdk.md#content-bodies-encodecontent');
    this.reason = reason;
    this.field = field;
  }
}

/** What a node served does not verify (bad PoH, signature or link). */
export class VerificationError extends BaseError {
  override name = 'VerificationError';
  constructor(shortMessage: string, details: string) {
    super(shortMessage, { details, docsPath: 'docs/sdk.md#verifying-what-a-node-serves' });
  }
}

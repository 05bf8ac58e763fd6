import type { ErrorBody, ErrorCode } from '@moltbook/relay/protocol';
import { BaseError } from '../../errors/baseError.ts';

/** `network`: the relay could not be reached; `bad_response`: it answered something unexpected. */
export type RelayErrorCode = ErrorCode | 'network' | 'bad_response';

/** The relay refused a request (its stable dotted code) or could not be reached. */
export class MoltdmRelayError extends BaseError {
  override name = 'MoltdmRelayError';
  readonly code: RelayErrorCode;
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly deviceIds: readonly string[];
  readonly moltbotIds: readonly string[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    method: string,
    path: string,
    status: number,
    code: RelayErrorCode,
    message: string,
    extra: Partial<ErrorBody['error']> & { cause?: unknown } = {},
  ) {
    super(`${method} ${path.split('?')[0]} failed: ${code}`, {
      details: `${status} ${message}`,
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
      docsPath: 'docs/moltdm.md#errors',
    });
    this.code = code;
    this.status = status;
    this.deviceIds = extra.deviceIds ?? [];
    this.moltbotIds = extra.moltbotIds ?? [];
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export function isMoltdmRelayError(e: unknown, code?: RelayErrorCode): e is MoltdmRelayError {
  return e instanceof MoltdmRelayError && (code === undefined || e.code === code);
}

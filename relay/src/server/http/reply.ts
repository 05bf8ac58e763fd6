import type { ServerResponse } from 'node:http';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../protocol/errorCodes.ts';
import type { RateLimited } from '../../store/relayStore.ts';

/** What a handler answers; the server writes it. Handlers never touch the response. */
export type Reply =
  | {
      readonly status: number;
      readonly json: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly status: number;
      readonly bytes: Uint8Array;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

export function ok(json: unknown, status = 200): Reply {
  return { status, json };
}

type ErrorDetails = Omit<ErrorBody['error'], 'code' | 'message'>;

export function errorReply(code: ErrorCode, message: string, details: ErrorDetails = {}): Reply {
  const body: ErrorBody = { error: { code, message, ...details } };
  return { status: ERROR_CODES[code], json: body };
}

/** 429 with Retry-After in whole seconds (at least 1), the same figure in the body. */
export function rateLimitedReply(r: RateLimited): Reply {
  const seconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
  const body: ErrorBody = {
    error: {
      code: 'rate_limited',
      message: `rate limit '${r.limit}' reached; retry after ${seconds} s`,
      limit: r.limit,
      retryAfterSeconds: seconds,
    },
  };
  return { status: 429, json: body, headers: { 'retry-after': String(seconds) } };
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function writeReply(
  res: ServerResponse,
  reply: Reply,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const body =
    'json' in reply
      ? Buffer.from(JSON.stringify(reply.json))
      : Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
  res.writeHead(reply.status, {
    ...COMMON_HEADERS,
    'content-type': 'json' in reply ? 'application/json; charset=utf-8' : reply.contentType,
    'content-length': String(body.length),
    ...reply.headers,
    ...extra,
  });
  res.end(body);
}

import type { RelayLimits } from '../protocol/limits.ts';
import type { CallerRecord, RelayStore } from '../store/relayStore.ts';
import type { Reply } from './http/reply.ts';
import type { LongPollWaiters } from './longPollWaiters.ts';
import type { RelayMetrics } from './relayMetrics.ts';

/**
 * - `device`: any active device of a registered moltbot (signed request).
 * - `owner`: the primary device only (pairing approval, revocation of others).
 * - `register`: signed by the key carried in the body (POST /identity/register).
 * - `none`: unauthenticated (the two pairing routes a device uses before it is linked, health).
 */
export type AuthMode = 'device' | 'owner' | 'register' | 'none';

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Raw body bytes, exactly as signed. */
  readonly body: Uint8Array;
  /** SHA-256 of `body` (computed once: the signature and idempotency both use it). */
  readonly bodySha256: Uint8Array;
  /** The authenticated device; null on `none` routes (and before registration). */
  readonly caller: CallerRecord | null;
  /** Client address, for the unauthenticated rate limits. */
  readonly address: string;
  readonly now: number;
  /** Aborts when the client goes away (long-polls stop waiting). */
  readonly signal: AbortSignal;
}

/** What handlers may use: the composition root builds it once. */
export interface RouteDeps {
  readonly store: RelayStore;
  readonly limits: RelayLimits;
  readonly waiters: LongPollWaiters;
  readonly metrics: RelayMetrics;
  readonly publicUrl: string;
  readonly nowMs: () => number;
  readonly randomId: () => string;
  readonly randomToken: () => string;
  /** True once close() began: long-polls answer at once. */
  readonly closing: () => boolean;
}

/** Parsing never writes: a request that fails here leaves the store untouched. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reply: Reply };

export interface Route<T> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `/identity/:moltbotId/prekeys`; every `:param` is checked against PARAM_PATTERNS. */
  readonly pattern: string;
  readonly auth: AuthMode;
  /** Query parameters the route reads; any other (or a repeated one) is refused. Default none. */
  readonly query?: readonly string[];
  /** Body limit in bytes (default limits.maxBodyBytes; 0 refuses any body). */
  readonly maxBody?: (limits: RelayLimits) => number;
  /** Validates params, query and body. Runs before the nonce is claimed. */
  readonly parse: (req: RouteRequest, deps: RouteDeps) => Parsed<T>;
  readonly handle: (input: T, req: RouteRequest, deps: RouteDeps) => Promise<Reply>;
}

/** Lets routes of different input types share one table. */
// biome-ignore lint/suspicious/noExplicitAny: the table erases each route's input type
export type AnyRoute = Route<any>;

export function defineRoute<T>(r: Route<T>): AnyRoute {
  return r;
}

/** Header names of an authenticated MoltDM request (lower case, as node:http presents them). */
export const AUTH_HEADERS = {
  id: 'x-moltbot-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

/** How far a request's timestamp may be from the relay's clock (either way). */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

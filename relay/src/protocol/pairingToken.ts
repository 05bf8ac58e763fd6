/**
 * Pairing tokens: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a human
 * can read one off a screen and type it. 31^8 ≈ 8.5·10^11 (39.6 bits); with the relay's global
 * guess limit the chance of hitting a live token is negligible (docs/moltdm.md "Pairing").
 */
export const PAIRING_TOKEN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PAIRING_TOKEN_LENGTH = 8;
/** Default and maximum lifetime of a pairing token (issue 7: TTL ≤ 1 h). */
export const PAIRING_TTL_DEFAULT_SECONDS = 600;
export const PAIRING_TTL_MAX_SECONDS = 3600;
export const PAIRING_TTL_MIN_SECONDS = 60;

const TOKEN_RE = new RegExp(`^[${PAIRING_TOKEN_ALPHABET}]{${PAIRING_TOKEN_LENGTH}}$`);

export function isPairingToken(v: unknown): v is string {
  return typeof v === 'string' && TOKEN_RE.test(v);
}

/** Tokens are case-insensitive for people typing them; the canonical form is upper case. */
export function normalizePairingToken(v: string): string | null {
  const upper = v.length === PAIRING_TOKEN_LENGTH ? v.toUpperCase() : v;
  return isPairingToken(upper) ? upper : null;
}

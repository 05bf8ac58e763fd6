export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses lowercase/uppercase hex of an exact byte length; null when malformed. */
export function fromHex(hex: unknown, length?: number): Uint8Array | null {
  if (typeof hex !== 'string') return null;
  const s = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  if (length !== undefined && s.length !== length * 2) return null;
  return new Uint8Array(Buffer.from(s, 'hex'));
}

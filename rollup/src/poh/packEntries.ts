import type { PohEntry } from './poh.ts';

/** Bytes of one packed entry: numHashes u32, hasMixin u8, hash, mixin. */
const ENTRY_BYTES = 4 + 1 + 32 + 32;

/**
 * Packs a start hash and entries into one transferable buffer, so a worker gets a slot's PoH
 * without a structured clone of thousands of small objects.
 */
export function packEntries(start: Uint8Array, entries: readonly PohEntry[]): ArrayBuffer {
  const buf = new ArrayBuffer(32 + entries.length * ENTRY_BYTES);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  bytes.set(start, 0);
  let o = 32;
  for (const e of entries) {
    view.setUint32(o, e.numHashes);
    bytes[o + 4] = e.mixin === undefined ? 0 : 1;
    bytes.set(e.hash, o + 5);
    if (e.mixin !== undefined) bytes.set(e.mixin, o + 37);
    o += ENTRY_BYTES;
  }
  return buf;
}

export function unpackEntries(buf: ArrayBuffer): { start: Uint8Array; entries: PohEntry[] } {
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  const start = bytes.subarray(0, 32);
  const entries: PohEntry[] = [];
  for (let o = 32; o + ENTRY_BYTES <= bytes.length; o += ENTRY_BYTES) {
    const numHashes = view.getUint32(o);
    const hash = bytes.subarray(o + 5, o + 37);
    entries.push(
      bytes[o + 4] === 1
        ? { numHashes, hash, mixin: bytes.subarray(o + 37, o + 69) }
        : { numHashes, hash },
    );
  }
  return { start, entries };
}

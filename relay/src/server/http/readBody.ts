import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly kind: 'ok'; readonly body: Uint8Array }
  | { readonly kind: 'tooLarge' }
  | { readonly kind: 'aborted' };

/**
 * Reads a request body, refusing it as soon as it passes `limit` bytes: a Content-Length above
 * the limit is refused before a byte is read, and a chunked body is cut off while streaming, so
 * an oversized body is never held in memory. After a refusal the rest is drained (up to a hard
 * cap, then the socket is destroyed) so the 413 can still be read by the client.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
      drain(req, limit);
      resolve({ kind: 'tooLarge' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        chunks.length = 0;
        drain(req, limit);
        resolve({ kind: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      done = true;
      resolve({ kind: 'ok', body: new Uint8Array(Buffer.concat(chunks, size)) });
    });
    req.once('error', () => {
      if (done) return;
      done = true;
      resolve({ kind: 'aborted' });
    });
    req.once('close', () => {
      if (done) return;
      done = true;
      resolve({ kind: 'aborted' });
    });
  });
}

/** Discards what is left of a refused body; gives up on the connection past 4× the limit. */
function drain(req: IncomingMessage, limit: number): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > 4 * limit + 65_536) req.socket.destroy();
  });
  req.resume();
}

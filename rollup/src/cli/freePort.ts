import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on `host` (the OS picks it). Used to hand every local
 * validator its peers' addresses before any of them starts, so they all start together.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

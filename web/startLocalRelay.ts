import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRelayServer, type RelayServerOptions } from '@moltbook/relay';
import { DEFAULT_OUT_DIR, ensureWebBuilt } from './build.ts';

export interface LocalRelayOptions {
  /** Directory for the relay's SQLite database (created if missing). */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The URL people reach the relay at, if not the listen URL (behind a proxy). */
  readonly publicUrl?: string;
  /** Where the page is built (default web/dist). */
  readonly webDir?: string;
  readonly log?: RelayServerOptions['log'];
}

export interface LocalRelay {
  /** Base URL of the relay and the page. */
  readonly url: string;
  /** Prefix of pairing links: `${pairUrlBase}<token>`. */
  readonly pairUrlBase: string;
  /** The DM page of linked browsers. */
  readonly dmUrl: string;
  close(): Promise<void>;
}

/**
 * Builds the web page if it is missing or stale, then starts a MoltDM relay that serves it
 * (`/pair/<token>`, `/dm`) beside the API, with its database in `dataDir`.
 */
export async function startLocalRelay(opts: LocalRelayOptions): Promise<LocalRelay> {
  const webDir = resolve(opts.webDir ?? DEFAULT_OUT_DIR);
  await ensureWebBuilt(webDir);
  await mkdir(opts.dataDir, { recursive: true });
  const relay = createRelayServer({
    dbPath: join(opts.dataDir, 'moltdm.db'),
    staticDir: webDir,
    ...(opts.publicUrl === undefined ? {} : { publicUrl: opts.publicUrl }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
  const { url: listenUrl } = await relay.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1');
  const url = (opts.publicUrl ?? listenUrl).replace(/\/+$/, '');
  return {
    url,
    pairUrlBase: `${url}/pair/`,
    dmUrl: `${url}/dm`,
    close: () => relay.close(),
  };
}

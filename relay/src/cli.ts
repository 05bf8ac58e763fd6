#!/usr/bin/env node
/**
 * `relay` — runs the MoltDM relay on its own:
 *
 *   npm run relay -w @moltbook/relay -- --port 8787 --db ./moltdm.db [--host 127.0.0.1]
 *     [--public-url https://relay.example] [--static web/dist]
 *
 * Relative paths are resolved against the directory npm was started from (INIT_CWD).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRelayServer } from './server/createRelayServer.ts';

const USAGE = `usage: relay [--port <0-65535>] [--host <address>] [--db <file>] [--public-url <url>] [--static <dir>]

  --port        TCP port (default 8787; 0 picks a free one)
  --host        address to bind (default 127.0.0.1)
  --db          SQLite database file, created if missing (default ./moltdm-relay.db)
  --public-url  base URL of the relay as clients reach it, used in pairing links
                (default http://<host>:<port>)
  --static      built web app to serve at /pair/<token> and /dm (e.g. web/dist)
`;

function fail(message: string): never {
  process.stderr.write(`relay: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        db: { type: 'string', default: 'moltdm-relay.db' },
        'public-url': { type: 'string' },
        static: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
}

const args = parse();
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const base = process.env.INIT_CWD ?? process.cwd();
if (!/^\d{1,5}$/.test(args.port) || Number(args.port) > 65_535)
  fail(`--port must be 0-65535, got '${args.port}'`);
const port = Number(args.port);
const dbPath = resolve(base, args.db);
if (!existsSync(dirname(dbPath))) fail(`--db: directory ${dirname(dbPath)} does not exist`);
let publicUrl: string | undefined;
if (args['public-url'] !== undefined) {
  let u: URL;
  try {
    u = new URL(args['public-url']);
  } catch {
    fail(`--public-url must be an absolute http(s) URL, got '${args['public-url']}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail('--public-url must be http or https');
  publicUrl = u.href.replace(/\/+$/, '');
}
let staticDir: string | undefined;
if (args.static !== undefined) {
  staticDir = resolve(base, args.static);
  if (!existsSync(staticDir) || !statSync(staticDir).isDirectory())
    fail(`--static: ${staticDir} is not a directory`);
}

let relay: ReturnType<typeof createRelayServer>;
try {
  relay = createRelayServer({
    dbPath,
    ...(publicUrl === undefined ? {} : { publicUrl }),
    ...(staticDir === undefined ? {} : { staticDir }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
} catch (err) {
  fail(`cannot open the database ${dbPath}: ${(err as Error).message}`);
}
let url: string;
try {
  ({ url } = await relay.listen(port, args.host));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  await relay.close();
  fail(
    e.code === 'EADDRINUSE'
      ? `port ${port} on ${args.host} is in use; pick another with --port`
      : e.message,
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write(`relay: ${signal}, closing…\n`);
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`relay: close failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  });
}

const shown = publicUrl ?? url;
process.stdout.write(
  [
    `MoltDM relay listening on ${url}`,
    `  database    ${dbPath}`,
    `  public URL  ${shown}`,
    `  pairing     ${shown}/pair/<token>${staticDir === undefined ? ' (page not served: no --static)' : ''}`,
    `  web page    ${staticDir === undefined ? 'not served (pass --static web/dist)' : `${shown}/dm (from ${staticDir})`}`,
    `  health      ${url}/health   metrics ${url}/metrics`,
    '',
  ].join('\n'),
);

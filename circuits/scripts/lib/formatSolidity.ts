import { spawn } from 'node:child_process';
import { REPOSITORY_DIR } from '../../src/membershipArtifacts.ts';

/**
 * `text` as `forge fmt` formats it with the repository's foundry.toml (what `npm run lint`
 * checks), through `forge fmt --raw -` from the repository root. forge is the repository's
 * devDependency (@foundry-rs/forge), found on PATH as npm scripts and `npm test` set it up.
 */
export function formatSolidity(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('forge', ['fmt', '--raw', '-'], {
      cwd: REPOSITORY_DIR,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', (cause) => reject(new Error(`could not run forge fmt: ${cause.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`forge fmt failed (exit ${code}): ${err.trim()}`));
    });
    child.stdin.end(text);
  });
}

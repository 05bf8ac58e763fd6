import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';

export type ArtifactRecord = { sha256: string; bytes: number };

/**
 * `manifest.json` of a build directory: what produced it (`kind`, the cache `key` derived from
 * `inputs`) and the sha256 of every artifact, so a cached directory is only reused when each file
 * is still exactly what was written.
 */
export type ArtifactManifest = {
  version: 1;
  kind: string;
  key: string;
  /** The non-secret inputs the key was derived from, for humans reading the file. */
  inputs: Record<string, string | number>;
  /** Facts learned while producing the artifacts (e.g. the constraint count). */
  metadata: Record<string, string | number>;
  /** Relative path (with `/`) → hash and size. */
  artifacts: Record<string, ArtifactRecord>;
};

export type ManifestHeader = Omit<ArtifactManifest, 'version' | 'artifacts'>;

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export async function writeArtifactManifest(
  dir: string,
  header: ManifestHeader,
  files: readonly string[],
): Promise<ArtifactManifest> {
  const artifacts: Record<string, ArtifactRecord> = {};
  for (const file of files) {
    const path = join(dir, file);
    artifacts[file] = { sha256: await sha256File(path), bytes: (await stat(path)).size };
  }
  const manifest: ArtifactManifest = { version: 1, ...header, artifacts };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The manifest of `dir` if it was written for this kind and key and every artifact still has its
 * recorded hash; otherwise undefined (missing, stale, truncated or edited: rebuild).
 */
export async function readArtifactManifest(
  dir: string,
  kind: string,
  key: string,
): Promise<ArtifactManifest | undefined> {
  let manifest: ArtifactManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ArtifactManifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== 1 || manifest.kind !== kind || manifest.key !== key) return undefined;
  for (const [file, record] of Object.entries(manifest.artifacts)) {
    try {
      if ((await sha256File(join(dir, file))) !== record.sha256) return undefined;
    } catch {
      return undefined;
    }
  }
  return manifest;
}

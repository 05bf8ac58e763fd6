import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type ArtifactManifest,
  type ManifestHeader,
  readArtifactManifest,
  writeArtifactManifest,
} from './artifactManifest.ts';

export type MaterializeArtifactsOptions = Omit<ManifestHeader, 'metadata'> & {
  /** The directory the artifacts live in once published. */
  dir: string;
  /** Rebuild even when a valid manifest for this key exists. */
  force?: boolean | undefined;
  /**
   * Writes the artifacts into `workDir` (a fresh empty directory) and names the files to record.
   * Anything else it leaves there is published too but not hashed.
   */
  produce: (workDir: string) => Promise<{
    files: readonly string[];
    metadata?: Record<string, string | number>;
  }>;
};

export type MaterializedArtifacts = {
  dir: string;
  manifest: ArtifactManifest;
  /** True when an existing directory was reused. */
  cached: boolean;
};

/**
 * The build cache used for compiled circuits and ceremony files: reuse `dir` when its manifest
 * matches `kind` and `key` and its files their hashes; otherwise produce everything in a
 * temporary sibling directory and rename it into place, so a crash or a concurrent run (node:test
 * runs test files in parallel processes) never leaves a half-written directory behind a valid
 * manifest.
 */
export async function materializeArtifacts(
  options: MaterializeArtifactsOptions,
): Promise<MaterializedArtifacts> {
  const { dir, kind, key, inputs } = options;
  if (options.force !== true) {
    const existing = await readArtifactManifest(dir, kind, key);
    if (existing) return { dir, manifest: existing, cached: true };
  }
  await mkdir(dirname(dir), { recursive: true });
  const workDir = await mkdtemp(join(dirname(dir), `.${basename(dir)}.tmp-`));
  try {
    const produced = await options.produce(workDir);
    const header = { kind, key, inputs, metadata: produced.metadata ?? {} };
    const manifest = await writeArtifactManifest(workDir, header, produced.files);
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(workDir, dir);
    } catch (err) {
      // Another process published between our rm and rename; theirs is as good as ours.
      const theirs = await readArtifactManifest(dir, kind, key);
      if (theirs) return { dir, manifest: theirs, cached: true };
      throw err;
    }
    return { dir, manifest, cached: false };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

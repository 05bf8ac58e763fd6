import { loadWycheproof } from '../../../../test/support/vectors.ts';

/**
 * Loads a Wycheproof file on first use, inside a test: node:test reports an error thrown while a
 * `describe` body runs as a failed suite but still exits 0, so a missing vector directory must
 * throw from within `it` to fail the run (with loadWycheproof's message saying where to put it).
 */
export function lazyWycheproof<T>(file: string): () => T {
  let cached: T | undefined;
  return () => {
    cached ??= loadWycheproof<T>(file);
    return cached;
  };
}

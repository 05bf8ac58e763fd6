import { fileURLToPath } from 'node:url';

/** `circuits/build/`: git-ignored, everything in it can be regenerated. */
export const DEFAULT_BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));

/** Prints a one-line error and a hint for a bad command line, and exits 2 (no stack trace). */
export function usageError(message: string, hint: string): never {
  process.stderr.write(`error: ${message}\n${hint}\n`);
  process.exit(2);
}

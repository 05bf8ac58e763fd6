export type Log = (line: string) => void;

/**
 * A human log line: `12:00:01.123 rollup  slot 10 stored`. Created by the composition root and
 * passed down (no module singleton); `write` is injectable for tests.
 */
export function createLogger(
  component: string,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Log {
  const tag = component.padEnd(7);
  return (line) => {
    const t = new Date().toISOString().slice(11, 23);
    write(`${t} ${tag} ${line}\n`);
  };
}

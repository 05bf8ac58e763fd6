/** The `i`-th of a connection's funded wallet clients, or a clear error when there are fewer. */
export function walletClientAt<T>(clients: readonly T[], i: number): T {
  const c = clients[i];
  if (c === undefined) throw new Error(`expected at least ${i + 1} funded accounts`);
  return c;
}

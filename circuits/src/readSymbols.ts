import { readFile } from 'node:fs/promises';

/**
 * Signal name → witness index from circom's `.sym` file (lines `label,wire,component,name`).
 * Signals the optimizer removed have wire -1 and are left out.
 */
export async function readSymbols(symPath: string): Promise<ReadonlyMap<string, number>> {
  const symbols = new Map<string, number>();
  for (const line of (await readFile(symPath, 'utf8')).split('\n')) {
    const parts = line.split(',');
    if (parts.length < 4) continue;
    const wire = Number(parts[1]);
    // Names never contain commas, but stay safe if a future circom quotes something.
    if (wire >= 0) symbols.set(parts.slice(3).join(','), wire);
  }
  return symbols;
}

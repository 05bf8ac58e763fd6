/**
 * Benchmark reporting: one JSON line per figure on stdout (machine-readable, greppable with
 * `grep '^{'`), then a short human table. Every bench in bench/<name>.ts uses this.
 */
export type Param = string | number | boolean;

export interface Figure {
  /** Stable dotted name, e.g. `poh.hashes_per_s.crypto_hash`. */
  readonly name: string;
  readonly value: number;
  /** Unit of `value`: `hashes/s`, `ms`, `tx/s`, … */
  readonly unit: string;
  /** Scenario parameters (sizes, threads, library) that make the figure reproducible. */
  readonly params?: Readonly<Record<string, Param>>;
}

export interface Reporter {
  /** Prints the figure as one JSON line and remembers it for the table. */
  emit(figure: Figure): void;
  /** Prints every figure emitted so far as an aligned table (on stdout, after the JSON lines). */
  table(title: string): void;
  readonly figures: readonly Figure[];
}

export function createReporter(
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Reporter {
  const figures: Figure[] = [];
  return {
    figures,
    emit(figure) {
      figures.push(figure);
      write(
        JSON.stringify({
          name: figure.name,
          value: figure.value,
          unit: figure.unit,
          ...figure.params,
        }),
      );
    },
    table(title) {
      const rows = figures.map((f) => [
        f.name,
        formatValue(f.value),
        f.unit,
        formatParams(f.params),
      ]);
      const header = ['figure', 'value', 'unit', 'parameters'];
      const widths = header.map((h, i) =>
        Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
      );
      const line = (cells: readonly string[]) =>
        cells
          .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd();
      write('');
      write(title);
      write(line(header));
      write(line(widths.map((w) => '-'.repeat(w))));
      for (const r of rows) write(line(r));
    },
  };
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function formatParams(p: Figure['params']): string {
  if (p === undefined) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Median of a non-empty list of samples (benchmarks report medians of repeated runs). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

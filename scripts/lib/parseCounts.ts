export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Reads the closing summary of a test runner's output (ANSI codes already stripped). Returns
 * null when the output has no summary (the runner crashed before reporting).
 */
export function parseCounts(runner: 'node' | 'hardhat' | 'forge', out: string): Counts | null {
  const last = (re: RegExp): number | null => {
    const all = [...out.matchAll(re)];
    const m = all.at(-1);
    return m === undefined ? null : Number(m[1]);
  };
  if (runner === 'node') {
    // node:test spec reporter: "ℹ pass 12" / "ℹ fail 0" / "ℹ skipped 0" / "ℹ todo 0"
    const passed = last(/^ℹ pass (\d+)$/gm);
    const failed = last(/^ℹ fail (\d+)$/gm);
    const cancelled = last(/^ℹ cancelled (\d+)$/gm) ?? 0;
    const skipped = (last(/^ℹ skipped (\d+)$/gm) ?? 0) + (last(/^ℹ todo (\d+)$/gm) ?? 0);
    if (passed === null || failed === null) return null;
    return { passed, failed: failed + cancelled, skipped };
  }
  if (runner === 'forge') {
    // "Ran 3 test suites in 1.2s (…): 14 tests passed, 0 failed, 0 skipped (14 total tests)"
    const m = [...out.matchAll(/(\d+) tests passed, (\d+) failed, (\d+) skipped/g)].at(-1);
    if (m === undefined) return null;
    return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
  }
  // Hardhat's node:test reporter: "12 passing", "1 failing", "2 skipped"/"pending"
  const passed = last(/^\s*(\d+) passing/gm);
  if (passed === null) return null;
  return {
    passed,
    failed: last(/^\s*(\d+) failing/gm) ?? 0,
    skipped: (last(/^\s*(\d+) skipped/gm) ?? 0) + (last(/^\s*(\d+) (?:pending|todo)/gm) ?? 0),
  };
}

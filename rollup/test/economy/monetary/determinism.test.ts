import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** Everything of the monetary policy that feeds a state root (STYLE.md "Numbers in consensus"). */
const SOURCES = [
  'src/economy/math/fixedPoint.ts',
  'src/economy/math/stats.ts',
  'src/economy/monetary/aci.ts',
  'src/economy/monetary/dynamicBurn.ts',
  'src/params/monetaryParams.ts',
];

/** The code without comments (none of these files has `//` or `/*` inside a string). */
function code(path: string): string {
  const text = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

describe('monetary policy: no floating point, clock or randomness in consensus code', () => {
  const forbidden: [string, RegExp][] = [
    ['Math.*', /\bMath\./],
    ['Date', /\bDate\b/],
    ['performance', /\bperformance\./],
    ['random', /random/i],
    ['a float literal', /(?<![\w.])\d[\d_]*\.\d/],
    ['a float exponent literal', /\b\d+e[+-]?\d+\b/i],
    ['parseFloat / toFixed', /\bparseFloat\b|\.toFixed\(/],
    ['Number.EPSILON / Infinity / NaN', /\bEPSILON\b|\bInfinity\b|\bNaN\b/],
  ];
  for (const path of SOURCES) {
    it(path, () => {
      const src = code(path);
      for (const [what, re] of forbidden) assert.doesNotMatch(src, re, `${path} uses ${what}`);
    });
  }
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type CircuitsError,
  calculateWitness,
  compileCircuit,
  shutdownProver,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'moltbook-circuits-compile-'));
});

after(async () => {
  await shutdownProver();
  await rm(work, { recursive: true, force: true });
});

const LIB = (k: number) => `pragma circom 2.1.0;
template Scale() {
    signal input x;
    signal output y;
    y <== x * ${k};
}
`;

const MAIN = `pragma circom 2.1.0;
include "lib/scale.circom";
// include "nowhere.circom";  (commented out: must not be followed)
template Main() {
    signal input a;
    signal input b;
    signal output out;
    component s = Scale();
    s.x <== a;
    out <== s.y * b;
}
component main = Main();
`;

async function writeProject(dir: string, k: number): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(join(dir, 'lib', 'scale.circom'), LIB(k));
  const main = join(dir, 'main.circom');
  await writeFile(main, MAIN);
  return main;
}

describe('compileCircuit', () => {
  test('compiles, records hashes, and reuses the build while the sources are unchanged', async () => {
    const buildDir = join(work, 'build-cache');
    const source = fixture('multiplier.circom');
    const first = await compileCircuit(source, { buildDir });
    assert.equal(first.cached, false);
    assert.equal(first.name, 'multiplier');
    assert.equal(first.dir, join(buildDir, 'multiplier'));
    assert.equal(first.constraints, 1);
    assert.deepEqual([first.outputs, first.publicInputs, first.privateInputs], [1, 1, 1]);
    const manifest = JSON.parse(await readFile(join(first.dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.artifacts).sort(), [
      'multiplier.r1cs',
      'multiplier.sym',
      'multiplier_js/multiplier.wasm',
    ]);
    assert.equal(manifest.key, first.sourceHash);

    const second = await compileCircuit(source, { buildDir });
    assert.equal(second.cached, true);
    assert.deepEqual({ ...second, cached: false }, first);

    const forced = await compileCircuit(source, { buildDir, force: true });
    assert.equal(forced.cached, false);
  });

  test('a changed local include triggers a recompile with the new semantics', async () => {
    const buildDir = join(work, 'build-include');
    const main = await writeProject(join(work, 'project'), 3);
    const v1 = await compileCircuit(main, { buildDir });
    assert.equal(v1.cached, false);
    assert.equal((await calculateWitness(v1, { a: 2n, b: 5n })).signal('main.out'), 30n);
    assert.equal((await compileCircuit(main, { buildDir })).cached, true);

    await writeProject(join(work, 'project'), 4);
    const v2 = await compileCircuit(main, { buildDir });
    assert.equal(v2.cached, false);
    assert.notEqual(v2.sourceHash, v1.sourceHash);
    assert.equal((await calculateWitness(v2, { a: 2n, b: 5n })).signal('main.out'), 40n);
  });

  test('the optimization level is part of the cache key', async () => {
    const buildDir = join(work, 'build-opt');
    const main = await writeProject(join(work, 'project-opt'), 3);
    const o2 = await compileCircuit(main, { buildDir });
    const o1 = await compileCircuit(main, { buildDir, optimization: 1 });
    assert.equal(o1.cached, false);
    assert.notEqual(o1.sourceHash, o2.sourceHash);
    // --O1 keeps the linear constraint y = 3x that --O2 substitutes away.
    assert.ok(o1.constraints > o2.constraints, `${o1.constraints} > ${o2.constraints}`);
  });

  test('a corrupted artifact is rebuilt instead of reused', async () => {
    const buildDir = join(work, 'build-corrupt');
    const first = await compileCircuit(fixture('multiplier.circom'), { buildDir });
    await writeFile(first.r1csPath, 'garbage');
    const again = await compileCircuit(fixture('multiplier.circom'), { buildDir });
    assert.equal(again.cached, false);
    assert.equal(again.constraints, 1);
  });

  test('a compile error is a typed error carrying the compiler message', async () => {
    const broken = join(work, 'broken.circom');
    await writeFile(
      broken,
      'pragma circom 2.1.0;\ntemplate T() {\n    signal input a;\n    signal output b;\n    b <== a * undeclared;\n}\ncomponent main = T();\n',
    );
    await assert.rejects(
      compileCircuit(broken, { buildDir: join(work, 'build-broken') }),
      (err) => {
        const e = err as CircuitsError;
        assert.equal(e.code, 'circuits.compile_failed');
        assert.match(e.shortMessage, /^circom failed on .*broken\.circom: error/);
        assert.match(e.details ?? '', /undeclared/);
        assert.equal(e.message.includes('\u001b['), false); // ANSI colours stripped
        return true;
      },
    );
  });

  test('a missing include is reported by the compiler', async () => {
    const missing = join(work, 'missing.circom');
    await writeFile(missing, 'pragma circom 2.1.0;\ninclude "nope/nothing.circom";\n');
    await assert.rejects(
      compileCircuit(missing, { buildDir: join(work, 'build-missing') }),
      (err: unknown) => {
        assert.equal((err as CircuitsError).code, 'circuits.compile_failed');
        assert.match((err as CircuitsError).message, /nothing\.circom/);
        return true;
      },
    );
  });

  test('bad arguments are typed errors', async () => {
    await assert.rejects(
      compileCircuit(join(work, 'does-not-exist.circom')),
      hasErrorCode('circuits.source_not_found'),
    );
    await assert.rejects(
      compileCircuit(fixture('multiplier.circom'), { name: '../escape' }),
      hasErrorCode('circuits.invalid_option'),
    );
  });
});

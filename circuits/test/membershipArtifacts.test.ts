import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as snarkjs from 'snarkjs';
import { driftedContracts, renderGeneratedContracts } from '../scripts/lib/generatedContracts.ts';
import { checkMembershipProofFixture } from '../scripts/lib/membershipProofFixture.ts';
import { runPhase2 } from '../scripts/lib/runPhase2.ts';
import {
  compileCircuit,
  loadMembershipArtifacts,
  MEMBERSHIP_CEREMONY_DIR,
  type MembershipArtifacts,
  preparePowersOfTau,
  proveGroth16,
  readMembershipManifest,
  requiredPowerOfTau,
  shutdownProver,
  verifyGroth16,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

let artifacts: MembershipArtifacts;
let scratch: string;

before(async () => {
  artifacts = await loadMembershipArtifacts();
  scratch = await mkdtemp(join(tmpdir(), 'moltbook-membership-artifacts-'));
});

after(async () => {
  await shutdownProver();
  await rm(scratch, { recursive: true, force: true });
});

describe('the checked-in ceremony (circuits/ceremony/membership/)', () => {
  test('pins the circuit as compiled now and the committed keys (or loading would have failed)', () => {
    const { manifest } = artifacts;
    for (const pinned of Object.values(manifest.artifacts))
      assert.match(pinned.sha256, /^[0-9a-f]{64}$/);
    assert.equal(
      manifest.phase1.power,
      requiredPowerOfTau({ constraints: 6298, publicInputs: 2, outputs: 2 }),
    );
    assert.equal(manifest.phase2.contributions.length, 2);
    assert.match(manifest.phase2.beacon.hash, /^[0-9a-f]{128}$/);
    assert.match(manifest.warning, /LOCAL ceremony/);
  });

  test('the verification key is the zkey’s', async () => {
    const exported = await snarkjs.zKey.exportVerificationKey(artifacts.zkeyPath);
    assert.deepEqual(JSON.parse(JSON.stringify(exported)), artifacts.verificationKey);
  });

  test('drift check: the generated contracts are what the scripts write; the fixture proof verifies', async () => {
    const rendered = await renderGeneratedContracts();
    assert.deepEqual(await driftedContracts(rendered), []);
    assert.equal(await checkMembershipProofFixture(artifacts), true);
    // An edit of the checked-in text is caught.
    const [verifier] = rendered;
    if (verifier === undefined) throw new Error('no verifier rendered');
    assert.deepEqual(
      await driftedContracts([{ ...verifier, text: `${verifier.text}// edited\n` }]),
      [verifier.path],
    );
  });

  test('a tampered zkey or verification key, or no manifest, is refused', async () => {
    const cases: [string, (dir: string) => Promise<void>][] = [
      [
        'zkey',
        async (dir) => {
          const path = join(dir, 'membership.zkey');
          const bytes = await readFile(path);
          bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
          await writeFile(path, bytes);
        },
      ],
      ['vkey', (dir) => writeFile(join(dir, 'verification_key.json'), '{}\n')],
      ['manifest', (dir) => rm(join(dir, 'manifest.json'))],
    ];
    for (const [name, tamper] of cases) {
      const dir = join(scratch, name);
      await cp(MEMBERSHIP_CEREMONY_DIR, dir, { recursive: true });
      await tamper(dir);
      await assert.rejects(
        loadMembershipArtifacts({ ceremonyDir: dir }),
        hasErrorCode('circuits.artifact_mismatch'),
        name,
      );
    }
    // The checked-in directory itself still loads.
    assert.equal((await readMembershipManifest()).circuit.maxDepth, 20);
  });
});

describe('runPhase2 (the ceremony script’s phase 2)', () => {
  test('contributions and beacon on a tiny circuit: a zkey snarkjs verifies, keys that prove', async () => {
    const buildDir = join(scratch, 'phase2');
    const circuit = await compileCircuit(fixture('multiplier.circom'), { buildDir });
    const ptau = await preparePowersOfTau({ power: 4, entropy: 'phase2 test', buildDir });
    const zkeyPath = join(buildDir, 'multiplier.zkey');
    const lines: string[] = [];
    const result = await runPhase2({
      r1csPath: circuit.r1csPath,
      ptauPath: ptau.path,
      zkeyPath,
      contributors: ['alice', 'bob', 'carol'],
      beacon: { name: 'beacon', value: 'ab'.repeat(32), iterationsExp: 10 },
      log: (line) => lines.push(line),
    });
    assert.deepEqual(
      result.contributions.map((c) => c.name),
      ['alice', 'bob', 'carol'],
    );
    for (const c of result.contributions) assert.match(c.hash, /^[0-9a-f]{128}$/);
    assert.equal(new Set(result.contributions.map((c) => c.hash)).size, 3);
    assert.match(result.beacon.hash, /^[0-9a-f]{128}$/);
    assert.equal(lines.length, 5);
    assert.equal(await snarkjs.zKey.verifyFromR1cs(circuit.r1csPath, ptau.path, zkeyPath), true);
    const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
    const { proof, publicSignals } = await proveGroth16(circuit, { zkeyPath }, { a: 6n, b: 7n });
    assert.deepEqual(await verifyGroth16(vkey, publicSignals, proof), { kind: 'valid' });
  });

  test('a malformed beacon is a typed error before any work', async () => {
    const buildDir = join(scratch, 'phase2');
    const circuit = await compileCircuit(fixture('multiplier.circom'), { buildDir });
    const ptau = await preparePowersOfTau({ power: 4, entropy: 'phase2 test', buildDir });
    await assert.rejects(
      runPhase2({
        r1csPath: circuit.r1csPath,
        ptauPath: ptau.path,
        zkeyPath: join(buildDir, 'bad.zkey'),
        contributors: ['alice'],
        beacon: { name: 'beacon', value: 'not hex', iterationsExp: 10 },
      }),
      hasErrorCode('circuits.invalid_option'),
    );
    await assert.rejects(
      runPhase2({
        r1csPath: circuit.r1csPath,
        ptauPath: ptau.path,
        zkeyPath: join(buildDir, 'bad.zkey'),
        contributors: ['alice'],
        beacon: { name: 'beacon', value: 'abcd', iterationsExp: 9 },
      }),
      hasErrorCode('circuits.invalid_option'),
    );
  });
});

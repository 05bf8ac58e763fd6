import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as snarkjs from 'snarkjs';
import {
  type ArtifactManifest,
  type CompiledCircuit,
  compileCircuit,
  localCeremony,
  preparePowersOfTau,
  proveGroth16,
  requiredPowerOfTau,
  setupGroth16,
  shutdownProver,
  verifyGroth16,
} from '../src/index.ts';
import { fixture } from './fixtures.ts';
import { hasErrorCode } from './hasErrorCode.ts';

// The one-constraint multiplier fits 2^2; 2^4 keeps every ceremony step in milliseconds.
const POWER = 4;
const ENTROPY = 'ceremony test';

let buildDir: string;
let circuit: CompiledCircuit;

before(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'moltbook-circuits-ceremony-'));
  circuit = await compileCircuit(fixture('multiplier.circom'), { buildDir });
});

after(async () => {
  await shutdownProver();
  await rm(buildDir, { recursive: true, force: true });
});

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function manifestOf(path: string): Promise<ArtifactManifest> {
  return JSON.parse(await readFile(join(dirname(path), 'manifest.json'), 'utf8'));
}

describe('localCeremony', () => {
  test('produces a zkey that snarkjs verifies against the r1cs and the ptau', async () => {
    const { ptau, keys } = await localCeremony(circuit, {
      power: POWER,
      entropy: ENTROPY,
      buildDir,
    });
    assert.equal(ptau.power, POWER);
    // snarkjs 0.7.6 never closes the ptau it opens here (zkey_verify_frominit.js, sameRatioH):
    // the "Closing file descriptor ... on garbage collection" warning in the output is that.
    assert.equal(
      await snarkjs.zKey.verifyFromR1cs(circuit.r1csPath, ptau.path, keys.zkeyPath),
      true,
    );
    assert.equal(keys.verificationKey.protocol, 'groth16');
    assert.equal(keys.verificationKey.nPublic, 2);
    const { proof, publicSignals } = await proveGroth16(circuit, keys, { a: 6n, b: 7n });
    assert.deepEqual(publicSignals, [42n, 6n]);
    assert.deepEqual(await verifyGroth16(keys.verificationKey, publicSignals, proof), {
      kind: 'valid',
    });
  });

  test('manifests record the sha256 and size of every artifact', async () => {
    const { ptau, keys } = await localCeremony(circuit, {
      power: POWER,
      entropy: ENTROPY,
      buildDir,
    });
    const ptauManifest = await manifestOf(ptau.path);
    assert.equal(ptauManifest.kind, 'ptau');
    assert.equal(ptauManifest.inputs.power, POWER);
    assert.deepEqual(Object.keys(ptauManifest.artifacts), [`pot${POWER}_final.ptau`]);
    assert.equal(ptau.sha256, await sha256(ptau.path));
    assert.equal(ptauManifest.artifacts[`pot${POWER}_final.ptau`]?.sha256, ptau.sha256);
    assert.equal(
      ptauManifest.artifacts[`pot${POWER}_final.ptau`]?.bytes,
      (await stat(ptau.path)).size,
    );

    const keysManifest = await manifestOf(keys.zkeyPath);
    assert.equal(keysManifest.kind, 'groth16');
    assert.equal(keysManifest.inputs.ptauSha256, ptau.sha256);
    assert.equal(keysManifest.inputs.r1csSha256, await sha256(circuit.r1csPath));
    for (const [file, record] of Object.entries(keysManifest.artifacts)) {
      assert.equal(record.sha256, await sha256(join(dirname(keys.zkeyPath), file)), file);
    }
    assert.equal(keys.zkeySha256, await sha256(keys.zkeyPath));
    // The entropy is a cache-key input but never written down.
    assert.doesNotMatch(JSON.stringify([ptauManifest, keysManifest]), /ceremony test/);
  });

  test('a second run reuses the cached artifacts; other inputs get their own', async () => {
    const first = await localCeremony(circuit, { power: POWER, entropy: ENTROPY, buildDir });
    const again = await localCeremony(circuit, { power: POWER, entropy: ENTROPY, buildDir });
    assert.equal(again.ptau.cached, true);
    assert.equal(again.keys.cached, true);
    assert.equal(again.ptau.sha256, first.ptau.sha256);
    assert.equal(again.keys.zkeySha256, first.keys.zkeySha256);

    const otherEntropy = await localCeremony(circuit, { power: POWER, entropy: 'other', buildDir });
    assert.equal(otherEntropy.ptau.cached, false);
    assert.notEqual(otherEntropy.ptau.path, first.ptau.path);
    assert.notEqual(otherEntropy.keys.zkeyPath, first.keys.zkeyPath);

    const otherPower = await preparePowersOfTau({ power: POWER + 1, entropy: ENTROPY, buildDir });
    assert.equal(otherPower.cached, false);
    assert.notEqual(otherPower.path, first.ptau.path);
  });

  test('an edited artifact is detected by its hash and regenerated', async () => {
    const first = await localCeremony(circuit, { power: POWER, entropy: ENTROPY, buildDir });
    await writeFile(first.keys.zkeyPath, 'tampered');
    const again = await localCeremony(circuit, { power: POWER, entropy: ENTROPY, buildDir });
    assert.equal(again.ptau.cached, true);
    assert.equal(again.keys.cached, false);
    assert.equal(again.keys.zkeySha256, await sha256(again.keys.zkeyPath));
    const { proof, publicSignals } = await proveGroth16(circuit, again.keys, { a: 3n, b: 5n });
    assert.deepEqual(await verifyGroth16(again.keys.verificationKey, publicSignals, proof), {
      kind: 'valid',
    });
  });

  test('a ptau too small for the circuit is refused before any work', async () => {
    assert.equal(requiredPowerOfTau(circuit), 2); // 1 constraint + 2 public signals
    assert.equal(requiredPowerOfTau({ constraints: 241, publicInputs: 1, outputs: 1 }), 8);
    assert.equal(requiredPowerOfTau({ constraints: 253, publicInputs: 1, outputs: 1 }), 8);
    assert.equal(requiredPowerOfTau({ constraints: 254, publicInputs: 1, outputs: 1 }), 9);
    const empty = await mkdtemp(join(tmpdir(), 'moltbook-circuits-empty-'));
    try {
      await assert.rejects(
        localCeremony(circuit, { power: 1, entropy: ENTROPY, buildDir: empty }),
        hasErrorCode('circuits.ptau_too_small'),
      );
      // Nothing was generated.
      await assert.rejects(stat(join(empty, 'ptau')), { code: 'ENOENT' });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('requiredPowerOfTau agrees with snarkjs at the boundary', async () => {
    const required = requiredPowerOfTau(circuit);
    const fits = await preparePowersOfTau({ power: required, entropy: ENTROPY, buildDir });
    const keys = await setupGroth16(circuit, fits, { entropy: ENTROPY });
    const { proof, publicSignals } = await proveGroth16(circuit, keys, { a: 2n, b: 9n });
    assert.deepEqual(await verifyGroth16(keys.verificationKey, publicSignals, proof), {
      kind: 'valid',
    });
    const tooSmall = await preparePowersOfTau({ power: required - 1, entropy: ENTROPY, buildDir });
    // snarkjs itself only logs and resolves -1; setupGroth16 refuses before calling it.
    const raw = await snarkjs.zKey.newZKey(circuit.r1csPath, tooSmall.path, { type: 'mem' });
    assert.equal(raw, -1);
    await assert.rejects(
      setupGroth16(circuit, tooSmall, { entropy: ENTROPY }),
      hasErrorCode('circuits.ptau_too_small'),
    );
  });

  test('bad options are typed errors (an empty entropy would make snarkjs prompt)', async () => {
    for (const power of [0, 29, 2.5, Number.NaN]) {
      await assert.rejects(
        localCeremony(circuit, { power, entropy: ENTROPY, buildDir }),
        hasErrorCode('circuits.invalid_option'),
        String(power),
      );
    }
    await assert.rejects(
      localCeremony(circuit, { power: POWER, entropy: '', buildDir }),
      hasErrorCode('circuits.invalid_option'),
    );
  });
});

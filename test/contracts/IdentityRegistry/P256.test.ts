import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Hex, hexToBytes } from 'viem';
import { loadWycheproof } from '../../support/vectors.ts';
import {
  cardKeyHash,
  cardMessageBytes,
  certificateBytes,
  generateP256Key,
  hash32,
  P256_N,
  P256_P,
  sha256,
  signP256,
} from '../helpers/identityFixture.ts';

interface WycheproofEcdsa {
  testGroups: {
    publicKey: { wx: string; wy: string };
    tests: { tcId: number; comment: string; msg: string; sig: string; result: string }[];
  }[];
}

const HALF_N = P256_N / 2n;

// The vector OpenZeppelin's P256 probes 0x100 with (Wycheproof tcId 285 of this file).
const PROBE = [
  '0xbb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023',
  hash32(5),
  hash32(1),
  '0xa71af64de5126a4a4e02b7922d66ce9415ce88a4c9d25514d91082c8725ac957',
  '0x5d47723c8fbe580bb369fec9c2665d8e30a435b9932645482e7c9f11e872296b',
] as const;

// Frozen known answers for our own formats (IdentityMessages.sol, docs/contracts-identity.md).
// The key is the P-256 key of RFC 6979 A.2.5 (private key c9afa9d8…0f6721).
const KAT = {
  cardKeyX: '0x60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
  cardKeyY: '0x7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  cardMessage:
    '0x6d6f6c74626f6f6b2e636172642e76310000000000000000000000000000000000000000000000000000000000007a695fbdb2315678afecb367f032d93f642f64180aa302000000000000000700000000000000000000000000000000000000000000000000000000000000110000000000000000000000000000000000000000000000000000000000000022',
  cardDigest: '0x00584d28e31c2c63dcfc1faedac2817d6a6db79ed7240a3f4b971692c30c0c07',
  cardR: '0x6432d4dc5d97f500ec7073976e1b9e392aab5d94b0eec7ec7cb3f61bba522886',
  cardS: '0x6023bea8534b67ff60c0016a75857abbca16a0f6383e9ee8b5542398fb07bc4c',
  certificate:
    '0x6d6f6c74626f6f6b2e636572742e763160fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d44622990000000000000000000000000000000000000000000000000000000000000033000000000000000000000000000000000000000000000000000000000000004401',
  certificateDigest: '0x27a9b87678808cb6d8bd935a427d3c990d0f15e24db1b7b05a42121ca96a3124',
  // First 16 bytes of keccak256(cardKeyX ‖ cardKeyY): what the registry stores of the key.
  cardKeyHash: '0x1547e66da415404f4d702182db1cf7c2',
} as const;

const CHAINS = [
  { label: 'op (RIP-7212)', params: 'op', precompile: true },
  { label: 'l1 osaka (EIP-7951)', params: 'l1', precompile: true },
  {
    label: 'l1 prague (no precompile)',
    params: { network: 'l1', override: { hardfork: 'prague' } },
    precompile: false,
  },
] as const;

describe('P-256 formats (known answers)', () => {
  it('encodes card messages and certificates byte for byte', () => {
    const card = cardMessageBytes(
      { chainId: 31337n, registry: KAT.registry },
      { typeTag: 2, counter: 7n, predecessor: hash32(0x11), payloadHash: hash32(0x22) },
    );
    assert.equal(card.toLowerCase(), KAT.cardMessage);
    assert.equal(hexToBytes(card).length, 141);
    assert.equal(sha256(card), KAT.cardDigest);
    const certificate = certificateBytes({
      cardKeyX: KAT.cardKeyX,
      cardKeyY: KAT.cardKeyY,
      deviceIdHash: hash32(0x33),
      firmwareHash: hash32(0x44),
      hardwareType: 1,
    });
    assert.equal(certificate, KAT.certificate);
    assert.equal(hexToBytes(certificate).length, 145);
    assert.equal(sha256(certificate), KAT.certificateDigest);
    assert.equal(cardKeyHash(KAT.cardKeyX, KAT.cardKeyY), KAT.cardKeyHash);
  });
});

for (const chain of CHAINS) {
  describe(`P-256 on ${chain.label}`, async () => {
    const { viem, networkHelpers, provider } = await network.create(chain.params as 'op');
    const deploy = () => viem.deployContract('P256ForTests');

    it(`${chain.precompile ? 'has' : 'lacks'} the P-256 verifier at 0x100`, async () => {
      const input = `0x${PROBE.map((w) => w.slice(2)).join('')}`;
      const out = (await provider.request({
        method: 'eth_call',
        params: [{ to: '0x0000000000000000000000000000000000000100', data: input }, 'latest'],
      })) as Hex;
      assert.equal(out, chain.precompile ? hash32(1) : '0x');
    });

    it('verifies the frozen card-message signature and digests on chain', async () => {
      const p256 = await networkHelpers.loadFixture(deploy);
      assert.equal(
        await p256.read.cardMessageDigest([
          31337n,
          KAT.registry,
          2,
          7n,
          hash32(0x11),
          hash32(0x22),
        ]),
        KAT.cardDigest,
      );
      assert.equal(
        await p256.read.verify([KAT.cardDigest, KAT.cardR, KAT.cardS, KAT.cardKeyX, KAT.cardKeyY]),
        true,
      );
    });

    it('hashes card keys as the registry stores them; tells points from non-points', async () => {
      const p256 = await networkHelpers.loadFixture(deploy);
      assert.equal(await p256.read.cardKeyHash([KAT.cardKeyX, KAT.cardKeyY]), KAT.cardKeyHash);
      for (let i = 0; i < 4; i++) {
        const key = generateP256Key();
        assert.equal(await p256.read.cardKeyHash([key.x, key.y]), cardKeyHash(key.x, key.y));
      }
      // x = 0 is on P-256; x = p is the same residue but not a valid coordinate.
      const y0 = '0x66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4';
      assert.equal(await p256.read.isValidPublicKey([hash32(0), y0]), true);
      assert.equal(await p256.read.isValidPublicKey([hash32(P256_P), y0]), false);
    });

    it('accepts both s and n - s in the identity verifier, only the low s in OpenZeppelin', async () => {
      const p256 = await networkHelpers.loadFixture(deploy);
      const key = generateP256Key();
      const message = new TextEncoder().encode('moltbook');
      const low = signP256(key, message);
      const high = signP256(key, message, { lowS: false });
      const h = sha256(message);
      assert.equal(await p256.read.verify([h, low.r, low.s, key.x, key.y]), true);
      assert.equal(await p256.read.verify([h, high.r, high.s, key.x, key.y]), false);
      assert.equal(await p256.read.verifyEitherS([h, low.r, low.s, key.x, key.y]), true);
      assert.equal(await p256.read.verifyEitherS([h, high.r, high.s, key.x, key.y]), true);
      // s = 0 and s = n are not signatures, flipped or not.
      for (const s of [0n, P256_N]) {
        assert.equal(await p256.read.verifyEitherS([h, low.r, hash32(s), key.x, key.y]), false);
      }
    });

    it('runs the Wycheproof ecdsa_secp256r1_sha256_p1363 vectors', async () => {
      const p256 = await networkHelpers.loadFixture(deploy);
      const vectors = loadWycheproof<WycheproofEcdsa>('ecdsa_secp256r1_sha256_p1363_test.json');
      let checked = 0;
      let highS = 0;
      for (const group of vectors.testGroups) {
        const qx = BigInt(`0x${group.publicKey.wx}`);
        const qy = BigInt(`0x${group.publicKey.wy}`);
        for (const t of group.tests) {
          const sigBytes = t.sig.length / 2;
          // Only 64-byte r ‖ s fits the (bytes32, bytes32) interface; other sizes are invalid.
          if (sigBytes !== 64 || qx >= 2n ** 256n || qy >= 2n ** 256n) {
            assert.equal(t.result, 'invalid', `tcId ${t.tcId}: unrepresentable but ${t.result}`);
            continue;
          }
          const h = sha256(`0x${t.msg}`);
          const r = `0x${t.sig.slice(0, 64)}` as Hex;
          const s = `0x${t.sig.slice(64)}` as Hex;
          const args = [h, r, s, hash32(qx), hash32(qy)] as const;
          const valid = t.result === 'valid';
          // OpenZeppelin rejects a high s by design (malleability), valid or not.
          const ozExpected = valid && BigInt(s) <= HALF_N;
          if (valid && !ozExpected) highS++;
          assert.equal(await p256.read.verify(args), ozExpected, `tcId ${t.tcId} ${t.comment}`);
          assert.equal(await p256.read.verifyEitherS(args), valid, `tcId ${t.tcId} ${t.comment}`);
          if (chain.params === 'op') {
            assert.equal(await p256.read.verifySolidity(args), ozExpected, `tcId ${t.tcId}`);
          }
          checked++;
        }
      }
      assert.ok(checked > 240, `only ${checked} vectors checked`);
      assert.ok(highS > 0, 'no valid high-s vector seen');
    });
  });
}

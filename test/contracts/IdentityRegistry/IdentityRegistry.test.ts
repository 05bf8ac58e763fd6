import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Address, getAddress, type Hex, parseSignature, zeroAddress, zeroHash } from 'viem';
import {
  CARD_TYPE,
  Card,
  cardKeyHash,
  cardMessage,
  cardRef,
  cardSignature,
  certificateBytes,
  certify,
  deployIdentityFixture,
  FIXTURE_TREASURY,
  GOVERNANCE_ROLE,
  generateP256Key,
  HARDWARE_TYPE,
  hash32,
  IDENTITY_COMMITMENT_FIELD,
  IDENTITY_MAX_SIGNER_KEYS,
  IDENTITY_MIN_STAKE,
  MANUFACTURER_BOND,
  MANUFACTURER_BOND_RELEASE_DELAY,
  MOLT,
  P256_N,
  type P256Key,
  type RegisteredIdentity,
  randomHash,
  randomZkCommitment,
  registerPayloadHash,
  sha256,
  signerPayloadHash,
  type TestManufacturer,
} from '../helpers/identityFixture.ts';

// §5.5 and §5.4, written out here rather than read from the contracts.
const STATUS = { none: 0, active: 1, frozen: 2, retired: 3 } as const;
const SIGNER = { none: 0, active: 1, revoked: 2 } as const;
const RESOLUTION = { unfreeze: 0, slashAndRetire: 1 } as const;
const CAP = 1_000_000_000n * MOLT;

// The suite runs on the L2 (op, RIP-7212 precompile), L1 osaka (EIP-7951 precompile) and L1
// prague, where 0x100 is empty and OpenZeppelin's P256 falls back to Solidity.
const CHAINS = [
  { label: 'op', params: 'op' },
  { label: 'l1', params: 'l1' },
  {
    label: 'l1 prague (no P-256 precompile)',
    params: { network: 'l1', override: { hardfork: 'prague' } },
  },
] as const;

for (const chain of CHAINS) {
  describe(`IdentityRegistry + IdentityGateway on ${chain.label}`, async () => {
    const connection = await network.create(chain.params as 'op');
    const { viem, networkHelpers } = connection;
    const wallets = await viem.getWalletClients();
    const wallet = (i: number) => {
      const w = wallets[i];
      if (w === undefined) throw new Error(`no wallet ${i}`);
      return w;
    };
    const outsider = wallet(9);

    async function fixture() {
      return deployIdentityFixture(connection, { identities: 2 });
    }
    type Fx = Awaited<ReturnType<typeof fixture>>;

    function first(fx: Fx): RegisteredIdentity {
      const id = fx.identities[0];
      if (id === undefined) throw new Error('fixture without identities');
      return id;
    }
    function second(fx: Fx): RegisteredIdentity {
      const id = fx.identities[1];
      if (id === undefined) throw new Error('fixture without identities');
      return id;
    }

    interface Prepare {
      manufacturer?: TestManufacturer;
      card?: Card;
      stake?: bigint;
      deviceIdHash?: Hex;
      zkCommitment?: bigint;
      deadline?: bigint;
      certKey?: P256Key;
      firmwareHash?: Hex;
      hardwareType?: number;
      signedOwner?: Address;
      fund?: boolean;
    }

    /** Builds (and funds) a registration for `owner` without sending it. */
    async function prepare(fx: Fx, owner: Address, o: Prepare = {}) {
      const maker = o.manufacturer ?? fx.manufacturer;
      const card = o.card ?? new Card();
      const stake = o.stake ?? IDENTITY_MIN_STAKE;
      const deviceIdHash = o.deviceIdHash ?? randomHash();
      const zkCommitment = o.zkCommitment ?? randomZkCommitment();
      const deadline = o.deadline ?? (await fx.now()) + 3600n;
      if (o.fund !== false && stake <= CAP) {
        await fx.mint(owner, stake);
        const w = await fx.walletFor(owner);
        await fx.token.write.approve([fx.registry.address, stake], { account: w.account });
      }
      const certificate = certify(o.certKey ?? maker.key, {
        cardKeyX: card.key.x,
        cardKeyY: card.key.y,
        deviceIdHash,
        firmwareHash: o.firmwareHash ?? maker.firmwareHash,
        hardwareType: o.hardwareType ?? maker.hardwareType,
      });
      const signed = card.sign(
        fx.domain,
        CARD_TYPE.register,
        registerPayloadHash(o.signedOwner ?? owner, zkCommitment, deadline),
      );
      const args = [
        maker.id,
        certificate,
        zkCommitment,
        stake,
        deadline,
        cardSignature(signed),
      ] as const;
      return { args, card, signed, certificate, deviceIdHash, zkCommitment, stake, deadline };
    }

    /** What a reverted call must not have changed. */
    async function snapshot(fx: Fx) {
      return [
        await fx.registry.read.identityCount(),
        await fx.registry.read.totalStake(),
        await fx.token.read.balanceOf([fx.registry.address]),
        await fx.manufacturers.read.totalActiveDevices(),
      ];
    }

    async function signSigner(
      fx: Fx,
      who: RegisteredIdentity,
      typeTag: number,
      signerKey: Hex,
      deadline?: bigint,
      card: Card = who.card,
    ) {
      const d = deadline ?? (await fx.now()) + 3600n;
      const signed = card.sign(fx.domain, typeTag, signerPayloadHash(who.identityId, signerKey, d));
      return { deadline: d, signed, sig: cardSignature(signed) };
    }

    async function freeze(fx: Fx, who: RegisteredIdentity) {
      const clone = who.card.clone();
      const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
      const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
      await fx.gateway.write.reportClone([
        who.identityId,
        cardRef(who),
        cardMessage(a),
        cardMessage(b),
      ]);
      return { a, b };
    }

    async function signPermit(
      fx: { chainId: bigint; token: { address: Address }; now: () => Promise<bigint> },
      owner: (typeof wallets)[number],
      spender: Address,
      value: bigint,
    ) {
      const deadline = (await fx.now()) + 3600n;
      const signature = await owner.signTypedData({
        account: owner.account,
        domain: {
          name: 'Molt',
          version: '1',
          chainId: Number(fx.chainId),
          verifyingContract: fx.token.address,
        },
        types: {
          Permit: [
            { name: 'owner', type: 'address' },
            { name: 'spender', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'nonce', type: 'uint256' },
            { name: 'deadline', type: 'uint256' },
          ],
        },
        primaryType: 'Permit',
        message: { owner: owner.account.address, spender, value, nonce: 0n, deadline },
      });
      const { r, s, v, yParity } = parseSignature(signature);
      return { deadline, v: v === undefined ? yParity + 27 : Number(v), r, s };
    }

    // ---------------------------------------------------------------- registration

    describe('registration (§5.5)', () => {
      it('stores the record, escrows the stake and counts the device', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3);
        const stake = 250n * MOLT;
        const p = await prepare(fx, owner.account.address, { stake });
        const before = await snapshot(fx);
        const hash = await fx.gateway.write.register(p.args, { account: owner.account });
        const receipt = await fx.publicClient.waitForTransactionReceipt({ hash });
        const block = await fx.publicClient.getBlock({ blockHash: receipt.blockHash });

        await viem.assertions.emitWithArgs(
          Promise.resolve(hash),
          fx.registry,
          'IdentityRegistered',
          [
            3n,
            getAddress(owner.account.address),
            fx.manufacturer.id,
            p.card.key.x,
            p.card.key.y,
            p.deviceIdHash,
            fx.manufacturer.firmwareHash,
            HARDWARE_TYPE.secureElement,
            p.zkCommitment,
            stake,
            p.signed.counter,
          ],
        );
        await viem.assertions.emitWithArgs(
          Promise.resolve(hash),
          fx.gateway,
          'CardMessageAccepted',
          [
            3n,
            CARD_TYPE.register,
            p.signed.counter,
            p.signed.predecessor,
            p.signed.payloadHash,
            p.signed.r,
            p.signed.s,
          ],
        );
        const record = await fx.registry.read.identity([3n]);
        assert.deepEqual(record, {
          owner: getAddress(owner.account.address),
          status: STATUS.active,
          manufacturerId: fx.manufacturer.id,
          hardwareType: HARDWARE_TYPE.secureElement,
          counter: p.signed.counter,
          signerCount: 0n,
        });
        // The device slot: identity, stake and the card key's 128-bit hash.
        assert.deepEqual(await fx.registry.read.device([p.deviceIdHash]), [
          3n,
          stake,
          cardKeyHash(p.card.key.x, p.card.key.y),
        ]);
        // Not stored: the card key, firmware, ZK commitment and creation time are the event's.
        const [log] = await fx.publicClient.getContractEvents({
          address: fx.registry.address,
          abi: fx.registry.abi,
          eventName: 'IdentityRegistered',
          blockHash: receipt.blockHash,
        });
        assert.equal(log?.args.zkCommitment, p.zkCommitment);
        assert.equal(log?.args.deviceIdHash, p.deviceIdHash);
        assert.equal(log?.args.firmwareHash, fx.manufacturer.firmwareHash);
        assert.equal(log?.args.cardKeyX, p.card.key.x);
        assert.equal(log?.args.cardKeyY, p.card.key.y);
        assert.ok(block.timestamp > 0n);
        assert.equal(await fx.registry.read.ownerOf([3n]), getAddress(owner.account.address));
        assert.equal(await fx.registry.read.isActive([3n]), true);
        assert.equal(await fx.registry.read.statusOf([3n]), STATUS.active);
        assert.equal(await fx.registry.read.identityByDevice([p.deviceIdHash]), 3n);
        assert.deepEqual(await snapshot(fx), [
          (before[0] ?? 0n) + 1n,
          (before[1] ?? 0n) + stake,
          (before[2] ?? 0n) + stake,
          (before[3] ?? 0n) + 1n,
        ]);
        assert.equal(await fx.token.read.balanceOf([owner.account.address]), 0n);
        assert.equal(await fx.manufacturers.read.activeDevices([fx.manufacturer.id]), 3n);
        assert.deepEqual(await fx.manufacturers.read.phaseCounters(), [3n, 1n, 1n]);
      });

      it('stores the card key as the hash the gateway computes (first 16 bytes of keccak)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        for (const who of fx.identities) {
          const [, , stored] = await fx.registry.read.device([who.deviceIdHash]);
          assert.equal(stored, cardKeyHash(who.card.key.x, who.card.key.y));
          assert.equal(await fx.gateway.read.cardKeyHash([who.card.key.x, who.card.key.y]), stored);
          assert.equal(stored.length, 2 + 32);
        }
        // A known answer: the key of RFC 6979 A.2.5 (as in P256.test.ts).
        assert.equal(
          await fx.gateway.read.cardKeyHash([
            '0x60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
            '0x7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
          ]),
          cardKeyHash(
            '0x60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
            '0x7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
          ),
        );
      });

      it('has nothing for unknown ids and devices', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        assert.equal(await fx.registry.read.isActive([0n]), false);
        assert.equal(await fx.registry.read.isActive([99n]), false);
        assert.equal(await fx.registry.read.statusOf([99n]), STATUS.none);
        assert.equal(await fx.registry.read.ownerOf([0n]), zeroAddress);
        assert.equal(await fx.registry.read.ownerOf([99n]), zeroAddress);
        assert.equal(await fx.registry.read.identityByDevice([randomHash()]), 0n);
        assert.deepEqual(await fx.registry.read.device([randomHash()]), [
          0n,
          0n,
          zeroHash.slice(0, 34),
        ]);
        for (const id of [0n, 99n]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.registry.read.identity([id]),
            fx.registry,
            'IdentityRegistry__UnknownIdentity',
            [id],
          );
        }
      });

      it('accepts signatures with a high s (cards that do not normalise)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3);
        const p = await prepare(fx, owner.account.address);
        const flip = (s: Hex) => hash32(P256_N - BigInt(s));
        const certificate = { ...p.certificate, s: flip(p.certificate.s) };
        const sig = { ...cardSignature(p.signed), s: flip(p.signed.s) };
        await fx.gateway.write.register(
          [p.args[0], certificate, p.zkCommitment, p.stake, p.deadline, sig],
          { account: owner.account },
        );
        assert.equal(await fx.registry.read.ownerOf([3n]), getAddress(owner.account.address));
      });

      it('rejects an expired deadline, a stake out of range, a bad commitment or device hash', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3);
        const before = await snapshot(fx);
        const late = await prepare(fx, owner.account.address, { deadline: (await fx.now()) - 1n });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(late.args, { account: owner.account }),
          fx.gateway,
          'IdentityGateway__SignatureExpired',
          [late.deadline],
        );
        for (const stake of [0n, IDENTITY_MIN_STAKE - 1n, CAP + 1n]) {
          const p = await prepare(fx, owner.account.address, { stake });
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.register(p.args, { account: owner.account }),
            fx.gateway,
            'IdentityGateway__StakeOutOfRange',
            [stake, IDENTITY_MIN_STAKE, CAP],
          );
        }
        for (const zk of [0n, IDENTITY_COMMITMENT_FIELD, 2n ** 256n - 1n]) {
          const p = await prepare(fx, owner.account.address, { zkCommitment: zk });
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.register(p.args, { account: owner.account }),
            fx.gateway,
            'IdentityGateway__InvalidZkCommitment',
            [zk],
          );
        }
        const edge = await prepare(fx, owner.account.address, {
          zkCommitment: IDENTITY_COMMITMENT_FIELD - 1n,
          deviceIdHash: hash32(0),
        });
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(edge.args, { account: owner.account }),
          fx.gateway,
          'IdentityGateway__ZeroDeviceIdHash',
        );
        assert.deepEqual(await snapshot(fx), before);
      });

      it('rejects a card key off the curve', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3);
        const p = await prepare(fx, owner.account.address);
        const y = hash32(BigInt(p.card.key.y) ^ 2n);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(
            [p.args[0], { ...p.certificate, cardKeyY: y }, ...p.args.slice(2)] as never,
            { account: owner.account },
          ),
          fx.gateway,
          'IdentityGateway__InvalidCardKey',
          [p.card.key.x, y],
        );
      });

      it('needs an approved manufacturer with a full bond and approved firmware (5a, 5d)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        const id = fx.manufacturer.id;
        const unknown = await prepare(fx, owner.address, {
          manufacturer: { ...fx.manufacturer, id: 5n },
        });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(unknown.args, { account: owner }),
          fx.manufacturers,
          'ManufacturerRegistry__UnknownManufacturer',
          [5n],
        );
        const firmware = randomHash();
        const badFirmware = await prepare(fx, owner.address, { firmwareHash: firmware });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(badFirmware.args, { account: owner }),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
          [id, firmware, HARDWARE_TYPE.secureElement],
        );
        const wrongType = await prepare(fx, owner.address, { hardwareType: HARDWARE_TYPE.pufCard });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(wrongType.args, { account: owner }),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
          [id, fx.manufacturer.firmwareHash, HARDWARE_TYPE.pufCard],
        );
        await fx.manufacturers.write.revokeFirmware([id, fx.manufacturer.firmwareHash]);
        const revoked = await prepare(fx, owner.address);
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(revoked.args, { account: owner }),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
        );
        await fx.manufacturers.write.approveFirmware([
          id,
          fx.manufacturer.firmwareHash,
          HARDWARE_TYPE.secureElement,
        ]);
        await fx.manufacturers.write.suspendManufacturer([id]);
        const suspended = await prepare(fx, owner.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(suspended.args, { account: owner }),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
          [id, 2],
        );
        await fx.manufacturers.write.reinstateManufacturer([id]);
        await fx.gateway.write.register(suspended.args, { account: owner });
        assert.equal(await fx.registry.read.ownerOf([3n]), getAddress(owner.address));
      });

      it('rejects a certificate not signed by the manufacturer, or over other fields (5a)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        const forged = await prepare(fx, owner.address, { certKey: generateP256Key() });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(forged.args, { account: owner }),
          fx.gateway,
          'IdentityGateway__InvalidCertificate',
          [fx.manufacturer.id],
        );
        const p = await prepare(fx, owner.address);
        // A certificate lifted onto another device id.
        const moved = { ...p.certificate, deviceIdHash: randomHash() };
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register([p.args[0], moved, ...p.args.slice(2)] as never, {
            account: owner,
          }),
          fx.gateway,
          'IdentityGateway__InvalidCertificate',
        );
        // A certificate of another manufacturer's key, presented under this one.
        const other = await fx.approveManufacturer();
        const crossed = await prepare(fx, owner.address, {
          manufacturer: fx.manufacturer,
          certKey: other.key,
        });
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(crossed.args, { account: owner }),
          fx.gateway,
          'IdentityGateway__InvalidCertificate',
        );
      });

      it('binds the card signature to the owner: a lifted registration fails', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        const thief = wallet(4).account;
        const p = await prepare(fx, owner.address);
        await fx.mint(thief.address, IDENTITY_MIN_STAKE);
        await fx.token.write.approve([fx.registry.address, IDENTITY_MIN_STAKE], { account: thief });
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(p.args, { account: thief }),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        // Another commitment than the card signed.
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(
            [p.args[0], p.args[1], p.zkCommitment + 1n, p.stake, p.deadline, p.args[5]],
            { account: owner },
          ),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        // Signed by another card than the certified one.
        const stranger = new Card();
        const signed = stranger.sign(
          fx.domain,
          CARD_TYPE.register,
          registerPayloadHash(owner.address, p.zkCommitment, p.deadline),
        );
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(
            [p.args[0], p.args[1], p.zkCommitment, p.stake, p.deadline, cardSignature(signed)],
            { account: owner },
          ),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        await fx.gateway.write.register(p.args, { account: owner });
      });

      it('registers a device once, ever (5b)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const taken = first(fx);
        // Another owner, and the device's own owner with a new card: both refused.
        for (const owner of [wallet(3).account, wallet(1).account]) {
          const p = await prepare(fx, owner.address, { deviceIdHash: taken.deviceIdHash });
          const before = await snapshot(fx);
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.register(p.args, { account: owner }),
            fx.registry,
            'IdentityRegistry__DeviceAlreadyRegistered',
            [taken.deviceIdHash, taken.identityId],
          );
          assert.deepEqual(await snapshot(fx), before);
        }
      });

      it('lets one owner wallet hold several identities, one per card', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const one = first(fx);
        const two = await fx.registerIdentity(one.owner, { stake: 300n * MOLT });
        assert.equal(two.identityId, 3n);
        for (const who of [one, two]) {
          assert.equal(await fx.registry.read.ownerOf([who.identityId]), one.owner);
          assert.equal(await fx.registry.read.isActive([who.identityId]), true);
          assert.deepEqual(await fx.registry.read.device([who.deviceIdHash]), [
            who.identityId,
            who.stake,
            cardKeyHash(who.card.key.x, who.card.key.y),
          ]);
        }
        assert.equal(await fx.registry.read.totalStake(), one.stake + second(fx).stake + two.stake);
        // Each card acts for its own identity only; the owner revokes keys of both.
        const k1 = (await fx.authorizeSigner(one)).signerKey;
        const k2 = (await fx.authorizeSigner(two)).signerKey;
        const crossed = await signSigner(fx, two, CARD_TYPE.authorizeSigner, randomHash());
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.authorizeSigner([
            two.identityId,
            cardRef(one),
            randomHash(),
            crossed.deadline,
            crossed.sig,
          ]),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        for (const [who, key] of [
          [one, k1],
          [two, k2],
        ] as const) {
          const { counter } = await fx.registry.read.identity([who.identityId]);
          await viem.assertions.emitWithArgs(
            fx.gateway.write.revokeSigner([key], { account: wallet(1).account }),
            fx.registry,
            'SignerRevoked',
            [who.identityId, key, counter, true],
          );
        }
        // Freezing one leaves the other active.
        await freeze(fx, two);
        assert.equal(await fx.registry.read.isActive([one.identityId]), true);
        assert.equal(await fx.registry.read.isActive([two.identityId]), false);
      });

      it('fails with the token error without allowance or balance', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        const p = await prepare(fx, owner.address, { fund: false });
        const before = await snapshot(fx);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: owner }),
          fx.token,
          'ERC20InsufficientAllowance',
          [getAddress(fx.registry.address), 0n, IDENTITY_MIN_STAKE],
        );
        await fx.token.write.approve([fx.registry.address, IDENTITY_MIN_STAKE], { account: owner });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: owner }),
          fx.token,
          'ERC20InsufficientBalance',
          [getAddress(owner.address), 0n, IDENTITY_MIN_STAKE],
        );
        assert.deepEqual(await snapshot(fx), before);
        assert.equal(await fx.registry.read.identityByDevice([p.deviceIdHash]), 0n);
      });

      it('pays the stake by permit, even when the permit was front-run', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3);
        const p = await prepare(fx, owner.account.address);
        await fx.token.write.approve([fx.registry.address, 0n], { account: owner.account });
        const permit = await signPermit(fx, owner, fx.registry.address, IDENTITY_MIN_STAKE);
        await fx.gateway.write.registerWithPermit([...p.args, permit], { account: owner.account });
        assert.equal(await fx.registry.read.ownerOf([3n]), getAddress(owner.account.address));

        const next = wallet(4);
        const q = await prepare(fx, next.account.address);
        await fx.token.write.approve([fx.registry.address, 0n], { account: next.account });
        const permit2 = await signPermit(fx, next, fx.registry.address, IDENTITY_MIN_STAKE);
        await fx.token.write.permit([
          next.account.address,
          fx.registry.address,
          IDENTITY_MIN_STAKE,
          permit2.deadline,
          permit2.v,
          permit2.r,
          permit2.s,
        ]);
        await fx.gateway.write.registerWithPermit([...q.args, permit2], { account: next.account });
        assert.equal(await fx.registry.read.ownerOf([4n]), getAddress(next.account.address));
      });

      it('refuses a hardware type the record cannot hold, whatever the gateway', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        await fx.registry.write.setGateway([owner.address]);
        for (const hardwareType of [0, 4, 255]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.registry.write.register(
              [
                {
                  owner: owner.address,
                  manufacturerId: 1n,
                  hardwareType,
                  cardKeyX: hash32(1),
                  cardKeyY: hash32(2),
                  deviceIdHash: randomHash(),
                  firmwareHash: fx.manufacturer.firmwareHash,
                  zkCommitment: 1n,
                  stake: IDENTITY_MIN_STAKE,
                  counter: 1n,
                },
              ],
              { account: owner },
            ),
            fx.registry,
            'IdentityRegistry__InvalidHardwareType',
            [hardwareType],
          );
        }
      });

      it('takes registrations only from the current gateway', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const owner = wallet(3).account;
        const device = first(fx).deviceIdHash;
        const keyHash = cardKeyHash(first(fx).card.key.x, first(fx).card.key.y);
        const record = {
          owner: owner.address,
          manufacturerId: 1n,
          hardwareType: 1,
          cardKeyX: hash32(1),
          cardKeyY: hash32(2),
          deviceIdHash: randomHash(),
          firmwareHash: fx.manufacturer.firmwareHash,
          zkCommitment: 1n,
          stake: IDENTITY_MIN_STAKE,
          counter: 1n,
        };
        for (const call of [
          () => fx.registry.write.register([record], { account: owner }),
          () =>
            fx.registry.write.authorizeSigner([1n, device, keyHash, hash32(1), 9n], {
              account: owner,
            }),
          () =>
            fx.registry.write.revokeSigner([1n, device, keyHash, hash32(1), 9n], {
              account: owner,
            }),
          () =>
            fx.registry.write.revokeSignerByOwner([owner.address, hash32(1)], { account: owner }),
          () =>
            fx.registry.write.freeze([1n, device, keyHash, 9n, owner.address], { account: owner }),
        ]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            call(),
            fx.registry,
            'IdentityRegistry__NotGateway',
            [getAddress(owner.address)],
          );
        }
      });
    });

    // ---------------------------------------------------------------- share cap

    describe('manufacturer share cap (§5.5 step 5e, §5.7, §17.2)', () => {
      it('does not apply during bootstrap: one manufacturer holds every device', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await fx.registerIdentity(wallet(3).account.address);
        assert.equal(await fx.manufacturers.read.activeDevices([fx.manufacturer.id]), 3n);
        assert.equal(await fx.manufacturers.read.totalActiveDevices(), 3n);
        assert.equal(await fx.manufacturers.read.deviceShareCapActive(), false);
      });

      it('once on, keeps each registering manufacturer strictly below 40 %', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        // Manufacturer 1 has 2 devices; four more manufacturers get one each: 6 devices.
        const makers: TestManufacturer[] = [];
        for (let i = 0; i < 4; i++) {
          const maker = await fx.approveManufacturer();
          makers.push(maker);
          await fx.registerIdentity(wallet(3 + i).account.address, { manufacturer: maker });
        }
        await fx.manufacturers.write.activateDeviceShareCap();
        // 1: (2 + 1) / 7 = 42.9 % → rejected.
        const p = await prepare(fx, wallet(7).account.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: wallet(7).account }),
          fx.manufacturers,
          'ManufacturerRegistry__DeviceShareCapExceeded',
          [1n, 3n, 7n],
        );
        // 2: (1 + 1) / 7 = 28.6 % → accepted; then 2 again: 3 / 8 = 37.5 %; then 4 / 9 = 44 %.
        const m2 = makers[0] as TestManufacturer;
        await fx.registerIdentity(wallet(8).account.address, { manufacturer: m2 });
        await fx.registerIdentity(wallet(10).account.address, { manufacturer: m2 });
        const q = await prepare(fx, wallet(11).account.address, { manufacturer: m2 });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(q.args, { account: wallet(11).account }),
          fx.manufacturers,
          'ManufacturerRegistry__DeviceShareCapExceeded',
          [m2.id, 4n, 9n],
        );
        assert.equal(await fx.manufacturers.read.totalActiveDevices(), 8n);
        assert.equal(await fx.manufacturers.read.manufacturersWithActiveDevices(), 5n);
      });

      it('rejects exactly 40 %', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        // 1 has 2 devices, 2 and 3 have one each, 4 has none: 1 again would be 3 / 5 = 60 %;
        // 2 again would be 2 / 5 = 40 % exactly → rejected.
        const m2 = await fx.approveManufacturer();
        const m3 = await fx.approveManufacturer();
        await fx.registerIdentity(wallet(3).account.address, { manufacturer: m2 });
        await fx.registerIdentity(wallet(4).account.address, { manufacturer: m3 });
        await fx.manufacturers.write.activateDeviceShareCap();
        const p = await prepare(fx, wallet(5).account.address, { manufacturer: m2 });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: wallet(5).account }),
          fx.manufacturers,
          'ManufacturerRegistry__DeviceShareCapExceeded',
          [m2.id, 2n, 5n],
        );
      });

      it('does not cap an unfreeze', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const makers: TestManufacturer[] = [];
        for (let i = 0; i < 4; i++) {
          const maker = await fx.approveManufacturer();
          makers.push(maker);
          await fx.registerIdentity(wallet(3 + i).account.address, { manufacturer: maker });
        }
        // Freeze one device of manufacturer 1, let others register, switch the cap on.
        await freeze(fx, first(fx));
        await fx.manufacturers.write.activateDeviceShareCap();
        assert.equal(await fx.manufacturers.read.activeDevices([1n]), 1n);
        // Unfreezing brings 1 back to 2 / 6 = 33 %: allowed (and would be even above 40 %).
        await fx.registry.write.resolveClone([
          first(fx).identityId,
          first(fx).deviceIdHash,
          RESOLUTION.unfreeze,
        ]);
        assert.equal(await fx.manufacturers.read.activeDevices([1n]), 2n);
        assert.equal(await fx.manufacturers.read.totalActiveDevices(), 6n);
      });
    });

    // ---------------------------------------------------------------- signer keys

    describe('signer keys (DESIGN.md §3)', () => {
      it('authorizes an Ed25519 key with a card signature anyone may submit', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const key = randomHash();
        const { deadline, signed, sig } = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        const hash = await fx.gateway.write.authorizeSigner(
          [who.identityId, cardRef(who), key, deadline, sig],
          {
            account: outsider.account,
          },
        );
        await viem.assertions.emitWithArgs(Promise.resolve(hash), fx.registry, 'SignerAuthorized', [
          who.identityId,
          key,
          signed.counter,
        ]);
        await viem.assertions.emitWithArgs(
          Promise.resolve(hash),
          fx.gateway,
          'CardMessageAccepted',
          [
            who.identityId,
            CARD_TYPE.authorizeSigner,
            signed.counter,
            signed.predecessor,
            signed.payloadHash,
            signed.r,
            signed.s,
          ],
        );
        assert.deepEqual(await fx.registry.read.signer([key]), [who.identityId, SIGNER.active]);
        const record = await fx.registry.read.identity([who.identityId]);
        assert.equal(record.signerCount, 1n);
        assert.equal(record.counter, signed.counter);
      });

      it('is replay-proof: counters must strictly increase (§5.4)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const older = who.card.clone(); // the card's state before the next signature
        const key = randomHash();
        const { deadline, signed, sig } = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        await fx.gateway.write.authorizeSigner([who.identityId, cardRef(who), key, deadline, sig]);
        // The same message again.
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([who.identityId, cardRef(who), key, deadline, sig]),
          fx.registry,
          'IdentityRegistry__StaleCounter',
          [who.identityId, signed.counter, signed.counter],
        );
        // Another key with the same counter (a clone that did not see the last signature).
        const key2 = randomHash();
        const replay = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key2, undefined, older);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key2,
            replay.deadline,
            replay.sig,
          ]),
          fx.registry,
          'IdentityRegistry__StaleCounter',
          [who.identityId, signed.counter, signed.counter],
        );
        // Counters may skip (signatures off chain in between).
        for (let i = 0; i < 5; i++) who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const later = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key2);
        await fx.gateway.write.authorizeSigner([
          who.identityId,
          cardRef(who),
          key2,
          later.deadline,
          later.sig,
        ]);
        assert.equal(
          (await fx.registry.read.identity([who.identityId])).counter,
          signed.counter + 6n,
        );
      });

      it('rejects expired, zero, foreign and mistyped authorizations', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const key = randomHash();
        const expired = await signSigner(
          fx,
          who,
          CARD_TYPE.authorizeSigner,
          key,
          (await fx.now()) - 1n,
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key,
            expired.deadline,
            expired.sig,
          ]),
          fx.gateway,
          'IdentityGateway__SignatureExpired',
          [expired.deadline],
        );
        const zero = await signSigner(fx, who, CARD_TYPE.authorizeSigner, hash32(0));
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            hash32(0),
            zero.deadline,
            zero.sig,
          ]),
          fx.gateway,
          'IdentityGateway__ZeroSignerKey',
        );
        const ok = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        // For another identity, for another key, as another type, by another card.
        for (const call of [
          () =>
            fx.gateway.write.authorizeSigner([
              second(fx).identityId,
              cardRef(second(fx)),
              key,
              ok.deadline,
              ok.sig,
            ]),
          () =>
            fx.gateway.write.authorizeSigner([
              who.identityId,
              cardRef(who),
              randomHash(),
              ok.deadline,
              ok.sig,
            ]),
          () =>
            fx.gateway.write.authorizeSigner([
              who.identityId,
              cardRef(who),
              key,
              ok.deadline + 1n,
              ok.sig,
            ]),
          () =>
            fx.gateway.write.revokeSignerWithCard([
              who.identityId,
              cardRef(who),
              key,
              ok.deadline,
              ok.sig,
            ]),
        ]) {
          await viem.assertions.revertWithCustomError(
            call(),
            fx.gateway,
            'IdentityGateway__InvalidCardSignature',
          );
        }
        const stranger = await signSigner(
          fx,
          who,
          CARD_TYPE.authorizeSigner,
          key,
          undefined,
          new Card(),
        );
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key,
            stranger.deadline,
            stranger.sig,
          ]),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        // A valid signature for an id nobody holds.
        const ghost = { ...who, identityId: 77n, card: who.card.clone() };
        const unknown = await signSigner(fx, ghost, CARD_TYPE.authorizeSigner, key);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([77n, cardRef(who), key, unknown.deadline, unknown.sig]),
          fx.registry,
          'IdentityRegistry__UnknownIdentity',
          [77n],
        );
        await fx.gateway.write.authorizeSigner([
          who.identityId,
          cardRef(who),
          key,
          ok.deadline,
          ok.sig,
        ]);
      });

      it('gives a key to one identity, once: never again after revocation', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const { signerKey } = await fx.authorizeSigner(who);
        const same = await signSigner(fx, who, CARD_TYPE.authorizeSigner, signerKey);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            signerKey,
            same.deadline,
            same.sig,
          ]),
          fx.registry,
          'IdentityRegistry__SignerKeyUsed',
          [signerKey, who.identityId],
        );
        const other = second(fx);
        const theirs = await signSigner(fx, other, CARD_TYPE.authorizeSigner, signerKey);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            other.identityId,
            cardRef(other),
            signerKey,
            theirs.deadline,
            theirs.sig,
          ]),
          fx.registry,
          'IdentityRegistry__SignerKeyUsed',
          [signerKey, who.identityId],
        );
        await fx.gateway.write.revokeSigner([signerKey], { account: wallet(1).account });
        const back = await signSigner(fx, who, CARD_TYPE.authorizeSigner, signerKey);
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            signerKey,
            back.deadline,
            back.sig,
          ]),
          fx.registry,
          'IdentityRegistry__SignerKeyUsed',
        );
      });

      it(`limits an identity to ${IDENTITY_MAX_SIGNER_KEYS} active keys`, async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const keys: Hex[] = [];
        for (let i = 0n; i < IDENTITY_MAX_SIGNER_KEYS; i++) {
          keys.push((await fx.authorizeSigner(who)).signerKey);
        }
        const key = randomHash();
        const extra = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key,
            extra.deadline,
            extra.sig,
          ]),
          fx.registry,
          'IdentityRegistry__TooManySigners',
          [who.identityId, IDENTITY_MAX_SIGNER_KEYS],
        );
        await fx.gateway.write.revokeSigner([keys[0] as Hex], { account: wallet(1).account });
        const retry = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        await fx.gateway.write.authorizeSigner([
          who.identityId,
          cardRef(who),
          key,
          retry.deadline,
          retry.sig,
        ]);
        assert.equal(
          (await fx.registry.read.identity([who.identityId])).signerCount,
          IDENTITY_MAX_SIGNER_KEYS,
        );
      });

      it('revokes with a card signature (counter advances) or by the owner (no card)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const a = (await fx.authorizeSigner(who)).signerKey;
        const b = (await fx.authorizeSigner(who)).signerKey;
        const revoke = await signSigner(fx, who, CARD_TYPE.revokeSigner, a);
        await viem.assertions.emitWithArgs(
          fx.gateway.write.revokeSignerWithCard(
            [who.identityId, cardRef(who), a, revoke.deadline, revoke.sig],
            {
              account: outsider.account,
            },
          ),
          fx.registry,
          'SignerRevoked',
          [who.identityId, a, revoke.signed.counter, false],
        );
        assert.deepEqual(await fx.registry.read.signer([a]), [who.identityId, SIGNER.revoked]);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSignerWithCard([
            who.identityId,
            cardRef(who),
            a,
            revoke.deadline,
            revoke.sig,
          ]),
          fx.registry,
          'IdentityRegistry__StaleCounter',
          [who.identityId, revoke.signed.counter, revoke.signed.counter],
        );
        await viem.assertions.emitWithArgs(
          fx.gateway.write.revokeSigner([b], { account: wallet(1).account }),
          fx.registry,
          'SignerRevoked',
          [who.identityId, b, revoke.signed.counter, true],
        );
        const record = await fx.registry.read.identity([who.identityId]);
        assert.equal(record.signerCount, 0n);
        assert.equal(record.counter, revoke.signed.counter);
      });

      it('revokes only active keys of the identity, only for holders', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const theirs = (await fx.authorizeSigner(second(fx))).signerKey;
        const unknown = randomHash();
        // By the owner wallet: the key's identity must be the caller's.
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSigner([theirs], { account: wallet(1).account }),
          fx.registry,
          'IdentityRegistry__NotIdentityOwner',
          [second(fx).identityId, getAddress(wallet(1).account.address)],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSigner([unknown], { account: wallet(1).account }),
          fx.registry,
          'IdentityRegistry__SignerNotActive',
          [0n, unknown],
        );
        for (const key of [theirs, unknown]) {
          const card = await signSigner(fx, who, CARD_TYPE.revokeSigner, key);
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.revokeSignerWithCard([
              who.identityId,
              cardRef(who),
              key,
              card.deadline,
              card.sig,
            ]),
            fx.registry,
            'IdentityRegistry__SignerNotActive',
            [who.identityId, key],
          );
        }
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSigner([theirs], { account: outsider.account }),
          fx.registry,
          'IdentityRegistry__NotIdentityOwner',
          [second(fx).identityId, getAddress(outsider.account.address)],
        );
        // A revoked key is not active any more, whoever asks.
        await fx.gateway.write.revokeSigner([theirs], { account: wallet(2).account });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSigner([theirs], { account: wallet(2).account }),
          fx.registry,
          'IdentityRegistry__SignerNotActive',
          [second(fx).identityId, theirs],
        );
        const expired = await signSigner(fx, who, CARD_TYPE.revokeSigner, theirs, 0n);
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.revokeSignerWithCard([
            who.identityId,
            cardRef(who),
            theirs,
            0n,
            expired.sig,
          ]),
          fx.gateway,
          'IdentityGateway__SignatureExpired',
        );
        const zero = await signSigner(fx, who, CARD_TYPE.revokeSigner, hash32(0));
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.revokeSignerWithCard([
            who.identityId,
            cardRef(who),
            hash32(0),
            zero.deadline,
            zero.sig,
          ]),
          fx.gateway,
          'IdentityGateway__ZeroSignerKey',
        );
      });
    });

    // ---------------------------------------------------------------- card binding

    describe('card binding: card-signed calls name the registered device and key', () => {
      /** Wrong CardRefs for `who`, each with the card whose signature verifies under it. */
      function mismatches(fx: Fx, who: RegisteredIdentity) {
        const other = second(fx);
        const stranger = new Card();
        return [
          {
            label: 'an unknown device',
            signer: who.card,
            ref: { ...cardRef(who), deviceIdHash: randomHash() },
          },
          {
            label: 'another key for the right device',
            signer: stranger,
            ref: { ...cardRef(who), cardKeyX: stranger.key.x, cardKeyY: stranger.key.y },
          },
          {
            label: "another identity's device and card",
            signer: other.card,
            ref: cardRef(other),
          },
          {
            label: "another identity's device with this card",
            signer: who.card,
            ref: { ...cardRef(who), deviceIdHash: other.deviceIdHash },
          },
        ];
      }

      it('authorizeSigner', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const before = await fx.registry.read.identity([who.identityId]);
        for (const { label, signer, ref } of mismatches(fx, who)) {
          const key = randomHash();
          const m = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key, undefined, signer);
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.authorizeSigner([who.identityId, ref, key, m.deadline, m.sig]),
            fx.registry,
            'IdentityRegistry__CardMismatch',
            [who.identityId, ref.deviceIdHash],
          );
          assert.deepEqual(await fx.registry.read.signer([key]), [0n, SIGNER.none], label);
        }
        assert.deepEqual(await fx.registry.read.identity([who.identityId]), before);
        await fx.authorizeSigner(who);
      });

      it('revokeSignerWithCard', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const { signerKey } = await fx.authorizeSigner(who);
        const before = await fx.registry.read.identity([who.identityId]);
        for (const { label, signer, ref } of mismatches(fx, who)) {
          const m = await signSigner(fx, who, CARD_TYPE.revokeSigner, signerKey, undefined, signer);
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.revokeSignerWithCard([
              who.identityId,
              ref,
              signerKey,
              m.deadline,
              m.sig,
            ]),
            fx.registry,
            'IdentityRegistry__CardMismatch',
            [who.identityId, ref.deviceIdHash],
          );
          assert.deepEqual(
            await fx.registry.read.signer([signerKey]),
            [who.identityId, SIGNER.active],
            label,
          );
        }
        assert.deepEqual(await fx.registry.read.identity([who.identityId]), before);
        const m = await signSigner(fx, who, CARD_TYPE.revokeSigner, signerKey);
        await fx.gateway.write.revokeSignerWithCard([
          who.identityId,
          cardRef(who),
          signerKey,
          m.deadline,
          m.sig,
        ]);
      });

      it('reportClone', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        for (const { label, signer, ref } of mismatches(fx, who)) {
          const a = signer.clone().sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
          const b = signer.clone().sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.gateway.write.reportClone([who.identityId, ref, cardMessage(a), cardMessage(b)]),
            fx.registry,
            'IdentityRegistry__CardMismatch',
            [who.identityId, ref.deviceIdHash],
          );
          assert.equal(await fx.registry.read.isActive([who.identityId]), true, label);
        }
        assert.equal(await fx.manufacturers.read.totalActiveDevices(), 2n);
        await freeze(fx, who);
      });
    });

    // ---------------------------------------------------------------- clone detection

    describe('clone detection (§5.4)', () => {
      it('freezes on two messages with the same counter; stake locked, manufacturer flagged', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const clone = who.card.clone();
        const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const b = clone.sign(fx.domain, CARD_TYPE.authorizeSigner, randomHash());
        assert.equal(a.counter, b.counter);
        const balance = await fx.token.read.balanceOf([fx.registry.address]);
        const hash = await fx.gateway.write.reportClone(
          [who.identityId, cardRef(who), cardMessage(a), cardMessage(b)],
          { account: outsider.account },
        );
        await viem.assertions.emitWithArgs(Promise.resolve(hash), fx.registry, 'IdentityFrozen', [
          who.identityId,
          getAddress(outsider.account.address),
          a.counter,
        ]);
        await viem.assertions.emitWithArgs(Promise.resolve(hash), fx.gateway, 'CloneReported', [
          who.identityId,
          getAddress(outsider.account.address),
          a.digest,
          b.digest,
        ]);
        await viem.assertions.emitWithArgs(
          Promise.resolve(hash),
          fx.manufacturers,
          'ManufacturerFlagged',
          [fx.manufacturer.id, 1n, 1n],
        );
        assert.equal(await fx.registry.read.isActive([who.identityId]), false);
        assert.equal(await fx.registry.read.statusOf([who.identityId]), STATUS.frozen);
        assert.equal(await fx.registry.read.ownerOf([who.identityId]), who.owner);
        assert.equal(await fx.token.read.balanceOf([fx.registry.address]), balance);
        assert.equal((await fx.registry.read.device([who.deviceIdHash]))[1], who.stake);
        const m = await fx.manufacturers.read.manufacturer([fx.manufacturer.id]);
        assert.equal(m.activeDevices, 1n);
        assert.equal(m.openDisputes, 1n);
        assert.equal(await fx.manufacturers.read.totalActiveDevices(), 1n);
      });

      it('freezes on two successors of the same message', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        // A clone that jumped its counter ahead, still chaining from the same message.
        const clone = new Card(who.card.key, who.card.counter + 10n, who.card.predecessor);
        const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        assert.notEqual(a.counter, b.counter);
        await fx.gateway.write.reportClone([
          who.identityId,
          cardRef(who),
          cardMessage(a),
          cardMessage(b),
        ]);
        // The counter seen on chain rose to the evidence's highest.
        assert.equal((await fx.registry.read.identity([who.identityId])).counter, b.counter);
      });

      it('never lowers the counter with old evidence', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const clone = who.card.clone();
        const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const b = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        await fx.authorizeSigner(who);
        await fx.authorizeSigner(who);
        const seen = (await fx.registry.read.identity([who.identityId])).counter;
        await fx.gateway.write.reportClone([
          who.identityId,
          cardRef(who),
          cardMessage(a),
          cardMessage(b),
        ]);
        assert.equal((await fx.registry.read.identity([who.identityId])).counter, seen);
      });

      it('rejects the same message twice, honest sequences, bad signatures and non-active ids', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const a = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const b = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        // The same message with the other valid s.
        const aFlipped = { ...cardMessage(a), s: hash32(P256_N - BigInt(a.s)) };
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.reportClone([who.identityId, cardRef(who), cardMessage(a), aFlipped]),
          fx.gateway,
          'IdentityGateway__SameMessage',
        );
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(a),
            cardMessage(b),
          ]),
          fx.gateway,
          'IdentityGateway__NoConflict',
        );
        // A conflict signed by another card: not this identity's.
        const forger = new Card(generateP256Key(), a.counter - 1n, a.predecessor);
        const c = forger.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(a),
            cardMessage(c),
          ]),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(c),
            cardMessage(a),
          ]),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        // A conflict in another registry's domain is no evidence here.
        const clone = who.card.clone();
        const d = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const e = clone.sign(
          { ...fx.domain, chainId: fx.domain.chainId + 1n },
          CARD_TYPE.heartbeat,
          randomHash(),
        );
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(d),
            cardMessage(e),
          ]),
          fx.gateway,
          'IdentityGateway__InvalidCardSignature',
        );
        // A real conflict of this card, reported against an id nobody holds.
        const f = who.card.clone().sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const g = who.card.clone().sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.reportClone([42n, cardRef(who), cardMessage(f), cardMessage(g)]),
          fx.registry,
          'IdentityRegistry__UnknownIdentity',
          [42n],
        );
        const { a: a2, b: b2 } = await freeze(fx, who);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(a2),
            cardMessage(b2),
          ]),
          fx.registry,
          'IdentityRegistry__NotActive',
          [who.identityId, STATUS.frozen],
        );
      });

      it('blocks authorizations while frozen but lets keys be revoked', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const k1 = (await fx.authorizeSigner(who)).signerKey;
        const k2 = (await fx.authorizeSigner(who)).signerKey;
        await freeze(fx, who);
        const key = randomHash();
        const auth = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key,
            auth.deadline,
            auth.sig,
          ]),
          fx.registry,
          'IdentityRegistry__NotActive',
          [who.identityId, STATUS.frozen],
        );
        await fx.gateway.write.revokeSigner([k1], { account: wallet(1).account });
        const revoke = await signSigner(fx, who, CARD_TYPE.revokeSigner, k2);
        await fx.gateway.write.revokeSignerWithCard([
          who.identityId,
          cardRef(who),
          k2,
          revoke.deadline,
          revoke.sig,
        ]);
        assert.equal((await fx.registry.read.identity([who.identityId])).signerCount, 0n);
      });
    });

    // ---------------------------------------------------------------- governance

    describe('governance resolution', () => {
      it('unfreezes: active again, counted again', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        await freeze(fx, who);
        await viem.assertions.emitWithArgs(
          fx.registry.write.resolveClone([who.identityId, who.deviceIdHash, RESOLUTION.unfreeze]),
          fx.registry,
          'IdentityUnfrozen',
          [who.identityId],
        );
        assert.equal(await fx.registry.read.isActive([who.identityId]), true);
        const m = await fx.manufacturers.read.manufacturer([fx.manufacturer.id]);
        assert.equal(m.activeDevices, 2n);
        assert.equal(m.openDisputes, 0n);
        await fx.authorizeSigner(who);
      });

      it('slashes and retires: stake to the treasury, device taken for good, bond slashable', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        const kept = (await fx.authorizeSigner(who)).signerKey;
        await freeze(fx, who);
        const hash = fx.registry.write.resolveClone([
          who.identityId,
          who.deviceIdHash,
          RESOLUTION.slashAndRetire,
        ]);
        await viem.assertions.emitWithArgs(hash, fx.registry, 'IdentityRetired', [
          who.identityId,
          who.stake,
        ]);
        assert.equal(await fx.registry.read.statusOf([who.identityId]), STATUS.retired);
        assert.equal(await fx.registry.read.ownerOf([who.identityId]), who.owner);
        assert.equal(await fx.registry.read.totalStake(), second(fx).stake);
        assert.equal(await fx.token.read.balanceOf([FIXTURE_TREASURY]), who.stake);
        // The device keeps its identity and key hash; only the stake is gone.
        assert.deepEqual(await fx.registry.read.device([who.deviceIdHash]), [
          who.identityId,
          0n,
          cardKeyHash(who.card.key.x, who.card.key.y),
        ]);
        assert.equal(await fx.registry.read.identityByDevice([who.deviceIdHash]), who.identityId);
        const m = await fx.manufacturers.read.manufacturer([fx.manufacturer.id]);
        assert.deepEqual([m.activeDevices, m.openDisputes, m.compromisedDevices], [1n, 0n, 1n]);

        // Retired is final.
        for (const call of [
          () =>
            fx.registry.write.resolveClone([who.identityId, who.deviceIdHash, RESOLUTION.unfreeze]),
          () =>
            fx.registry.write.resolveClone([
              who.identityId,
              who.deviceIdHash,
              RESOLUTION.slashAndRetire,
            ]),
        ]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            call(),
            fx.registry,
            'IdentityRegistry__NotFrozen',
            [who.identityId, STATUS.retired],
          );
        }
        const key = randomHash();
        const revoke = await signSigner(fx, who, CARD_TYPE.revokeSigner, key);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSignerWithCard([
            who.identityId,
            cardRef(who),
            key,
            revoke.deadline,
            revoke.sig,
          ]),
          fx.registry,
          'IdentityRegistry__IdentityRetired',
          [who.identityId],
        );
        const auth = await signSigner(fx, who, CARD_TYPE.authorizeSigner, key);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.authorizeSigner([
            who.identityId,
            cardRef(who),
            key,
            auth.deadline,
            auth.sig,
          ]),
          fx.registry,
          'IdentityRegistry__NotActive',
          [who.identityId, STATUS.retired],
        );
        // Its keys are dead for the rollup with the identity; nothing revokes them any more.
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSigner([kept], { account: wallet(1).account }),
          fx.registry,
          'IdentityRegistry__IdentityRetired',
          [who.identityId],
        );
        const revokeKept = await signSigner(fx, who, CARD_TYPE.revokeSigner, kept);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.revokeSignerWithCard([
            who.identityId,
            cardRef(who),
            kept,
            revokeKept.deadline,
            revokeKept.sig,
          ]),
          fx.registry,
          'IdentityRegistry__IdentityRetired',
          [who.identityId],
        );
        const clone = who.card.clone();
        const x = who.card.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        const y = clone.sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.reportClone([
            who.identityId,
            cardRef(who),
            cardMessage(x),
            cardMessage(y),
          ]),
          fx.registry,
          'IdentityRegistry__NotActive',
          [who.identityId, STATUS.retired],
        );

        // The owner may register another device; the old device never again.
        await fx.registerIdentity(who.owner);
        const reuse = await prepare(fx, wallet(3).account.address, {
          deviceIdHash: who.deviceIdHash,
        });
        await viem.assertions.revertWithCustomError(
          fx.gateway.write.register(reuse.args, { account: wallet(3).account }),
          fx.registry,
          'IdentityRegistry__DeviceAlreadyRegistered',
        );

        // §5.7: the bond is slashed now that a device is proven compromised.
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.slashBond([fx.manufacturer.id, MANUFACTURER_BOND + 1n]),
          fx.manufacturers,
          'ManufacturerRegistry__SlashExceedsBond',
          [fx.manufacturer.id, MANUFACTURER_BOND + 1n, MANUFACTURER_BOND],
        );
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.slashBond([fx.manufacturer.id, 1000n * MOLT]),
          fx.manufacturers,
          'BondSlashed',
          [fx.manufacturer.id, 1000n * MOLT, MANUFACTURER_BOND - 1000n * MOLT],
        );
        assert.equal(await fx.token.read.balanceOf([FIXTURE_TREASURY]), who.stake + 1000n * MOLT);
        // Short of its bond, the manufacturer certifies nothing new until topped up.
        const p = await prepare(fx, wallet(4).account.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: wallet(4).account }),
          fx.manufacturers,
          'ManufacturerRegistry__BondTooLow',
          [fx.manufacturer.id, MANUFACTURER_BOND - 1000n * MOLT, MANUFACTURER_BOND],
        );
        await fx.mint(fx.governance, 1000n * MOLT);
        await fx.token.write.approve([fx.manufacturers.address, 1000n * MOLT]);
        await fx.manufacturers.write.topUpBond([fx.manufacturer.id, 1000n * MOLT]);
        await fx.gateway.write.register(p.args, { account: wallet(4).account });
      });

      it('keeps the bond of a removed manufacturer while a dispute is open', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        await freeze(fx, who);
        await fx.manufacturers.write.removeManufacturer([fx.manufacturer.id]);
        await networkHelpers.time.increase(MANUFACTURER_BOND_RELEASE_DELAY);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.releaseBond([fx.manufacturer.id]),
          fx.manufacturers,
          'ManufacturerRegistry__OpenDisputes',
          [fx.manufacturer.id, 1n],
        );
        await fx.registry.write.resolveClone([
          who.identityId,
          who.deviceIdHash,
          RESOLUTION.slashAndRetire,
        ]);
        await fx.manufacturers.write.slashBond([fx.manufacturer.id, MANUFACTURER_BOND]);
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.releaseBond([fx.manufacturer.id]),
          fx.manufacturers,
          'ManufacturerRegistry__NoBond',
        );
        // A removed manufacturer's devices stay registered and active.
        assert.equal(await fx.registry.read.isActive([second(fx).identityId]), true);
      });

      it('resolves only frozen identities, by governance only', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const who = first(fx);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.registry.write.resolveClone([who.identityId, who.deviceIdHash, RESOLUTION.unfreeze]),
          fx.registry,
          'IdentityRegistry__NotFrozen',
          [who.identityId, STATUS.active],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.registry.write.resolveClone([50n, randomHash(), RESOLUTION.unfreeze]),
          fx.registry,
          'IdentityRegistry__UnknownIdentity',
          [50n],
        );
        await freeze(fx, who);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.registry.write.resolveClone([who.identityId, who.deviceIdHash, RESOLUTION.unfreeze], {
            account: outsider.account,
          }),
          fx.registry,
          'AccessControlUnauthorizedAccount',
          [getAddress(outsider.account.address), GOVERNANCE_ROLE],
        );
        // The device named must be the identity's: an unknown one, or another identity's.
        for (const device of [randomHash(), second(fx).deviceIdHash]) {
          for (const resolution of [RESOLUTION.unfreeze, RESOLUTION.slashAndRetire]) {
            await viem.assertions.revertWithCustomErrorWithArgs(
              fx.registry.write.resolveClone([who.identityId, device, resolution]),
              fx.registry,
              'IdentityRegistry__CardMismatch',
              [who.identityId, device],
            );
          }
        }
        assert.equal(await fx.registry.read.statusOf([who.identityId]), STATUS.frozen);
        assert.deepEqual((await fx.registry.read.device([who.deviceIdHash])).slice(0, 2), [
          who.identityId,
          who.stake,
        ]);
      });

      it('replaces the gateway: the old one stops, the new one continues the state', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const next = await viem.deployContract('IdentityGateway', [fx.registry.address]);
        await viem.assertions.emitWithArgs(
          fx.registry.write.setGateway([next.address]),
          fx.registry,
          'GatewayChanged',
          [getAddress(fx.gateway.address), getAddress(next.address)],
        );
        const owner = wallet(3).account;
        const p = await prepare(fx, owner.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.gateway.write.register(p.args, { account: owner }),
          fx.registry,
          'IdentityRegistry__NotGateway',
          [getAddress(fx.gateway.address)],
        );
        // Card messages are in the registry's domain, so they survive the change.
        await next.write.register(p.args, { account: owner });
        assert.equal(await fx.registry.read.ownerOf([3n]), getAddress(owner.address));
        await viem.assertions.revertWithCustomError(
          fx.registry.write.setGateway([outsider.account.address], { account: outsider.account }),
          fx.registry,
          'AccessControlUnauthorizedAccount',
        );
        await fx.registry.write.setGateway([zeroAddress]);
        await viem.assertions.revertWithCustomError(
          next.write.revokeSigner([randomHash()], { account: owner }),
          fx.registry,
          'IdentityRegistry__NotGateway',
        );
      });

      it('sets the treasury; rejects zero addresses', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.emitWithArgs(
          fx.registry.write.setTreasury([outsider.account.address]),
          fx.registry,
          'TreasuryChanged',
          [FIXTURE_TREASURY, getAddress(outsider.account.address)],
        );
        await viem.assertions.revertWithCustomError(
          fx.registry.write.setTreasury([zeroAddress]),
          fx.registry,
          'IdentityRegistry__ZeroAddress',
        );
        await viem.assertions.revertWithCustomError(
          fx.registry.write.setTreasury([zeroAddress], { account: outsider.account }),
          fx.registry,
          'AccessControlUnauthorizedAccount',
        );
        const t = fx.token.address;
        const m = fx.manufacturers.address;
        const g = fx.governance;
        for (const args of [
          [zeroAddress, m, g, FIXTURE_TREASURY],
          [t, zeroAddress, g, FIXTURE_TREASURY],
          [t, m, zeroAddress, FIXTURE_TREASURY],
          [t, m, g, zeroAddress],
        ] as const) {
          await assert.rejects(
            viem.deployContract('IdentityRegistry', [...args]),
            /IdentityRegistry__ZeroAddress/,
          );
        }
        await assert.rejects(
          viem.deployContract('IdentityGateway', [zeroAddress]),
          /IdentityGateway__ZeroAddress|reverted/,
        );
      });
    });

    // ---------------------------------------------------------------- views for SDK and firmware

    it('exposes the digests and payload hashes the SDK and firmware sign', async () => {
      const fx = await networkHelpers.loadFixture(fixture);
      const who = first(fx);
      const signed = who.card.clone().sign(fx.domain, CARD_TYPE.heartbeat, randomHash());
      assert.equal(
        await fx.gateway.read.cardMessageDigest([
          signed.typeTag,
          signed.counter,
          signed.predecessor,
          signed.payloadHash,
        ]),
        signed.digest,
      );
      const certificate = certify(fx.manufacturer.key, {
        cardKeyX: who.card.key.x,
        cardKeyY: who.card.key.y,
        deviceIdHash: who.deviceIdHash,
        firmwareHash: fx.manufacturer.firmwareHash,
        hardwareType: 1,
      });
      assert.equal(
        await fx.gateway.read.certificateDigest([certificate]),
        sha256(certificateBytes(certificate)),
      );
      assert.equal(
        await fx.gateway.read.registerPayloadHash([who.owner, 5n, 6n]),
        registerPayloadHash(who.owner, 5n, 6n),
      );
      assert.equal(
        await fx.gateway.read.signerPayloadHash([7n, hash32(8), 9n]),
        signerPayloadHash(7n, hash32(8), 9n),
      );
      assert.equal(getAddress(await fx.gateway.read.registry()), getAddress(fx.registry.address));
      assert.equal(
        getAddress(await fx.gateway.read.manufacturers()),
        getAddress(fx.manufacturers.address),
      );
      assert.equal(getAddress(await fx.registry.read.token()), getAddress(fx.token.address));
      assert.equal(
        getAddress(await fx.registry.read.manufacturers()),
        getAddress(fx.manufacturers.address),
      );
      assert.equal(getAddress(await fx.registry.read.gateway()), getAddress(fx.gateway.address));
      assert.equal(getAddress(await fx.registry.read.treasury()), FIXTURE_TREASURY);
    });
  });
}

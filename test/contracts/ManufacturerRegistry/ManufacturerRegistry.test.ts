import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { type Address, getAddress, type Hex, parseSignature, zeroAddress } from 'viem';
import {
  deployIdentityFixture,
  FIXTURE_TREASURY,
  GOVERNANCE_ROLE,
  generateP256Key,
  HARDWARE_TYPE,
  hash32,
  MANUFACTURER_BOND,
  MANUFACTURER_BOND_RELEASE_DELAY,
  MANUFACTURER_MIN_OPERATING_HISTORY,
  P256_P,
  randomHash,
} from '../helpers/identityFixture.ts';

// §5.7 and §17.2, written out here rather than imported from the contracts.
const STATUS = { none: 0, approved: 1, suspended: 2, removed: 3 } as const;

for (const chainName of ['op', 'l1'] as const) {
  describe(`ManufacturerRegistry on ${chainName}`, async () => {
    const connection = await network.create(chainName);
    const { viem, networkHelpers } = connection;
    const publicClient = await viem.getPublicClient();
    const wallets = await viem.getWalletClients();
    const wallet = (i: number) => {
      const w = wallets[i];
      if (w === undefined) throw new Error(`expected at least ${i + 1} wallets`);
      return w;
    };
    const outsider = wallet(1);
    const payer = wallet(2);

    async function fixture() {
      return deployIdentityFixture(connection);
    }

    type Fx = Awaited<ReturnType<typeof fixture>>;

    /** Approval parameters for a fresh key, paid by `payer` (who is given and approves a bond). */
    async function newParams(fx: Fx, overrides: Partial<Record<string, unknown>> = {}) {
      const key = generateP256Key();
      await fx.mint(payer.account.address, MANUFACTURER_BOND);
      await fx.token.write.approve([fx.manufacturers.address, MANUFACTURER_BOND], {
        account: payer.account,
      });
      return {
        name: 'Second Source Semiconductors',
        attestationKeyX: key.x,
        attestationKeyY: key.y,
        operatingSince: (await fx.now()) - MANUFACTURER_MIN_OPERATING_HISTORY - 1000n,
        beneficialOwnershipHash: randomHash(),
        bondPayer: payer.account.address as Address,
        ...overrides,
      } as {
        name: string;
        attestationKeyX: Hex;
        attestationKeyY: Hex;
        operatingSince: bigint;
        beneficialOwnershipHash: Hex;
        bondPayer: Address;
      };
    }

    it('is wired to the token, the treasury and the identity registry', async () => {
      const fx = await networkHelpers.loadFixture(fixture);
      assert.equal(getAddress(await fx.manufacturers.read.token()), getAddress(fx.token.address));
      assert.equal(getAddress(await fx.manufacturers.read.treasury()), FIXTURE_TREASURY);
      assert.equal(
        getAddress(await fx.manufacturers.read.identityRegistry()),
        getAddress(fx.registry.address),
      );
      assert.equal(await fx.manufacturers.read.hasRole([GOVERNANCE_ROLE, fx.governance]), true);
      assert.equal(await fx.manufacturers.read.deviceShareCapActive(), false);
    });

    it('rejects zero addresses in the constructor', async () => {
      const fx = await networkHelpers.loadFixture(fixture);
      for (const args of [
        [zeroAddress, fx.governance, FIXTURE_TREASURY],
        [fx.token.address, zeroAddress, FIXTURE_TREASURY],
        [fx.token.address, fx.governance, zeroAddress],
      ] as const) {
        await assert.rejects(
          viem.deployContract('ManufacturerRegistry', [...args]),
          /ManufacturerRegistry__ZeroAddress/,
        );
      }
    });

    describe('approval', () => {
      it('records the manufacturer and pulls its bond from the payer', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const params = await newParams(fx);
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.approveManufacturer([params]),
          fx.manufacturers,
          'ManufacturerApproved',
          [
            2n,
            getAddress(params.bondPayer),
            params.name,
            params.attestationKeyX,
            params.attestationKeyY,
            params.operatingSince,
            params.beneficialOwnershipHash,
            MANUFACTURER_BOND,
          ],
        );
        const m = await fx.manufacturers.read.manufacturer([2n]);
        assert.equal(m.status, STATUS.approved);
        assert.equal(m.attestationKeyX, params.attestationKeyX);
        assert.equal(m.attestationKeyY, params.attestationKeyY);
        assert.equal(m.operatingSince, params.operatingSince);
        assert.equal(m.beneficialOwnershipHash, params.beneficialOwnershipHash);
        assert.equal(getAddress(m.bondPayer), getAddress(payer.account.address));
        assert.equal(m.bond, MANUFACTURER_BOND);
        assert.equal(m.activeDevices, 0n);
        assert.equal(await fx.token.read.balanceOf([payer.account.address]), 0n);
        assert.equal(
          await fx.token.read.balanceOf([fx.manufacturers.address]),
          2n * MANUFACTURER_BOND,
        );
        assert.equal(await fx.manufacturers.read.manufacturerCount(), 2n);
        assert.equal(await fx.manufacturers.read.approvedManufacturerCount(), 2n);
      });

      it('is for governance only', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const params = await newParams(fx);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveManufacturer([params], { account: outsider.account }),
          fx.manufacturers,
          'AccessControlUnauthorizedAccount',
          [getAddress(outsider.account.address), GOVERNANCE_ROLE],
        );
      });

      it('requires more than three years of operating history (§5.7)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        // The next block's timestamp is fixed so the boundary is exact.
        const next = (await fx.now()) + 10n;
        const requiredBefore = next - MANUFACTURER_MIN_OPERATING_HISTORY;
        const exactlyThreeYears = await newParams(fx, { operatingSince: requiredBefore });
        await networkHelpers.time.setNextBlockTimestamp(next);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveManufacturer([exactlyThreeYears]),
          fx.manufacturers,
          'ManufacturerRegistry__InsufficientOperatingHistory',
          [requiredBefore, requiredBefore],
        );
        const oneSecondMore = { ...exactlyThreeYears, operatingSince: requiredBefore - 1n };
        await networkHelpers.time.setNextBlockTimestamp(next + 1n);
        await fx.manufacturers.write.approveManufacturer([oneSecondMore]);
        assert.equal(await fx.manufacturers.read.manufacturerCount(), 2n);
      });

      it('rejects missing disclosure, zero payer and invalid or reused keys', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const params = await newParams(fx);
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.approveManufacturer([
            { ...params, beneficialOwnershipHash: hash32(0) },
          ]),
          fx.manufacturers,
          'ManufacturerRegistry__MissingDisclosure',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.approveManufacturer([{ ...params, bondPayer: zeroAddress }]),
          fx.manufacturers,
          'ManufacturerRegistry__ZeroAddress',
        );
        const offCurveY = hash32(BigInt(params.attestationKeyY) ^ 1n);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveManufacturer([{ ...params, attestationKeyY: offCurveY }]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidAttestationKey',
          [params.attestationKeyX, offCurveY],
        );
        // Coordinates must be below p (P256.test.ts checks x + p for an on-curve x).
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.approveManufacturer([
            { ...params, attestationKeyX: hash32(P256_P) },
          ]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidAttestationKey',
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveManufacturer([
            {
              ...params,
              attestationKeyX: fx.manufacturer.key.x,
              attestationKeyY: fx.manufacturer.key.y,
            },
          ]),
          fx.manufacturers,
          'ManufacturerRegistry__AttestationKeyUsed',
          [1n],
        );
        // Nothing changed.
        assert.equal(await fx.manufacturers.read.manufacturerCount(), 1n);
        assert.equal(await fx.token.read.balanceOf([payer.account.address]), MANUFACTURER_BOND);
      });

      it('fails with the token error when the bond cannot be pulled', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const params = await newParams(fx);
        await fx.token.write.approve([fx.manufacturers.address, MANUFACTURER_BOND - 1n], {
          account: payer.account,
        });
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveManufacturer([params]),
          fx.token,
          'ERC20InsufficientAllowance',
          [getAddress(fx.manufacturers.address), MANUFACTURER_BOND - 1n, MANUFACTURER_BOND],
        );
        assert.equal(await fx.manufacturers.read.manufacturerCount(), 1n);
      });

      it('takes the bond by EIP-2612 permit, even when the permit was front-run', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const params = await newParams(fx);
        await fx.token.write.approve([fx.manufacturers.address, 0n], { account: payer.account });
        const deadline = (await fx.now()) + 3600n;
        const signature = await payer.signTypedData({
          account: payer.account,
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
          message: {
            owner: payer.account.address,
            spender: fx.manufacturers.address,
            value: MANUFACTURER_BOND,
            nonce: 0n,
            deadline,
          },
        });
        const { r, s, v, yParity } = parseSignature(signature);
        const vv = v === undefined ? yParity + 27 : Number(v);
        // A front-runner spends the permit first: approval must still go through.
        await fx.token.write.permit(
          [payer.account.address, fx.manufacturers.address, MANUFACTURER_BOND, deadline, vv, r, s],
          { account: outsider.account },
        );
        await fx.manufacturers.write.approveManufacturerWithPermit([params, deadline, vv, r, s]);
        assert.equal((await fx.manufacturers.read.manufacturer([2n])).bond, MANUFACTURER_BOND);

        // Without the allowance, a spent permit leaves the token's error.
        const again = await newParams(fx);
        await fx.token.write.approve([fx.manufacturers.address, 0n], { account: payer.account });
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.approveManufacturerWithPermit([again, deadline, vv, r, s]),
          fx.token,
          'ERC20InsufficientAllowance',
        );
      });
    });

    describe('lifecycle', () => {
      it('suspends and reinstates; suspension stops certification', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id, firmwareHash } = fx.manufacturer;
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.suspendManufacturer([id]),
          fx.manufacturers,
          'ManufacturerSuspended',
          [id],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.read.certificationKey([id, firmwareHash, HARDWARE_TYPE.secureElement]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
          [id, STATUS.suspended],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.suspendManufacturer([id]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
          [id, STATUS.suspended],
        );
        assert.equal(await fx.manufacturers.read.approvedManufacturerCount(), 1n);
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.reinstateManufacturer([id]),
          fx.manufacturers,
          'ManufacturerReinstated',
          [id],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.reinstateManufacturer([id]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
          [id, STATUS.approved],
        );
        const [x, y] = await fx.manufacturers.read.certificationKey([
          id,
          firmwareHash,
          HARDWARE_TYPE.secureElement,
        ]);
        assert.deepEqual([x, y], [fx.manufacturer.key.x, fx.manufacturer.key.y]);
      });

      it('rejects unknown manufacturers everywhere', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const calls = [
          () => fx.manufacturers.write.suspendManufacturer([7n]),
          () => fx.manufacturers.write.reinstateManufacturer([7n]),
          () => fx.manufacturers.write.removeManufacturer([7n]),
          () =>
            fx.manufacturers.write.rotateAttestationKey([
              7n,
              fx.manufacturer.key.x,
              fx.manufacturer.key.y,
            ]),
          () => fx.manufacturers.write.approveFirmware([7n, randomHash(), 1]),
          () => fx.manufacturers.write.revokeFirmware([7n, randomHash()]),
          () => fx.manufacturers.write.slashBond([7n, 1n]),
          () => fx.manufacturers.write.topUpBond([7n, 1n]),
          () => fx.manufacturers.write.releaseBond([7n]),
          () => fx.manufacturers.read.manufacturer([7n]),
          () => fx.manufacturers.read.certificationKey([7n, randomHash(), 1]),
          () => fx.manufacturers.read.certificationKey([0n, randomHash(), 1]),
        ];
        for (const call of calls) {
          await viem.assertions.revertWithCustomError(
            call(),
            fx.manufacturers,
            'ManufacturerRegistry__UnknownManufacturer',
          );
        }
      });

      it('removes in order: no new certification, bond released after the delay', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id, firmwareHash } = fx.manufacturer;
        const hash = await fx.manufacturers.write.removeManufacturer([id]);
        const block = await publicClient.getBlock({
          blockHash: (await publicClient.waitForTransactionReceipt({ hash })).blockHash,
        });
        const releaseAt = block.timestamp + MANUFACTURER_BOND_RELEASE_DELAY;
        await viem.assertions.emitWithArgs(
          Promise.resolve(hash),
          fx.manufacturers,
          'ManufacturerRemoved',
          [id, releaseAt],
        );
        const m = await fx.manufacturers.read.manufacturer([id]);
        assert.equal(m.status, STATUS.removed);
        assert.equal(m.bondReleaseAt, releaseAt);
        assert.equal(await fx.manufacturers.read.approvedManufacturerCount(), 0n);
        assert.equal(await fx.manufacturers.read.manufacturerCount(), 1n);

        for (const call of [
          () => fx.manufacturers.write.removeManufacturer([id]),
          () => fx.manufacturers.write.reinstateManufacturer([id]),
          () => fx.manufacturers.write.suspendManufacturer([id]),
          () => fx.manufacturers.write.approveFirmware([id, randomHash(), 1]),
          () => fx.manufacturers.write.topUpBond([id, 1n]),
          () => fx.manufacturers.read.certificationKey([id, firmwareHash, 1]),
        ]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            call(),
            fx.manufacturers,
            'ManufacturerRegistry__InvalidStatus',
            [id, STATUS.removed],
          );
        }
        const key = generateP256Key();
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.rotateAttestationKey([id, key.x, key.y]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
        );

        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.releaseBond([id]),
          fx.manufacturers,
          'ManufacturerRegistry__BondLocked',
          [id, releaseAt],
        );
        await networkHelpers.time.setNextBlockTimestamp(releaseAt);
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.releaseBond([id], { account: outsider.account }),
          fx.manufacturers,
          'BondReleased',
          [id, getAddress(fx.governance), MANUFACTURER_BOND],
        );
        assert.equal(await fx.token.read.balanceOf([fx.governance]), MANUFACTURER_BOND);
        assert.equal((await fx.manufacturers.read.manufacturer([id])).bond, 0n);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.releaseBond([id]),
          fx.manufacturers,
          'ManufacturerRegistry__NoBond',
          [id],
        );
      });

      it('releases only the bond of removed manufacturers', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.releaseBond([fx.manufacturer.id]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidStatus',
          [fx.manufacturer.id, STATUS.approved],
        );
      });

      it('rotates the attestation key; the old key is retired for good', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id, firmwareHash } = fx.manufacturer;
        const key = generateP256Key();
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.rotateAttestationKey([id, key.x, key.y]),
          fx.manufacturers,
          'AttestationKeyRotated',
          [id, key.x, key.y],
        );
        assert.deepEqual(await fx.manufacturers.read.certificationKey([id, firmwareHash, 1]), [
          key.x,
          key.y,
        ]);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.rotateAttestationKey([
            id,
            fx.manufacturer.key.x,
            fx.manufacturer.key.y,
          ]),
          fx.manufacturers,
          'ManufacturerRegistry__AttestationKeyUsed',
          [id],
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.rotateAttestationKey([id, key.x, hash32(1)]),
          fx.manufacturers,
          'ManufacturerRegistry__InvalidAttestationKey',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.rotateAttestationKey([id, key.x, key.y], {
            account: outsider.account,
          }),
          fx.manufacturers,
          'AccessControlUnauthorizedAccount',
        );
      });
    });

    describe('firmware', () => {
      it('approves firmware per manufacturer and hardware type, and revokes it', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id } = fx.manufacturer;
        const firmware = randomHash();
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.approveFirmware([id, firmware, HARDWARE_TYPE.pufCard]),
          fx.manufacturers,
          'FirmwareApproved',
          [id, firmware, HARDWARE_TYPE.pufCard],
        );
        assert.equal(await fx.manufacturers.read.firmwareHardwareType([id, firmware]), 2);
        assert.deepEqual(
          await fx.manufacturers.read.certificationKey([id, firmware, HARDWARE_TYPE.pufCard]),
          [fx.manufacturer.key.x, fx.manufacturer.key.y],
        );
        // The same firmware hash for the other hardware type is not approved.
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.read.certificationKey([id, firmware, HARDWARE_TYPE.secureElement]),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
          [id, firmware, HARDWARE_TYPE.secureElement],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.read.certificationKey([id, firmware, 0]),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
          [id, firmware, 0],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.approveFirmware([id, firmware, HARDWARE_TYPE.secureElement]),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareAlreadyApproved',
          [id, firmware],
        );
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.revokeFirmware([id, firmware]),
          fx.manufacturers,
          'FirmwareRevoked',
          [id, firmware],
        );
        assert.equal(await fx.manufacturers.read.firmwareHardwareType([id, firmware]), 0);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.revokeFirmware([id, firmware]),
          fx.manufacturers,
          'ManufacturerRegistry__FirmwareNotApproved',
          [id, firmware, 0],
        );
      });

      it('rejects a zero hash, unknown hardware types and outsiders', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id } = fx.manufacturer;
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.approveFirmware([id, hash32(0), 1]),
          fx.manufacturers,
          'ManufacturerRegistry__ZeroFirmwareHash',
        );
        for (const type of [0, 3, 255]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            fx.manufacturers.write.approveFirmware([id, randomHash(), type]),
            fx.manufacturers,
            'ManufacturerRegistry__InvalidHardwareType',
            [type],
          );
        }
        for (const call of [
          () =>
            fx.manufacturers.write.approveFirmware([id, randomHash(), 1], {
              account: outsider.account,
            }),
          () =>
            fx.manufacturers.write.revokeFirmware([id, fx.manufacturer.firmwareHash], {
              account: outsider.account,
            }),
        ]) {
          await viem.assertions.revertWithCustomError(
            call(),
            fx.manufacturers,
            'AccessControlUnauthorizedAccount',
          );
        }
      });
    });

    describe('bond', () => {
      it('slashes only with a compromised device', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.slashBond([fx.manufacturer.id, 1n]),
          fx.manufacturers,
          'ManufacturerRegistry__NoCompromisedDevice',
          [fx.manufacturer.id],
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.slashBond([fx.manufacturer.id, 0n]),
          fx.manufacturers,
          'ManufacturerRegistry__ZeroAmount',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.slashBond([fx.manufacturer.id, 1n], { account: outsider.account }),
          fx.manufacturers,
          'AccessControlUnauthorizedAccount',
        );
      });

      it('takes top-ups from anyone for a live manufacturer', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id } = fx.manufacturer;
        await fx.mint(outsider.account.address, 5n);
        await fx.token.write.approve([fx.manufacturers.address, 5n], { account: outsider.account });
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.topUpBond([id, 5n], { account: outsider.account }),
          fx.manufacturers,
          'BondToppedUp',
          [id, getAddress(outsider.account.address), 5n, MANUFACTURER_BOND + 5n],
        );
        assert.equal((await fx.manufacturers.read.manufacturer([id])).bond, MANUFACTURER_BOND + 5n);
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.topUpBond([id, 0n]),
          fx.manufacturers,
          'ManufacturerRegistry__ZeroAmount',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.topUpBond([id, 1n], { account: outsider.account }),
          fx.token,
          'ERC20InsufficientAllowance',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.topUpBond([id, 2n ** 96n]),
          fx.manufacturers,
          'SafeCastOverflowedUintDowncast',
        );
      });
    });

    describe('settings', () => {
      it('sets the treasury (governance, nonzero)', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.setTreasury([outsider.account.address]),
          fx.manufacturers,
          'TreasuryChanged',
          [FIXTURE_TREASURY, getAddress(outsider.account.address)],
        );
        assert.equal(
          getAddress(await fx.manufacturers.read.treasury()),
          getAddress(outsider.account.address),
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.setTreasury([zeroAddress]),
          fx.manufacturers,
          'ManufacturerRegistry__ZeroAddress',
        );
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.setTreasury([FIXTURE_TREASURY], { account: outsider.account }),
          fx.manufacturers,
          'AccessControlUnauthorizedAccount',
        );
      });

      it('sets the identity registry once', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.revertWithCustomErrorWithArgs(
          fx.manufacturers.write.setIdentityRegistry([outsider.account.address]),
          fx.manufacturers,
          'ManufacturerRegistry__IdentityRegistryAlreadySet',
          [getAddress(fx.registry.address)],
        );
        const fresh = await viem.deployContract('ManufacturerRegistry', [
          fx.token.address,
          fx.governance,
          FIXTURE_TREASURY,
        ]);
        await fresh.write.grantRole([GOVERNANCE_ROLE, fx.governance]);
        await viem.assertions.revertWithCustomError(
          fresh.write.setIdentityRegistry([zeroAddress]),
          fresh,
          'ManufacturerRegistry__ZeroAddress',
        );
        await viem.assertions.revertWithCustomError(
          fresh.write.setIdentityRegistry([outsider.account.address], {
            account: outsider.account,
          }),
          fresh,
          'AccessControlUnauthorizedAccount',
        );
        await viem.assertions.emitWithArgs(
          fresh.write.setIdentityRegistry([outsider.account.address]),
          fresh,
          'IdentityRegistrySet',
          [getAddress(outsider.account.address)],
        );
      });

      it('switches the share cap on early, once, by governance', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.activateDeviceShareCap({ account: outsider.account }),
          fx.manufacturers,
          'AccessControlUnauthorizedAccount',
        );
        await viem.assertions.emitWithArgs(
          fx.manufacturers.write.activateDeviceShareCap(),
          fx.manufacturers,
          'DeviceShareCapActivated',
          [true, 0n],
        );
        assert.equal(await fx.manufacturers.read.deviceShareCapActive(), true);
        await viem.assertions.revertWithCustomError(
          fx.manufacturers.write.activateDeviceShareCap(),
          fx.manufacturers,
          'ManufacturerRegistry__ShareCapAlreadyActive',
        );
      });

      it('takes device reports from the identity registry only', async () => {
        const fx = await networkHelpers.loadFixture(fixture);
        const { id } = fx.manufacturer;
        for (const call of [
          () => fx.manufacturers.write.noteRegistration([id]),
          () => fx.manufacturers.write.noteFreeze([id]),
          () => fx.manufacturers.write.noteUnfreeze([id]),
          () => fx.manufacturers.write.noteCompromise([id]),
        ]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            call(),
            fx.manufacturers,
            'ManufacturerRegistry__NotIdentityRegistry',
            [getAddress(fx.governance)],
          );
        }
      });
    });
  });
}

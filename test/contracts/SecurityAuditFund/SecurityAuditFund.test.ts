import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { getAddress, keccak256, toHex, zeroAddress, zeroHash } from 'viem';
import { GOVERNANCE_ROLE, MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

const MOLT = 10n ** 6n;
const FUND = 50_000_000n * MOLT;

describe('SecurityAuditFund', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const governance = client(1);
  const auditor = client(2);
  const stranger = client(3);
  const report = keccak256(toHex('audit report #1 (PDF bytes)'));

  async function deploy() {
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const fund = await viem.deployContract('SecurityAuditFund', [
      token.address,
      admin.account.address,
    ]);
    await token.write.grantRole([MINTER_ROLE, admin.account.address]);
    await token.write.mint([fund.address, FUND]);
    await fund.write.grantRole([GOVERNANCE_ROLE, governance.account.address]);
    return { token, fund };
  }

  it('pays an auditor once per completed audit report', async () => {
    const { token, fund } = await networkHelpers.loadFixture(deploy);
    assert.equal(getAddress(await fund.read.molt()), getAddress(token.address));
    await viem.assertions.emitWithArgs(
      fund.write.releaseForAudit([report, auditor.account.address, 250_000n * MOLT], {
        account: governance.account,
      }),
      fund,
      'AuditPaid',
      [report, getAddress(auditor.account.address), 250_000n * MOLT],
    );
    assert.equal(await token.read.balanceOf([auditor.account.address]), 250_000n * MOLT);
    assert.equal(await fund.read.paidFor([report]), 250_000n * MOLT);
    assert.equal(await fund.read.totalReleased(), 250_000n * MOLT);
    await viem.assertions.revertWithCustomErrorWithArgs(
      fund.write.releaseForAudit([report, auditor.account.address, 1n], {
        account: governance.account,
      }),
      fund,
      'SecurityAuditFund__AlreadyPaid',
      [report],
    );
  });

  it('rejects bad input, overdrafts and callers without the governance role', async () => {
    const { fund } = await networkHelpers.loadFixture(deploy);
    const g = { account: governance.account };
    await viem.assertions.revertWithCustomError(
      fund.write.releaseForAudit([zeroHash, auditor.account.address, 1n], g),
      fund,
      'SecurityAuditFund__ZeroReportHash',
    );
    await viem.assertions.revertWithCustomError(
      fund.write.releaseForAudit([report, zeroAddress, 1n], g),
      fund,
      'SecurityAuditFund__ZeroAddress',
    );
    await viem.assertions.revertWithCustomError(
      fund.write.releaseForAudit([report, auditor.account.address, 0n], g),
      fund,
      'SecurityAuditFund__ZeroAmount',
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      fund.write.releaseForAudit([report, auditor.account.address, FUND + 1n], g),
      fund,
      'SecurityAuditFund__InsufficientFunds',
      [FUND, FUND + 1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      fund.write.releaseForAudit([report, auditor.account.address, 1n], {
        account: stranger.account,
      }),
      fund,
      'AccessControlUnauthorizedAccount',
      [getAddress(stranger.account.address), GOVERNANCE_ROLE],
    );
    await assert.rejects(
      viem.deployContract('SecurityAuditFund', [zeroAddress, admin.account.address]),
      /SecurityAuditFund__ZeroAddress/,
    );
  });
});

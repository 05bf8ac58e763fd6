import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import {
  type Address,
  encodeErrorResult,
  encodeFunctionData,
  getAddress,
  toFunctionSelector,
  zeroAddress,
} from 'viem';
import { MINTER_ROLE } from '../helpers/roles.ts';
import { walletClientAt } from '../helpers/walletClientAt.ts';

// §11.2, written out here rather than imported.
const MOLT = 10n ** 6n;
const SUPPLY = 100_000_000n * MOLT;
const ADDRESS_CAP = 5_000_000n * MOLT;
const TICKS = 4096n;
const RESERVE = 10n ** 8n; // wei per micromolt: 0.0001 ETH per $MOLT
const TICK_SIZE = 10n ** 6n; // 1 % of the reserve
const REENTRANCY_GUARD_ERROR = toFunctionSelector('ReentrancyGuardReentrantCall()');
const price = (tick: bigint) => RESERVE + tick * TICK_SIZE;

describe('BatchAuction', async () => {
  const { viem, networkHelpers } = await network.create('op');
  const clients = await viem.getWalletClients();
  const client = (i: number) => walletClientAt(clients, i);
  const admin = client(0);
  const proceeds = client(1);
  const unsold = client(2);
  const alice = client(3);
  const bob = client(4);

  async function deployAuction(proceedsRecipient: Address = proceeds.account.address) {
    const now = BigInt(await networkHelpers.time.latest());
    const start = now + 100n;
    const end = start + 3n * 24n * 3600n;
    const token = await viem.deployContract('MoltToken', [admin.account.address]);
    const auction = await viem.deployContract('BatchAuction', [
      token.address,
      proceedsRecipient,
      unsold.account.address,
      start,
      end,
      RESERVE,
      TICK_SIZE,
    ]);
    await token.write.grantRole([MINTER_ROLE, admin.account.address]);
    return { token, auction, start, end };
  }

  async function deploy() {
    const deployed = await deployAuction();
    await deployed.token.write.mint([deployed.auction.address, SUPPLY]);
    await networkHelpers.time.increaseTo(deployed.start);
    return deployed;
  }

  /** A funded, impersonated bidder address, distinct per `i`. */
  async function bidder(i: number): Promise<Address> {
    const address = getAddress(`0x${(0xb1d000 + i).toString(16).padStart(40, '0')}`);
    await networkHelpers.impersonateAccount(address);
    await networkHelpers.setBalance(address, 10n ** 30n);
    return address;
  }

  type Auction = Awaited<ReturnType<typeof deploy>>['auction'];

  async function bid(auction: Auction, from: Address, tick: bigint, quantity: bigint) {
    return auction.write.bid([tick, quantity], { account: from, value: quantity * price(tick) });
  }

  describe('deployment', () => {
    it('keeps the §11.2 parameters', async () => {
      const { token, auction, start, end } = await networkHelpers.loadFixture(deploy);
      assert.equal(await auction.read.supply(), SUPPLY);
      assert.equal(await auction.read.addressCap(), ADDRESS_CAP);
      assert.equal(await auction.read.TICK_COUNT(), TICKS);
      assert.equal(await auction.read.BUCKET_SIZE(), 64n);
      assert.equal(getAddress(await auction.read.token()), getAddress(token.address));
      assert.equal(
        getAddress(await auction.read.proceedsRecipient()),
        getAddress(proceeds.account.address),
      );
      assert.equal(
        getAddress(await auction.read.unsoldRecipient()),
        getAddress(unsold.account.address),
      );
      assert.equal(await auction.read.startTime(), start);
      assert.equal(await auction.read.endTime(), end);
      assert.equal(await auction.read.reservePrice(), RESERVE);
      assert.equal(await auction.read.tickSize(), TICK_SIZE);
      assert.equal(await auction.read.priceAt([TICKS - 1n]), price(TICKS - 1n));
      assert.equal(await auction.read.cleared(), false);
    });

    it('rejects zero addresses, an empty or past window and zero prices', async () => {
      const { token } = await networkHelpers.loadFixture(deploy);
      const now = BigInt(await networkHelpers.time.latest());
      const p = proceeds.account.address;
      const u = unsold.account.address;
      const s = now + 10n;
      const e = now + 100n;
      for (const args of [
        [zeroAddress, p, u, s, e, RESERVE, TICK_SIZE],
        [token.address, zeroAddress, u, s, e, RESERVE, TICK_SIZE],
        [token.address, p, zeroAddress, s, e, RESERVE, TICK_SIZE],
      ] as const) {
        await assert.rejects(
          viem.deployContract('BatchAuction', args),
          /BatchAuction__ZeroAddress/,
        );
      }
      await assert.rejects(
        viem.deployContract('BatchAuction', [token.address, p, u, e, e, RESERVE, TICK_SIZE]),
        /BatchAuction__InvalidSchedule/,
      );
      await assert.rejects(
        viem.deployContract('BatchAuction', [
          token.address,
          p,
          u,
          now - 10n,
          now,
          RESERVE,
          TICK_SIZE,
        ]),
        /BatchAuction__InvalidSchedule/,
      );
      await assert.rejects(
        viem.deployContract('BatchAuction', [token.address, p, u, s, e, 0n, TICK_SIZE]),
        /BatchAuction__ZeroPrice/,
      );
      await assert.rejects(
        viem.deployContract('BatchAuction', [token.address, p, u, s, e, RESERVE, 0n]),
        /BatchAuction__ZeroPrice/,
      );
    });

    it('rejects unknown ticks and bids in its views', async () => {
      const { auction } = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.read.priceAt([TICKS]),
        auction,
        'BatchAuction__InvalidTick',
        [TICKS],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.read.demandAt([TICKS]),
        auction,
        'BatchAuction__InvalidTick',
        [TICKS],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.read.bidOf([0n]),
        auction,
        'BatchAuction__UnknownBid',
        [0n],
      );
      await viem.assertions.revertWithCustomError(
        auction.read.settlementOf([0n]),
        auction,
        'BatchAuction__NotCleared',
      );
    });
  });

  describe('bid', () => {
    it('escrows exactly quantity × price and records the bid', async () => {
      const { auction } = await networkHelpers.loadFixture(deploy);
      const quantity = 1_234n * MOLT;
      const deposit = quantity * price(17n);
      const tx = auction.write.bid([17n, quantity], { account: alice.account, value: deposit });
      await viem.assertions.balancesHaveChanged(tx, [
        { address: alice.account.address, amount: -deposit },
        { address: auction.address, amount: deposit },
      ]);
      await viem.assertions.emitWithArgs(
        auction.write.bid([17n, 1n], { account: bob.account, value: price(17n) }),
        auction,
        'BidPlaced',
        [1n, getAddress(bob.account.address), 17n, 1n, price(17n)],
      );
      const first = await auction.read.bidOf([0n]);
      assert.equal(getAddress(first.bidder), getAddress(alice.account.address));
      assert.equal(first.tick, 17);
      assert.equal(first.quantity, quantity);
      assert.equal(first.offset, 0n);
      assert.equal((await auction.read.bidOf([1n])).offset, quantity);
      assert.equal(await auction.read.bidCount(), 2n);
      assert.equal(await auction.read.committedOf([alice.account.address]), quantity);
      assert.equal(await auction.read.demandAt([17n]), quantity + 1n);
      assert.equal(await auction.read.totalDemand(), quantity + 1n);
    });

    it('rejects a payment that is not exactly the escrow', async () => {
      const { auction } = await networkHelpers.loadFixture(deploy);
      for (const value of [0n, 1000n * price(3n) - 1n, 1000n * price(3n) + 1n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          auction.write.bid([3n, 1000n], { account: alice.account, value }),
          auction,
          'BatchAuction__WrongPayment',
          [1000n * price(3n), value],
        );
      }
    });

    it('caps each address at 5M $MOLT across its bids', async () => {
      const { auction } = await networkHelpers.loadFixture(deploy);
      const whale = await bidder(1);
      await bid(auction, whale, 5n, 3_000_000n * MOLT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bid(auction, whale, 9n, 2_000_000n * MOLT + 1n),
        auction,
        'BatchAuction__AddressCapExceeded',
        [whale, 2_000_000n * MOLT + 1n, 2_000_000n * MOLT],
      );
      await bid(auction, whale, 9n, 2_000_000n * MOLT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bid(auction, whale, 9n, 1n),
        auction,
        'BatchAuction__AddressCapExceeded',
        [whale, 1n, 0n],
      );
      assert.equal(await auction.read.committedOf([whale]), ADDRESS_CAP);
    });

    it('rejects bids outside the window, off the grid, or for nothing', async () => {
      const early = await deployAuction();
      await early.token.write.mint([early.auction.address, SUPPLY]);
      await viem.assertions.revertWithCustomError(
        bid(early.auction, alice.account.address, 0n, 1n),
        early.auction,
        'BatchAuction__NotOpen',
      );
      const { auction, end } = await networkHelpers.loadFixture(deploy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bid(auction, alice.account.address, TICKS, 1n),
        auction,
        'BatchAuction__InvalidTick',
        [TICKS],
      );
      await viem.assertions.revertWithCustomError(
        auction.write.bid([0n, 0n], { account: alice.account }),
        auction,
        'BatchAuction__ZeroQuantity',
      );
      await networkHelpers.time.setNextBlockTimestamp(end);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bid(auction, alice.account.address, 0n, 1n),
        auction,
        'BatchAuction__NotOpen',
        [end, end - 3n * 24n * 3600n, end],
      );
      await networkHelpers.mine(); // use up the timestamp set above
    });

    it('rejects bids and the clearing while the auction does not hold its supply', async () => {
      const unfunded = await deployAuction();
      await networkHelpers.time.increaseTo(unfunded.start);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bid(unfunded.auction, alice.account.address, 0n, 1n),
        unfunded.auction,
        'BatchAuction__NotFunded',
        [0n, SUPPLY],
      );
      await networkHelpers.time.increaseTo(unfunded.end);
      await viem.assertions.revertWithCustomErrorWithArgs(
        unfunded.auction.write.clear(),
        unfunded.auction,
        'BatchAuction__NotFunded',
        [0n, SUPPLY],
      );
    });
  });

  describe('clear', () => {
    it('oversubscribed: fills above the clearing tick, shares it pro rata, refunds the rest', async () => {
      const { token, auction, end } = await networkHelpers.loadFixture(deploy);
      // 19 × 5M at tick 100 (95M), then 3M + 4M + 2M at tick 50: 5M left for 9M there.
      for (let i = 0; i < 19; i++) await bid(auction, await bidder(i), 100n, ADDRESS_CAP);
      const [a, b, c, low] = [
        await bidder(100),
        await bidder(101),
        await bidder(102),
        await bidder(103),
      ];
      await bid(auction, a, 50n, 3_000_000n * MOLT);
      await bid(auction, b, 50n, 4_000_000n * MOLT);
      await bid(auction, c, 50n, 2_000_000n * MOLT);
      await bid(auction, low, 10n, ADDRESS_CAP);
      assert.deepEqual(await auction.read.previewClearing(), [50n, price(50n), SUPPLY]);

      await networkHelpers.time.increaseTo(end);
      await viem.assertions.emitWithArgs(auction.write.clear(), auction, 'AuctionCleared', [
        50n,
        price(50n),
        SUPPLY,
        0n,
      ]);
      assert.equal(await auction.read.cleared(), true);
      assert.equal(await auction.read.proceeds(), SUPPLY * price(50n));

      // floor(5e12·3/9), floor(5e12·7/9) − floor(5e12·3/9), 5e12 − floor(5e12·7/9)
      const fills = [1_666_666_666_666n, 2_222_222_222_222n, 1_111_111_111_112n];
      for (const [k, who] of [a, b, c].entries()) {
        const id = BigInt(19 + k);
        const [filled, cost, refund] = await auction.read.settlementOf([id]);
        assert.equal(filled, fills[k]);
        assert.equal(cost, filled * price(50n));
        const escrow = (await auction.read.bidOf([id])).quantity * price(50n);
        await viem.assertions.balancesHaveChanged(auction.write.claim([[id]], { account: who }), [
          { address: who, amount: escrow - cost },
        ]);
        assert.equal(refund, escrow - cost);
        assert.equal(await token.read.balanceOf([who]), filled);
      }
      // A bid above the clearing tick pays the clearing price, not its own.
      const top = await bidder(0);
      await viem.assertions.emitWithArgs(
        auction.write.claim([[0n]], { account: top }),
        auction,
        'BidSettled',
        [0n, top, ADDRESS_CAP, ADDRESS_CAP * price(50n), ADDRESS_CAP * (price(100n) - price(50n))],
      );
      // One below it gets everything back.
      await viem.assertions.balancesHaveChanged(auction.write.claim([[22n]], { account: low }), [
        { address: low, amount: ADDRESS_CAP * price(10n) },
      ]);
      assert.equal(await token.read.balanceOf([low]), 0n);
    });

    it('undersubscribed: clears at the lowest tick bid and sends the unsold supply on', async () => {
      const { token, auction, end } = await networkHelpers.loadFixture(deploy);
      await bid(auction, alice.account.address, 300n, ADDRESS_CAP);
      await bid(auction, bob.account.address, 20n, 1_000n * MOLT);
      await networkHelpers.time.increaseTo(end);
      const sold = ADDRESS_CAP + 1_000n * MOLT;
      await viem.assertions.emitWithArgs(auction.write.clear(), auction, 'AuctionCleared', [
        20n,
        price(20n),
        sold,
        SUPPLY - sold,
      ]);
      assert.equal(await token.read.balanceOf([unsold.account.address]), SUPPLY - sold);
      assert.deepEqual(await auction.read.settlementOf([1n]), [
        1_000n * MOLT,
        1_000n * MOLT * price(20n),
        0n,
      ]);
    });

    it('with no bids sends everything on and has no proceeds', async () => {
      const { token, auction, end } = await networkHelpers.loadFixture(deploy);
      await token.write.mint([auction.address, 77n]); // $MOLT sent on top is swept too
      await networkHelpers.time.increaseTo(end);
      await viem.assertions.emitWithArgs(auction.write.clear(), auction, 'AuctionCleared', [
        0n,
        0n,
        0n,
        SUPPLY + 77n,
      ]);
      assert.equal(await token.read.balanceOf([unsold.account.address]), SUPPLY + 77n);
      await viem.assertions.revertWithCustomError(
        auction.write.withdrawProceeds(),
        auction,
        'BatchAuction__NoProceeds',
      );
    });

    it('runs only after the window, once', async () => {
      const { auction, end } = await networkHelpers.loadFixture(deploy);
      await networkHelpers.time.setNextBlockTimestamp(end - 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.clear(),
        auction,
        'BatchAuction__BiddingNotOver',
        [end - 1n, end],
      );
      await networkHelpers.time.increaseTo(end);
      await auction.write.clear({ account: bob.account }); // anyone
      await viem.assertions.revertWithCustomError(
        auction.write.clear(),
        auction,
        'BatchAuction__AlreadyCleared',
      );
    });
  });

  describe('claim and proceeds', () => {
    it('rejects claims before clearing, empty, unknown, foreign and repeated', async () => {
      const { auction, end } = await networkHelpers.loadFixture(deploy);
      await bid(auction, alice.account.address, 9n, 1000n);
      const a = { account: alice.account };
      await viem.assertions.revertWithCustomError(
        auction.write.claim([[0n]], a),
        auction,
        'BatchAuction__NotCleared',
      );
      await networkHelpers.time.increaseTo(end);
      await auction.write.clear();
      await viem.assertions.revertWithCustomError(
        auction.write.claim([[]], a),
        auction,
        'BatchAuction__NoBidIds',
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.claim([[1n]], a),
        auction,
        'BatchAuction__UnknownBid',
        [1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.read.settlementOf([1n]),
        auction,
        'BatchAuction__UnknownBid',
        [1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.claim([[0n]], { account: bob.account }),
        auction,
        'BatchAuction__NotBidder',
        [0n, getAddress(bob.account.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.claim([[0n, 0n]], a),
        auction,
        'BatchAuction__AlreadyClaimed',
        [0n],
      );
      await auction.write.claim([[0n]], a);
      assert.equal((await auction.read.bidOf([0n])).claimed, true);
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.claim([[0n]], a),
        auction,
        'BatchAuction__AlreadyClaimed',
        [0n],
      );
    });

    it('sends the proceeds to their recipient, once', async () => {
      const { auction, end } = await networkHelpers.loadFixture(deploy);
      await bid(auction, alice.account.address, 9n, 1000n * MOLT);
      await viem.assertions.revertWithCustomError(
        auction.write.withdrawProceeds(),
        auction,
        'BatchAuction__NotCleared',
      );
      await networkHelpers.time.increaseTo(end);
      await auction.write.clear();
      const amount = 1000n * MOLT * price(9n);
      await viem.assertions.balancesHaveChanged(auction.write.withdrawProceeds(), [
        { address: proceeds.account.address, amount },
        { address: auction.address, amount: -amount },
      ]);
      assert.equal(await auction.read.proceedsWithdrawn(), true);
      await viem.assertions.revertWithCustomError(
        auction.write.withdrawProceeds(),
        auction,
        'BatchAuction__ProceedsAlreadyWithdrawn',
      );
    });

    it('reverts, changing nothing, when the proceeds recipient rejects ETH', async () => {
      const token = await viem.deployContract('MoltToken', [admin.account.address]);
      const recipient = await viem.deployContract('ReceiverMock', [token.address]);
      await recipient.write.setRejectEth([true]);
      const { auction, token: molt, start, end } = await deployAuction(recipient.address);
      await molt.write.mint([auction.address, SUPPLY]);
      await networkHelpers.time.increaseTo(start);
      await bid(auction, alice.account.address, 0n, 1n);
      await networkHelpers.time.increaseTo(end);
      await auction.write.clear();
      await viem.assertions.revertWithCustomErrorWithArgs(
        auction.write.withdrawProceeds(),
        auction,
        'BatchAuction__EthTransferFailed',
        [getAddress(recipient.address), price(0n)],
      );
      assert.equal(await auction.read.proceedsWithdrawn(), false);
    });

    it('blocks a bidder contract that reenters from its refund, and one that rejects it', async () => {
      const { token, auction, end } = await networkHelpers.loadFixture(deploy);
      const attacker = await viem.deployContract('ReceiverMock', [token.address]);
      await attacker.write.execute(
        [
          auction.address,
          encodeFunctionData({ abi: auction.abi, functionName: 'bid', args: [9n, 1000n] }),
        ],
        { value: 1000n * price(9n) },
      );
      await bid(auction, alice.account.address, 2n, 1000n);
      await networkHelpers.time.increaseTo(end);
      await auction.write.clear();
      const claimData = encodeFunctionData({
        abi: auction.abi,
        functionName: 'claim',
        args: [[0n]],
      });
      const refund = 1000n * (price(9n) - price(2n));

      await attacker.write.setRejectEth([true]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        attacker.write.execute([auction.address, claimData]),
        attacker,
        'ReceiverMock__CallFailed',
        [
          encodeErrorResult({
            abi: auction.abi,
            errorName: 'BatchAuction__EthTransferFailed',
            args: [getAddress(attacker.address), refund],
          }),
        ],
      );

      await attacker.write.setRejectEth([false]);
      await attacker.write.setReentry([auction.address, claimData]);
      await viem.assertions.emitWithArgs(
        attacker.write.execute([auction.address, claimData]),
        attacker,
        'Reentered',
        [false, REENTRANCY_GUARD_ERROR],
      );
      assert.equal(await token.read.balanceOf([attacker.address]), 1000n);
      assert.equal((await auction.read.bidOf([0n])).claimed, true);
    });
  });
});

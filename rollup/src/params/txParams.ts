/**
 * Transaction, fee, mempool and execution constants of a shard. Every value cites where it comes
 * from; nothing in the tx, mempool or execution logic is a magic number (DESIGN.md §5).
 * Gas, fees, nonces and amounts are bigint: they feed the state root (STYLE.md "Numbers in
 * consensus").
 */

/**
 * Encoding version of a transaction envelope; bump on any change of the layout (txCodec.ts).
 * v2 (issue 5): `maxFee` replaces `maxFeePerGas` and `gasLimit` (fees follow the §10.2 schedule,
 * gas is constant per action kind), and the attention-economy payloads.
 */
export const TX_VERSION = 2;

/**
 * Domain tag of a transaction signature (DESIGN.md §3 signer keys). Followed by the shard id in
 * the signed message, so a signature is valid for one shard only and can never be replayed as a
 * block (`moltbook/block/v1`) or a vote.
 */
export const TX_DOMAIN_TAG = 'moltbook/tx/v1';

/**
 * Largest encoded transaction accepted at the edge. Agave's PACKET_DATA_SIZE: 1280-byte IPv6 MTU
 * minus 48 bytes of headers, the limit of a Solana transaction. A transfer is 158 bytes.
 */
export const MAX_TX_BYTES = 1_232;

/** Largest integer a u64 field carries. */
export const U64_MAX = (1n << 64n) - 1n;

/**
 * Gas of a transfer. The paper prices actions in $MOLT (§10.2) and leaves gas units open; we take
 * Ethereum's intrinsic cost of a plain transfer (yellow paper G_transaction = 21,000) so that gas
 * figures read familiarly. The other actions: economyParams ACTION_GAS.
 */
export const TRANSFER_GAS = 21_000n;

/**
 * §10.5 `gas_target_per_slot`: the DESIGN.md §7 throughput goal, 10,000 tx/s × 0.4 s = 4,000
 * transfers per slot.
 */
export const SLOT_GAS_TARGET = 4_000n * TRANSFER_GAS;

/** §10.5 "target = 0.50 (50 % utilization target)": the slot's capacity is twice its target. */
export const SLOT_GAS_LIMIT = 2n * SLOT_GAS_TARGET;

/** §7.6 item 4 "per-sender gas cap": a single identity ≤ 5 % (500 basis points) of a slot's gas. */
export const SENDER_GAS_CAP_BPS = 500n;

/** Basis points in one. */
export const BPS = 10_000n;

/** §7.6: the gas one sender may use in a slot whose capacity is `slotGasLimit` (floor). */
export function senderGasCap(slotGasLimit: bigint): bigint {
  return (slotGasLimit * SENDER_GAS_CAP_BPS) / BPS;
}

/**
 * How far ahead of the account's nonce a transaction may be and still be accepted (`tx.nonce_gap`).
 * Geth queues up to 64 future transactions per account (txpool AccountQueue); we allow 512 so a
 * single sender can fill its §7.6 share of a slot (5 % of SLOT_GAS_LIMIT = 400 transfers).
 */
export const NONCE_WINDOW = 512n;

/** Mempool: most transactions held in total — 5 s of the 10,000 tx/s goal (DESIGN.md §7). */
export const MEMPOOL_MAX_TXS = 50_000;

/** Mempool: most transactions of one sender; equal to NONCE_WINDOW (see there). */
export const MEMPOOL_MAX_PER_SENDER = 512;

/** Mempool: most encoded bytes held in total (64 MiB ≥ 50,000 transfers of 166 bytes). */
export const MEMPOOL_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A transaction replaces a pooled one of the same sender and nonce only if its max fee per gas is
 * at least 10 % higher (geth txpool PriceBump = 10), and strictly higher: replacement cannot be
 * used to spam the network for free.
 */
export const REPLACEMENT_BUMP_PERCENT = 10n;

/** Signer public keys the validator keeps imported (node:crypto KeyObjects) at most. */
export const SIGNER_KEY_CACHE_SIZE = 65_536;

/**
 * The generic transaction envelope (issue 4 item 3): signed by an Ed25519 signer key (DESIGN.md
 * §3), with a nonce, §10.5 fee fields and a typed payload. Every integer is a bigint u64.
 */

/** Payload kinds on the wire (u8). The attention economy adds kinds here. */
export const PAYLOAD_KIND = {
  transfer: 1,
} as const;

/** Moves `amount` micromolt from the sender to `to` (a signer public key). */
export interface TransferPayload {
  readonly kind: 'transfer';
  /** Recipient: raw 32-byte Ed25519 public key. */
  readonly to: Uint8Array;
  /** Micromolt, u64. */
  readonly amount: bigint;
}

/** Tagged union of everything a transaction can do. */
export type TxPayload = TransferPayload;

export interface UnsignedTransaction {
  /** Envelope version (TX_VERSION). */
  readonly version: number;
  /** Shard (chain) id, u32: part of the signed message, so no cross-shard replay. */
  readonly shard: number;
  /** Raw 32-byte Ed25519 signer public key; pays the fee. */
  readonly sender: Uint8Array;
  /** u64; must equal the sender account's nonce when executed. */
  readonly nonce: bigint;
  /** §10.5: most micromolt per gas unit the sender pays; must be ≥ the base fee. */
  readonly maxFeePerGas: bigint;
  /** Most gas units the transaction may use; the sender must hold gasLimit × maxFeePerGas. */
  readonly gasLimit: bigint;
  readonly payload: TxPayload;
}

export interface SignedTransaction extends UnsignedTransaction {
  /** 64-byte Ed25519 signature over txSigningMessage (txCodec.ts). */
  readonly signature: Uint8Array;
}

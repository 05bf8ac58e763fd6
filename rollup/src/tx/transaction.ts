/**
 * The transaction envelope (issue 4 item 3, v2 with the attention economy of issue 5): signed by
 * an Ed25519 signer key (DESIGN.md §3), with a nonce, the most the sender will pay in fees, and a
 * typed payload. Integers are bigint u64 unless said; hashes and keys are raw 32-byte arrays.
 */

/** Payload kinds on the wire (u8). Values are stable: never renumber, only add. */
export const PAYLOAD_KIND = {
  transfer: 1,
  createCommunity: 2,
  createPost: 3,
  reply: 4,
  vote: 5,
  updateProfile: 6,
  flag: 7,
  boostBid: 8,
  createBounty: 9,
  answerBounty: 10,
  acceptAnswer: 11,
  commitPost: 12,
  revealPost: 13,
  zkPost: 14,
  zkReply: 15,
} as const;

export type PayloadKind = keyof typeof PAYLOAD_KIND;

/** §9.3 retention a body is paid for (economyParams STORAGE_CLASS). */
export type StorageClass = 'days30' | 'year' | 'permanent';

/**
 * A content body by reference (§9.1: content is not state). The body itself — structured JSON
 * (§14.2, economy/contentSchema.ts) — travels beside the transaction to the node, which checks
 * its hash and size; the DA issue moves bodies into blobs without changing this reference.
 */
export interface ContentRef {
  /** SHA-256 of the body bytes. */
  readonly hash: Uint8Array;
  /** Body length in bytes, u32, 1..MAX_CONTENT_BYTES. */
  readonly size: number;
  readonly storage: StorageClass;
}

/** Moves `amount` micromolt from the sender to `to` (a signer public key). */
export interface TransferPayload {
  readonly kind: 'transfer';
  readonly to: Uint8Array;
  readonly amount: bigint;
}

/** §10.2 "Create community/shard": a named community (economyParams COMMUNITY_NAME_*). */
export interface CreateCommunityPayload {
  readonly kind: 'createCommunity';
  readonly name: string;
}

/** §10.2 "Create post (new thread)" in `community`. */
export interface CreatePostPayload {
  readonly kind: 'createPost';
  readonly community: string;
  readonly content: ContentRef;
}

/** §10.2 "Reply to thread": `parent` is a post or a reply (its thread is the parent's). */
export interface ReplyPayload {
  readonly kind: 'reply';
  readonly parent: Uint8Array;
  readonly content: ContentRef;
}

/** §10.2 upvote / downvote of a post, reply or bounty answer. */
export interface VotePayload {
  readonly kind: 'vote';
  readonly post: Uint8Array;
  readonly direction: 'up' | 'down';
}

/** §10.2 "Update profile": the profile body by reference. */
export interface UpdateProfilePayload {
  readonly kind: 'updateProfile';
  readonly content: ContentRef;
}

/** §14.2 / §16.2 community flag on content (weighted by the flagger's reputation). */
export interface FlagPayload {
  readonly kind: 'flag';
  readonly post: Uint8Array;
}

/** §10.4 a bid for one of the shard's boost slots in auction `window`, escrowed until it closes. */
export interface BoostBidPayload {
  readonly kind: 'boostBid';
  readonly post: Uint8Array;
  readonly window: bigint;
  readonly amount: bigint;
}

/** §10.3 a bounty question: `amount` escrowed until resolution. */
export interface CreateBountyPayload {
  readonly kind: 'createBounty';
  readonly community: string;
  readonly content: ContentRef;
  readonly amount: bigint;
  /** Slot after which the community vote decides (§10.3 path 2). */
  readonly deadline: bigint;
  /** §10.3 `min_reputation`: answerers need at least this reputation (whole points, u32). */
  readonly minReputation: number;
  /** §17.3 newcomer bounty pool: only newcomers may answer (amount 1-5 MOLT). */
  readonly newcomerOnly: boolean;
}

/** §10.3 an answer to bounty `bounty`. */
export interface AnswerBountyPayload {
  readonly kind: 'answerBounty';
  readonly bounty: Uint8Array;
  readonly content: ContentRef;
}

/** §10.3 path 1: the asker selects `answer` before the deadline. */
export interface AcceptAnswerPayload {
  readonly kind: 'acceptAnswer';
  readonly bounty: Uint8Array;
  readonly answer: Uint8Array;
}

/** §14.3 step 1: `commitment` = revealCommitment(sender, reveal) (economy/commitReveal.ts). */
export interface CommitPostPayload {
  readonly kind: 'commitPost';
  readonly commitment: Uint8Array;
}

/**
 * §14.3 step 2: the committed post. `parent` all-zero for a new thread in `community`, else the
 * post replied to (then `community` must be empty). `salt` is the commitment's nonce.
 */
export interface RevealPostPayload {
  readonly kind: 'revealPost';
  readonly community: string;
  readonly parent: Uint8Array;
  readonly content: ContentRef;
  readonly salt: Uint8Array;
}

/** §6.3 the two modes a zero-knowledge action can take (wire: 1 pseudonymous, 2 anonymous). */
export type ZkMode = 'pseudonymous' | 'anonymous';

/**
 * The membership proof a zero-knowledge action carries (§6.2, issue 6; docs/privacy.md "Rollup"):
 * the anonymity-set root it proves against, its nullifier, what fixes its scope, and the Groth16
 * proof. The scope is not sent: the node derives it from the mode (identityModes.ts), so a proof
 * made for another scope cannot verify. The message (the proof's fourth public signal) is not
 * sent either: it is `zkActionMessage` of the transaction itself.
 */
export interface ZkAuth {
  /** Anonymity-set root (a BN254 field element, 32 bytes big-endian). */
  readonly root: Uint8Array;
  /** Poseidon(scope, secret), 32 bytes big-endian. */
  readonly nullifier: Uint8Array;
  /** Anonymous: the economy epoch the scope names (must be the executing slot's). Pseudonymous: 0. */
  readonly epoch: bigint;
  /** Anonymous: which of the epoch's per-kind quota slots this is (u8). Pseudonymous: 0. */
  readonly index: number;
  /** Pseudonymous: the pseudonym's action counter (replay protection, like a nonce). Anonymous: 0. */
  readonly pseudonymNonce: bigint;
  /** Groth16 proof, 256 bytes: a.x a.y b.x1 b.x0 b.y1 b.y0 c.x c.y (EIP-197 order, as Solidity takes it). */
  readonly proof: Uint8Array;
}

/** §6.3 a post by a pseudonym or an anonymous member: `createPost` with a membership proof. */
export interface ZkPostPayload {
  readonly kind: 'zkPost';
  readonly mode: ZkMode;
  readonly community: string;
  readonly content: ContentRef;
  readonly zk: ZkAuth;
}

/** §6.3 a reply by a pseudonym or an anonymous member: `reply` with a membership proof. */
export interface ZkReplyPayload {
  readonly kind: 'zkReply';
  readonly mode: ZkMode;
  readonly parent: Uint8Array;
  readonly content: ContentRef;
  readonly zk: ZkAuth;
}

/** Tagged union of everything a transaction can do. */
export type TxPayload =
  | TransferPayload
  | CreateCommunityPayload
  | CreatePostPayload
  | ReplyPayload
  | VotePayload
  | UpdateProfilePayload
  | FlagPayload
  | BoostBidPayload
  | CreateBountyPayload
  | AnswerBountyPayload
  | AcceptAnswerPayload
  | CommitPostPayload
  | RevealPostPayload
  | ZkPostPayload
  | ZkReplyPayload;

/** The payloads that act without an identity's account, under a membership proof (§6.3). */
export type ZkPayload = ZkPostPayload | ZkReplyPayload;

export function isZkPayload(p: TxPayload): p is ZkPayload {
  return p.kind === 'zkPost' || p.kind === 'zkReply';
}

export interface UnsignedTransaction {
  /** Envelope version (TX_VERSION). */
  readonly version: number;
  /** Shard (chain) id, u32: part of the signed message, so no cross-shard replay. */
  readonly shard: number;
  /** Raw 32-byte Ed25519 signer public key; pays the fee. */
  readonly sender: Uint8Array;
  /** u64; must equal the sender account's nonce when executed. */
  readonly nonce: bigint;
  /**
   * Most micromolt the sender pays in fees for this transaction (action fee + storage fee): the
   * fee follows the base fee at the transaction's position in its slot (§10.5), so this is the
   * sender's guard against a spike. Escrows and deposits are not fees and are not counted here.
   */
  readonly maxFee: bigint;
  readonly payload: TxPayload;
}

export interface SignedTransaction extends UnsignedTransaction {
  /** 64-byte Ed25519 signature over txSigningMessage (txCodec.ts). */
  readonly signature: Uint8Array;
}

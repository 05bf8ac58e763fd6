/**
 * §6 privacy layer in the rollup (issue 6 item 6; docs/privacy.md "Rollup"): how long an
 * anonymity-set root stays usable, how many zero-knowledge actions an identity gets per epoch, and
 * what a proof costs in block space.
 */
import { SLOT_DURATION_MS } from './consensusParams.ts';
import { SLOT_GAS_LIMIT } from './txParams.ts';

/**
 * Slots a replaced anonymity-set root stays valid: one hour, the AnonymitySet contract's
 * `ANONYMITY_SET_ROOT_EXPIRY` (MoltConstants.sol), so a proof the L2 accepts the rollup accepts too.
 * The current root never expires.
 */
export const ANON_ROOT_TTL_SLOTS = BigInt((60 * 60 * 1000) / SLOT_DURATION_MS);

/**
 * §6.3 "bounded number of anonymous actions per epoch": anonymous scopes are
 * (epoch, shard, action kind, index) with index < this, so an identity has at most this many
 * unlinkable anonymous posts (and as many replies) per epoch on a shard. Each is a fresh
 * nullifier; the treasury pays its fee (docs/privacy.md "Fees").
 */
export const ANON_ACTIONS_PER_EPOCH = 8;

/**
 * Actions a pseudonym may take per epoch with its fee paid by the treasury (the pseudonym has no
 * balance that could link it to an account). One pseudonym per identity (one nullifier in the
 * fixed pseudonym scope), so this bounds an identity's pseudonymous activity too.
 */
export const PSEUDONYM_ACTIONS_PER_EPOCH = 64;

/**
 * Ids of pseudonyms in the identity table: 2^63 + n for the n-th pseudonym the shard saw. L2
 * identity ids count up from 1 and never reach it, so a pseudonym's reputation lives in an
 * ordinary IdentityRecord without ever colliding with an identity's.
 */
export const PSEUDONYM_ID_BASE = 1n << 63n;

/**
 * Most membership proofs a block may carry: Groth16 verification is ~16 ms of one core
 * (docs/BENCHMARKS.md), so 32 of them fit in a 400 ms slot on two verifier threads with room
 * for everything else. Expressed as gas (each proof uses this share of the slot's gas), so the
 * §10.5 utilization and the block gas limit count it like any other resource.
 */
export const MAX_ZK_PROOFS_PER_BLOCK = 32n;
export const ZK_PROOF_GAS = SLOT_GAS_LIMIT / MAX_ZK_PROOFS_PER_BLOCK;

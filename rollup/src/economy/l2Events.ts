import { toHex } from '../utils/hex.ts';
import type { EconomyState } from './economyState.ts';
import { identityKey } from './economyState.ts';
import { credit } from './ledger.ts';
import { newIdentity } from './records.ts';
import { applyAnonRoot } from './zkActions.ts';

/**
 * What the L2 contracts tell the shard (DESIGN.md §4 step 5: identity, signer and stake changes
 * and deposits, applied by every validator at the same point — the beacon names the L2 block up
 * to which events apply; the beacon issue delivers them). Here: their effect on the economy
 * state. Events are facts already final on the L2, so they cannot fail; one that does not fit the
 * state (an unknown identity, a key bound elsewhere) is ignored and reported as `false`, never
 * thrown.
 */
export type L2Event =
  | { readonly kind: 'identityRegistered'; readonly id: bigint; readonly stake: bigint }
  | { readonly kind: 'stakeChanged'; readonly id: bigint; readonly stake: bigint }
  | { readonly kind: 'identityFrozen'; readonly id: bigint }
  | { readonly kind: 'identityUnfrozen'; readonly id: bigint }
  | { readonly kind: 'identityRetired'; readonly id: bigint }
  | { readonly kind: 'signerAuthorized'; readonly id: bigint; readonly key: Uint8Array }
  | { readonly kind: 'signerRevoked'; readonly id: bigint; readonly key: Uint8Array }
  /** $MOLT locked in the Bridge for a signer key's account on this shard. */
  | { readonly kind: 'deposit'; readonly to: Uint8Array; readonly amount: bigint }
  /** §10.6 the MOLT/USD price the beacon delivers (µUSD per MOLT). */
  | { readonly kind: 'oraclePrice'; readonly priceMicroUsdPerMolt: bigint }
  /** §6.2 the AnonymitySet's `RootUpdated`: the anonymity set's new root (32 bytes). */
  | { readonly kind: 'anonymityRoot'; readonly root: Uint8Array };

/** Applies one L2 event at `slot`; false when it did not apply (see above). */
export function applyL2Event(state: EconomyState, e: L2Event, slot: bigint): boolean {
  switch (e.kind) {
    case 'identityRegistered': {
      const key = identityKey(e.id);
      if (e.id <= 0n || e.stake < 0n || state.identities.has(key)) return false;
      state.identities.set(key, newIdentity(e.id, slot, e.stake));
      state.totalsMut().staked += e.stake;
      return true;
    }
    case 'stakeChanged': {
      const id = state.identities.getMut(identityKey(e.id));
      if (id === undefined || e.stake < 0n) return false;
      const t = state.totalsMut();
      t.staked = t.staked - id.stake + e.stake;
      id.stake = e.stake;
      return true;
    }
    case 'identityFrozen':
    case 'identityUnfrozen':
    case 'identityRetired': {
      const id = state.identities.getMut(identityKey(e.id));
      if (id === undefined || id.status === 'retired') return false;
      id.status =
        e.kind === 'identityFrozen'
          ? 'frozen'
          : e.kind === 'identityUnfrozen'
            ? 'active'
            : 'retired';
      return true;
    }
    case 'signerAuthorized': {
      if (e.key.length !== 32 || !state.identities.has(identityKey(e.id))) return false;
      const hex = toHex(e.key);
      const a = state.accounts.getMut(hex);
      if (a === undefined) {
        state.accounts.set(hex, {
          key: Uint8Array.from(e.key),
          nonce: 0n,
          balance: 0n,
          identity: e.id,
        });
        return true;
      }
      if (a.identity !== 0n) return false;
      a.identity = e.id;
      return true;
    }
    case 'signerRevoked': {
      if (e.key.length !== 32) return false;
      const a = state.accounts.getMut(toHex(e.key));
      if (a === undefined || a.identity !== e.id) return false;
      a.identity = 0n;
      return true;
    }
    case 'oraclePrice': {
      if (e.priceMicroUsdPerMolt <= 0n) return false;
      const t = state.totalsMut();
      t.oraclePrice = e.priceMicroUsdPerMolt;
      t.oracleSlot = slot;
      return true;
    }
    case 'anonymityRoot':
      return applyAnonRoot(state, e.root, slot);
    case 'deposit': {
      if (e.to.length !== 32 || e.amount <= 0n) return false;
      state.totalsMut().supply += e.amount;
      credit(state, e.to, e.amount);
      return true;
    }
  }
}

import type { Genesis } from '../genesis/genesis.ts';
import { fromHex } from '../utils/hex.ts';
import { EconomyState } from './economyState.ts';

/** The economy state at slot 0 of a (validated) genesis: accounts, identities, communities, treasury. */
export function genesisState(g: Genesis): EconomyState {
  const state = EconomyState.genesis(
    g.accounts.map((a) => ({
      key: fromHex(a.pubkey, 32) as Uint8Array,
      balance: BigInt(a.balance),
    })),
    (g.identities ?? []).map((i) => ({
      id: BigInt(i.id),
      stake: BigInt(i.stake),
      signers: i.signers.map((k) => fromHex(k, 32) as Uint8Array),
    })),
  );
  for (const name of g.communities ?? [])
    state.communities.set(name, { name, creator: 0n, createdSlot: 0n, posts: 0n });
  const treasury = BigInt(g.treasury ?? '0');
  if (treasury > 0n) {
    const t = state.totalsMut();
    t.treasuryPool += treasury;
    t.supply += treasury;
  }
  return state;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DoubleRatchet } from '../../../src/moltdm/crypto/doubleRatchet.ts';
import { isMoltdmCryptoError } from '../../../src/moltdm/crypto/errors.ts';
import { sessionPair, str, text } from './fixtures.ts';
import { PROVIDERS } from './providers.ts';

type Party = 'alice' | 'bob';
interface InFlight {
  readonly bytes: Uint8Array;
  readonly text: string;
}

const action = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    from: fc.constantFrom<Party>('alice', 'bob'),
    count: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('deliver' as const),
    to: fc.constantFrom<Party>('alice', 'bob'),
    pick: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('drop' as const),
    to: fc.constantFrom<Party>('alice', 'bob'),
    pick: fc.nat(),
  }),
);

/**
 * Model: each party's inbox is a set of messages in flight. Any interleaving of sends, deliveries
 * in any order, and drops must decrypt every delivered message to what was sent, exactly once.
 */
for (const p of PROVIDERS) {
  describe(`Double Ratchet delivery permutations (${p.name})`, () => {
    it('every delivered message decrypts once, whatever the order and whatever is dropped', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(action, { maxLength: 30 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 128 }),
          async (actions, finalPicks) => {
            const { alice, bob } = await sessionPair(p);
            const sessions: Record<Party, DoubleRatchet> = { alice, bob };
            const inbox: Record<Party, InFlight[]> = { alice: [], bob: [] };
            const delivered: { to: Party; m: InFlight }[] = [];
            let counter = 0;
            const deliver = async (to: Party, pick: number) => {
              const box = inbox[to];
              if (box.length === 0) return;
              const [m] = box.splice(pick % box.length, 1);
              if (m === undefined) return;
              assert.equal(str(await sessions[to].decrypt(m.bytes)), m.text);
              delivered.push({ to, m });
            };
            for (const a of actions) {
              if (a.kind === 'send') {
                const to: Party = a.from === 'alice' ? 'bob' : 'alice';
                for (let i = 0; i < a.count; i++) {
                  const t = `${a.from}#${counter++}`;
                  inbox[to].push({ bytes: await sessions[a.from].encrypt(text(t)), text: t });
                }
              } else if (a.kind === 'deliver') {
                await deliver(a.to, a.pick);
              } else if (inbox[a.to].length > 0) {
                inbox[a.to].splice(a.pick % inbox[a.to].length, 1);
              }
            }
            let i = 0;
            while (inbox.alice.length + inbox.bob.length > 0) {
              const pick = finalPicks[i++ % finalPicks.length] as number;
              await deliver(
                inbox.alice.length > 0 && (pick % 2 === 0 || inbox.bob.length === 0)
                  ? 'alice'
                  : 'bob',
                pick >> 1,
              );
            }
            for (const { to, m } of delivered) {
              await assert.rejects(sessions[to].decrypt(m.bytes), (e) =>
                isMoltdmCryptoError(e, 'crypto.duplicate_message'),
              );
            }
          },
        ),
        { numRuns: p.name === 'node' ? 60 : 15 },
      );
    });
  });
}

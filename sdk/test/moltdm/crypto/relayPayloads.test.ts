import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as relay from '@moltbook/relay/protocol';
import fc from 'fast-check';
import { toHex } from '../../../src/moltdm/crypto/bytes.ts';
import {
  identityKeyPayload,
  lastResortPreKeyPayload,
  signedPreKeyPayload,
} from '../../../src/moltdm/crypto/identity.ts';

/**
 * The relay verifies identity-key and pre-key signatures on upload with its own payload builders
 * (relay/src/protocol/keyPayloads.ts); the client signs with these. They must stay byte-identical,
 * or every registration is refused.
 */
describe('key signature payloads match the relay protocol', () => {
  it('identity key, signed pre-key and last-resort pre-key payloads are byte-identical', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat({ max: 0xffffffff }),
        (key, id) => {
          assert.equal(toHex(identityKeyPayload(key)), toHex(relay.identityKeyPayload(key)));
          assert.equal(
            toHex(signedPreKeyPayload(id, key)),
            toHex(relay.signedPreKeyPayload(id, key)),
          );
          assert.equal(
            toHex(lastResortPreKeyPayload(id, key)),
            toHex(relay.lastResortPreKeyPayload(id, key)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

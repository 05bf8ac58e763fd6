import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zkIdentity } from '@moltbook/circuits';
import { Card, p256KeyFromPrivateKey } from '../lib/cardKit.ts';

/** A development identity card and what the host gets from it. */
export interface DevCard {
  readonly identityId: number;
  readonly card: Card;
  /** The ZK secret the card derives and hands to the host (issue 6 item 1). */
  readonly zkSecret: bigint;
  readonly zkCommitment: bigint;
  /** Where the card key is kept (the local network's stand-in for the secure element). */
  readonly cardKeyPath: string;
  /** Where the host keeps the ZK secret it received (hex, mode 0600). */
  readonly zkSecretPath: string;
}

/**
 * The simulated identity cards of the local network's identities 1..n under `dataDir/cards/`:
 * a P-256 card key each (PKCS#8 PEM, mode 0600), made on first use and kept, so a restart
 * registers the same cards — and the same ZK commitments — on the fresh in-process L2. The ZK
 * secret each card derives (deriveZkSecret) is written beside it as the host's copy.
 */
export function loadOrCreateDevCards(dataDir: string, count: number): DevCard[] {
  const dir = join(dataDir, 'cards');
  mkdirSync(dir, { recursive: true });
  const cards: DevCard[] = [];
  for (let id = 1; id <= count; id++) {
    const cardKeyPath = join(dir, `identity-${id}-card.pem`);
    if (!existsSync(cardKeyPath)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      writeFileSync(cardKeyPath, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
        mode: 0o600,
      });
      chmodSync(cardKeyPath, 0o600);
    }
    const key = p256KeyFromPrivateKey(createPrivateKey(readFileSync(cardKeyPath, 'utf8')));
    const card = new Card(key);
    const zkSecret = card.zkSecret();
    const zkSecretPath = join(dir, `identity-${id}-zk-secret`);
    writeFileSync(zkSecretPath, `${zkSecret.toString(16).padStart(64, '0')}\n`, { mode: 0o600 });
    chmodSync(zkSecretPath, 0o600);
    cards.push({
      identityId: id,
      card,
      zkSecret,
      zkCommitment: zkIdentity(zkSecret).commitment,
      cardKeyPath,
      zkSecretPath,
    });
  }
  return cards;
}

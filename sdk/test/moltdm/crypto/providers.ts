import { nodeCrypto } from '../../../src/moltdm/crypto/nodeCrypto.ts';
import { portableCrypto } from '../../../src/moltdm/crypto/portableCrypto.ts';
import type { CryptoProvider } from '../../../src/moltdm/crypto/provider.ts';

/** Every test that exercises primitives runs once per provider. */
export const PROVIDERS: readonly CryptoProvider[] = [nodeCrypto, portableCrypto];

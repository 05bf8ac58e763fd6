import { type KeyObject, sign } from 'node:crypto';
import type { RequestSigner } from './protocol/signRequest.ts';

/** A RequestSigner over a node:crypto Ed25519 private key (Node clients, tests, the bench). */
export function nodeSigner(privateKey: KeyObject): RequestSigner {
  return (message) => new Uint8Array(sign(null, message, privateKey));
}

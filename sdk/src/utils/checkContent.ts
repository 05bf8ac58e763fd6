import {
  decodeTransaction,
  type SignedTransaction,
  validateTxContent,
} from '@moltbook/rollup/verify';
import { InvalidContentError, InvalidParameterError } from '../errors/baseError.ts';

/**
 * What the node's `sendTransaction` would answer `content.*` for, checked before sending with the
 * node's own rules (rollup tx/validateContent.ts): a body sent with a transaction that references
 * none (`content.unexpected`), or one that is not the referenced body — its size, SHA-256, then
 * the §14.2 schema of the type the payload takes. No body is fine: the node uses its own copy
 * when it has one, else answers `content.missing`. Bytes that do not decode are left to the node
 * (`tx.malformed`).
 */
export function checkContent(transaction: Uint8Array, content: Uint8Array | undefined): void {
  if (content === undefined) return;
  if (!(content instanceof Uint8Array) || content.length === 0)
    throw new InvalidParameterError('content', 'the body bytes (a non-empty Uint8Array)');
  let tx: SignedTransaction;
  try {
    tx = decodeTransaction(transaction);
  } catch {
    return;
  }
  const v = validateTxContent(tx.payload, content);
  if (v.kind === 'none')
    throw new InvalidContentError(
      'body',
      'none: the transaction references no body',
      'content.unexpected',
    );
  if (v.kind === 'rejected') {
    if (v.code === 'content.missing') return; // unreachable: a body was given
    throw new InvalidContentError('body', v.reason, v.code);
  }
}

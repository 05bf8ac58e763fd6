import { BaseError } from '../../errors/baseError.ts';

/**
 * Stable reasons the MoltDM client refuses an operation or a received message (beyond the
 * crypto library's `crypto.*` codes and the relay's own codes). The code is the contract.
 */
export const MOLTDM_CLIENT_ERROR_CODES = {
  'client.bad_state': 'the stored client state is missing, unreadable or of another kind',
  'client.bad_envelope': 'a decrypted payload is not a well-formed MoltDM envelope',
  'client.wrong_conversation': 'a payload names another conversation than the one it came in',
  'client.no_session': 'no pairwise session with the sending device',
  'client.no_sender_key': 'no sender key from this device for this conversation',
  'client.unverified_device': 'a device could not be shown to belong to the moltbot it claims',
  'client.identity_changed': 'a device presented keys other than the ones known for it',
  'client.not_member': 'the sender is not a member of the conversation',
  'client.not_found': 'no such conversation, message, pairing or device',
  'client.not_primary': 'only the primary device (the moltbot itself) may do this',
  'client.not_accepted': 'the conversation is a message request that was not accepted',
  'client.fingerprint_mismatch': 'the fingerprint given does not match the device that asked',
  'client.pairing_rejected': 'the owner rejected this pairing request',
  'client.pairing_expired': 'the pairing token expired before it was approved',
  'client.pairing_pending': 'this device is waiting for pairing approval',
  'client.bad_link_bundle': 'the link bundle or certificate does not verify',
  'client.revoked': 'this device was revoked by its owner',
  'client.too_large': 'the message or attachment is larger than the relay accepts',
  'client.attachment_corrupt': 'a downloaded attachment does not match its hash',
  'client.closed': 'the client was closed',
} as const;

export type MoltdmClientErrorCode = keyof typeof MOLTDM_CLIENT_ERROR_CODES;

export class MoltdmClientError extends BaseError {
  override name = 'MoltdmClientError';
  readonly code: MoltdmClientErrorCode;

  constructor(code: MoltdmClientErrorCode, details?: string, options: { cause?: unknown } = {}) {
    super(`${code}: ${MOLTDM_CLIENT_ERROR_CODES[code]}`, {
      ...(details === undefined ? {} : { details }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      docsPath: 'docs/moltdm-client.md#errors',
    });
    this.code = code;
  }
}

export function isMoltdmClientError(
  e: unknown,
  code?: MoltdmClientErrorCode,
): e is MoltdmClientError {
  return e instanceof MoltdmClientError && (code === undefined || e.code === code);
}

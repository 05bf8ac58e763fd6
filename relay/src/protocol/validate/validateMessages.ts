import {
  CLIENT_MESSAGE_ID_PATTERN,
  MESSAGE_TYPES,
  type MessageType,
  type RelayLimits,
} from '../limits.ts';
import type { AckRequest, MessageItemWire, SendMessageRequest } from '../wireTypes.ts';
import {
  fail,
  readArray,
  readBase64,
  readId,
  readInt,
  readObject,
  readString,
  type Validation,
  validated,
} from './fields.ts';

type MessageLimits = Pick<RelayLimits, 'maxCiphertextBytes' | 'maxItemsPerMessage'>;

function readType(v: unknown, field: string): MessageType {
  if (typeof v !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(v)) {
    fail(field, `must be one of ${MESSAGE_TYPES.join(', ')}`);
  }
  return v as MessageType;
}

/** Body of POST /messages (form only; recipients and expiry are checked against the store). */
export function validateSendMessage(
  v: unknown,
  limits: MessageLimits,
): Validation<SendMessageRequest> {
  return validated(() => {
    const o = readObject(v, '', ['conversationId', 'clientMessageId', 'expiresAt', 'items']);
    const conversationId = readId(o.conversationId, 'conversationId');
    const clientMessageId = readString(o.clientMessageId, 'clientMessageId', {
      max: 64,
      pattern: CLIENT_MESSAGE_ID_PATTERN,
    });
    const expiresAt =
      o.expiresAt === undefined
        ? undefined
        : readInt(o.expiresAt, 'expiresAt', 0, Number.MAX_SAFE_INTEGER);
    const items: MessageItemWire[] = readArray(o.items, 'items', 1, limits.maxItemsPerMessage).map(
      (x, i) => {
        const it = readObject(x, `items[${i}]`, ['toDeviceId', 'type', 'ciphertext']);
        return {
          toDeviceId: readId(it.toDeviceId, `items[${i}].toDeviceId`),
          type: readType(it.type, `items[${i}].type`),
          ciphertext: readBase64(it.ciphertext, `items[${i}].ciphertext`, {
            min: 1,
            max: limits.maxCiphertextBytes,
          }),
        };
      },
    );
    return {
      conversationId,
      clientMessageId,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      items,
    };
  });
}

export function validateAck(v: unknown): Validation<AckRequest> {
  return validated(() => {
    const o = readObject(v, '', ['upToSeq']);
    return { upToSeq: readInt(o.upToSeq, 'upToSeq', 0, Number.MAX_SAFE_INTEGER) };
  });
}

import {
  type AttachmentResponse,
  type ConversationResponse,
  type ConversationsResponse,
  type DevicesResponse,
  type ErrorBody,
  type IdentityResponse,
  isErrorCode,
  type ListMessagesResponse,
  type PairApproveRequest,
  type PairInitResponse,
  type PairPendingResponse,
  type PairRequestRequest,
  type PairRequestResponse,
  type PairStatusResponse,
  type PreKeysUploadRequest,
  type PreKeysUploadResponse,
  type RegisterRequest,
  type RegisterResponse,
  type RevokeDeviceResponse,
  type SendMessageRequest,
  type SendMessageResponse,
  signRequest,
} from '@moltbook/relay/protocol';
import { MoltdmRelayError } from './relayError.ts';

/** The subset of WHATWG fetch the client uses (global fetch in Node 22 and browsers). */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: Uint8Array;
    signal?: AbortSignal;
  },
) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** Who signs: the device id and its Ed25519 signer (the private key never reaches this module). */
export interface RelaySigner {
  readonly deviceId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export interface RelayApiOptions {
  /** Base URL of the relay, e.g. `http://127.0.0.1:8787` or `location.origin`. */
  readonly relayUrl: string;
  readonly fetch?: FetchLike;
  /** Unix milliseconds for `x-timestamp`; must be within ±5 min of the relay's clock. */
  readonly clock?: () => number;
}

const JSON_TYPE = 'application/json';

/**
 * Every relay route the client calls, as typed methods (docs/moltdm.md "API"). Authenticated
 * requests are signed exactly as `@moltbook/relay/protocol` defines (`signRequest` over the
 * canonical string with the very body bytes that are sent). Errors become MoltdmRelayError with
 * the relay's stable code.
 */
export class RelayApi {
  readonly relayUrl: string;
  readonly #fetch: FetchLike;
  readonly #clock: () => number;
  #signer: RelaySigner | null;

  constructor(opts: RelayApiOptions, signer: RelaySigner | null = null) {
    this.relayUrl = opts.relayUrl.replace(/\/+$/, '');
    // Called unbound: browsers refuse `fetch` invoked with another `this` ("Illegal invocation").
    this.#fetch = opts.fetch ?? ((url, init) => globalThis.fetch(url, init as RequestInit));
    this.#clock = opts.clock ?? Date.now;
    this.#signer = signer;
  }

  /** The same relay and transport, signing as another device. */
  withSigner(signer: RelaySigner): RelayApi {
    return new RelayApi(
      { relayUrl: this.relayUrl, fetch: this.#fetch, clock: this.#clock },
      signer,
    );
  }

  // ---------------------------------------------------------------- identity and keys

  register(body: RegisterRequest): Promise<RegisterResponse> {
    return this.#json('POST', '/identity/register', body);
  }

  /** Pops one one-time pre-key per device (or of `deviceId` only). */
  identity(moltbotId: string, deviceId?: string): Promise<IdentityResponse> {
    const q = deviceId === undefined ? '' : `?device=${deviceId}`;
    return this.#json('GET', `/identity/${moltbotId}${q}`);
  }

  uploadPreKeys(
    moltbotId: string,
    deviceId: string,
    body: PreKeysUploadRequest,
  ): Promise<PreKeysUploadResponse> {
    return this.#json('POST', `/identity/${moltbotId}/devices/${deviceId}/prekeys`, body);
  }

  devices(): Promise<DevicesResponse> {
    return this.#json('GET', '/devices');
  }

  revokeDevice(deviceId: string): Promise<RevokeDeviceResponse> {
    return this.#json('DELETE', `/devices/${deviceId}`);
  }

  // ---------------------------------------------------------------- pairing

  pairInit(expiresInSeconds?: number): Promise<PairInitResponse> {
    return this.#json(
      'POST',
      '/pair/init',
      expiresInSeconds === undefined ? {} : { expiresInSeconds },
    );
  }

  pairRequest(body: PairRequestRequest): Promise<PairRequestResponse> {
    return this.#json('POST', '/pair/request', body, { unsigned: true });
  }

  pairPending(): Promise<PairPendingResponse> {
    return this.#json('GET', '/pair/pending');
  }

  pairApprove(body: PairApproveRequest): Promise<{ status: 'approved'; deviceId: string }> {
    return this.#json('POST', '/pair/approve', body);
  }

  pairReject(token: string): Promise<{ status: 'rejected' }> {
    return this.#json('POST', '/pair/reject', { token });
  }

  pairStatus(token: string): Promise<PairStatusResponse> {
    return this.#json('GET', `/pair/status/${encodeURIComponent(token)}`, undefined, {
      unsigned: true,
    });
  }

  // ---------------------------------------------------------------- messages

  send(body: SendMessageRequest): Promise<SendMessageResponse> {
    return this.#json('POST', '/messages', body);
  }

  list(
    q: { after: number; wait?: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<ListMessagesResponse> {
    let path = `/messages?after=${q.after}`;
    if (q.wait !== undefined && q.wait > 0) path += `&wait=${q.wait}`;
    if (q.limit !== undefined) path += `&limit=${q.limit}`;
    return this.#json('GET', path, undefined, signal === undefined ? {} : { signal });
  }

  ack(upToSeq: number): Promise<{ deleted: number }> {
    return this.#json('POST', '/messages/ack', { upToSeq });
  }

  // ---------------------------------------------------------------- conversations

  createConversation(members: readonly string[]): Promise<ConversationResponse> {
    return this.#json('POST', '/conversations', { members });
  }

  conversations(): Promise<ConversationsResponse> {
    return this.#json('GET', '/conversations');
  }

  conversation(id: string): Promise<ConversationResponse> {
    return this.#json('GET', `/conversations/${id}`);
  }

  addMembers(id: string, moltbotIds: readonly string[]): Promise<ConversationResponse> {
    return this.#json('POST', `/conversations/${id}/members`, { moltbotIds });
  }

  removeMember(id: string, moltbotId: string): Promise<ConversationResponse> {
    return this.#json('DELETE', `/conversations/${id}/members/${moltbotId}`);
  }

  leave(id: string): Promise<{ status: 'left' }> {
    return this.#json('POST', `/conversations/${id}/leave`);
  }

  // ---------------------------------------------------------------- blocks, attachments

  block(moltbotId: string): Promise<{ moltbotId: string; blocked: true }> {
    return this.#json('POST', '/blocks', { moltbotId });
  }

  unblock(moltbotId: string): Promise<{ moltbotId: string; blocked: false }> {
    return this.#json('DELETE', `/blocks/${moltbotId}`);
  }

  blocks(): Promise<{ blocks: { moltbotId: string; createdAt: number }[] }> {
    return this.#json('GET', '/blocks');
  }

  async uploadAttachment(bytes: Uint8Array): Promise<AttachmentResponse> {
    const res = await this.#request('POST', '/attachments', bytes, 'application/octet-stream');
    return parseJson(res.bytes, 'POST', '/attachments') as AttachmentResponse;
  }

  async downloadAttachment(id: string): Promise<Uint8Array> {
    return (await this.#request('GET', `/attachments/${id}`)).bytes;
  }

  // ---------------------------------------------------------------- plumbing

  async #json<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: { unsigned?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
    const res = await this.#request(method, path, bytes, JSON_TYPE, opts);
    return parseJson(res.bytes, method, path) as T;
  }

  async #request(
    method: string,
    path: string,
    body?: Uint8Array,
    contentType = JSON_TYPE,
    opts: { unsigned?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ status: number; bytes: Uint8Array }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = contentType;
    if (opts.unsigned !== true) {
      const signer = this.#signer;
      if (signer === null) throw new Error('RelayApi: this route needs a signing device');
      Object.assign(
        headers,
        await signRequest({
          id: signer.deviceId,
          sign: (m) => signer.sign(m),
          method,
          pathWithQuery: path,
          ...(body === undefined ? {} : { body }),
          nowMs: this.#clock(),
        }),
      );
    }
    let res: Awaited<ReturnType<FetchLike>>;
    let bytes: Uint8Array;
    try {
      res = await this.#fetch(this.relayUrl + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (cause) {
      if (opts.signal?.aborted === true) throw cause;
      throw new MoltdmRelayError(method, path, 0, 'network', String(cause), { cause });
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, bytes };
    let err: Partial<ErrorBody['error']> = {};
    try {
      err = (parseJson(bytes, method, path) as Partial<ErrorBody>).error ?? {};
    } catch {
      // not JSON: keep the status
    }
    const code = isErrorCode(err.code) ? err.code : 'bad_response';
    throw new MoltdmRelayError(method, path, res.status, code, err.message ?? '', err);
  }
}

function parseJson(bytes: Uint8Array, method: string, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new MoltdmRelayError(method, path, 200, 'bad_response', 'answer is not JSON', { cause });
  }
}

import { RollupError } from '../utils/rollupError.ts';

/** Stable dotted codes of every error a block-sync request rejects with: branch on these. */
export type SyncErrorCode =
  /** No complete response within the request's deadline (dial, request and response together). */
  | 'sync.timeout'
  /** The stream was reset, or ended inside an item's length prefix or body. */
  | 'sync.bad_response'
  /** The peer sent more items than the `count` we asked for. */
  | 'sync.too_many'
  /** An item's length prefix exceeds MAX_SYNC_ITEM_BYTES; we stop before buffering it. */
  | 'sync.item_too_large'
  /** The peer could not be dialed or did not speak the protocol. */
  | 'sync.dial_failed';

/** The one error type of block sync (req/resp); `code` is stable, `message` is for humans. */
export class SyncError extends RollupError<SyncErrorCode> {
  override readonly name = 'SyncError';
}

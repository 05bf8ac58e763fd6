import { TRANSFER_GAS } from '../params/txParams.ts';
import type { TxPayload } from './transaction.ts';

/** Gas a payload uses when executed; a transaction whose gas limit is below it is rejected. */
export function intrinsicGas(payload: TxPayload): bigint {
  switch (payload.kind) {
    case 'transfer':
      return TRANSFER_GAS;
  }
}

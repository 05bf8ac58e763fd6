import { ACTION_GAS } from '../params/economyParams.ts';
import { ZK_PROOF_GAS } from '../params/privacyParams.ts';
import type { TxPayload } from './transaction.ts';

/**
 * Gas a payload uses (economyParams ACTION_GAS): the block space §10.5 utilization and the §7.6
 * per-sender cap count. Constant per action kind, so it is known before execution; a membership
 * proof adds ZK_PROOF_GAS (privacyParams.ts) for its verification.
 */
export function intrinsicGas(payload: TxPayload): bigint {
  switch (payload.kind) {
    case 'transfer':
      return ACTION_GAS.transfer;
    case 'vote':
      return ACTION_GAS.vote;
    case 'flag':
      return ACTION_GAS.flag;
    case 'updateProfile':
      return ACTION_GAS.profile;
    case 'reply':
      return ACTION_GAS.reply;
    case 'createPost':
      return ACTION_GAS.post;
    case 'createCommunity':
      return ACTION_GAS.community;
    case 'boostBid':
      return ACTION_GAS.boostBid;
    case 'createBounty':
      return ACTION_GAS.bountyCreate;
    case 'answerBounty':
      return ACTION_GAS.bountyAnswer;
    case 'acceptAnswer':
      return ACTION_GAS.bountyAccept;
    case 'commitPost':
      return ACTION_GAS.commit;
    case 'revealPost':
      return ACTION_GAS.reveal;
    case 'zkPost':
      return ACTION_GAS.post + ZK_PROOF_GAS;
    case 'zkReply':
      return ACTION_GAS.reply + ZK_PROOF_GAS;
  }
}

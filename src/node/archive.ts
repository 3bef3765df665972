/**
 * Archive mode (oasis-core `mode: archive`): the node serves the history a stopped chain left in its data
 * directory, read-only. It joins no network, runs no consensus, prunes and checkpoints nothing; every
 * query at every kept height is answered as on a live node, and whatever would change the chain or needs a
 * live one (transaction submission, gas estimation, pending transactions) is refused with consensus/4
 * (ErrUnsupported), as oasis-core's archive backend does. The ParaTimes its configuration lists are hosted
 * the same way: their history and queries at every kept round are served, runtime transactions refused.
 */
import type { ConsensusBackend } from '../api/services/consensus.ts';
import { ConsensusErrors } from '../consensus/api/transaction.ts';
import type { RuntimeClientBackend } from '../runtime/node/client/api.ts';

/** The error every refused method returns. */
export function archiveRefusal(what: string): Error {
  return ConsensusErrors.unsupported(`${what}: not supported by an archive node (it serves history only)`);
}

/** GetStatus `features` of an archive node: services | archive (oasis-core `FeatureServices | FeatureArchiveNode`). */
export const ARCHIVE_FEATURES = 1 | 4;

/** The consensus backend of an archive node: `backend` with the methods that need a live chain refused. */
export function archiveConsensusBackend(backend: ConsensusBackend): ConsensusBackend {
  return {
    ...backend,
    features: ARCHIVE_FEATURES,
    submitTxNoWait: async () => {
      throw archiveRefusal('SubmitTxNoWait');
    },
    submitTx: async () => {
      throw archiveRefusal('SubmitTx');
    },
    estimateGas: () => {
      throw archiveRefusal('EstimateGas');
    },
    unconfirmedTransactions: () => {
      throw archiveRefusal('GetUnconfirmedTransactions');
    },
  };
}

/**
 * The runtime client of an archive node: `backend`'s reads (blocks, transactions, events, queries at any kept
 * round) with runtime transaction submission and checks refused (SubmitTx, SubmitTxMeta, SubmitTxNoWait,
 * CheckTx, and the JSON-RPC `eth_sendRawTransaction` built on them).
 */
export function archiveRuntimeClientBackend(backend: RuntimeClientBackend): RuntimeClientBackend {
  return {
    hosts: (id) => backend.hosts(id),
    genesisBlock: (id) => backend.genesisBlock(id),
    block: (id, round) => backend.block(id, round),
    lastRetainedBlock: (id) => backend.lastRetainedBlock(id),
    transactions: (id, round) => backend.transactions(id, round),
    unconfirmedTransactions: (id) => backend.unconfirmedTransactions(id),
    pendingNonce: (id, sender, stateNonce) => backend.pendingNonce(id, sender, stateNonce),
    query: (id, round, method, args) => backend.query(id, round, method, args),
    watchBlocks: (id, onBlock) => backend.watchBlocks(id, onBlock),
    submitTx: async () => {
      throw archiveRefusal('RuntimeClient.SubmitTx');
    },
    submitTxNoWait: async () => {
      throw archiveRefusal('RuntimeClient.SubmitTxNoWait');
    },
    checkTx: async () => {
      throw archiveRefusal('RuntimeClient.CheckTx');
    },
  };
}

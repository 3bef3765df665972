/** Errors of the consensus-parameters service, which has no transactions to fail. */

/** Error/event module of the consensus-parameters service. */
export const CONSENSUS_MODULE = 'consensus';

/** The errors it raises (plain: oasis-core has no coded consensus-parameters errors). */
export const ConsensusErrors = Object.freeze({
  /** A transaction was dispatched to a service that has none. */
  noTransactions: () => new Error('consensus: no transactions'),
});

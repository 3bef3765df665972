/**
 * The node controller's status (`oasis-core.NodeController/GetStatus`): the parts whose encoding is not
 * obvious from the value, declared once for the node that answers and the CLI that prints.
 */

/** oasis-core's `consensus.StatusState`: a uint8 on the wire, a word in oasis-node's JSON. */
export const ConsensusStatusState = Object.freeze({ ready: 0, syncing: 1 });

/** The word oasis-node prints for a status state; unknown values say so rather than guess. */
export function consensusStatusName(state: unknown): string {
  if (state === ConsensusStatusState.ready || state === 0n) return 'ready';
  if (state === ConsensusStatusState.syncing || state === 1n) return 'syncing';
  return `[invalid status state ${String(state)}]`;
}

/** Turning verified evidence into what the application slashes on. */
import type { Misbehavior } from '../api/application.ts';
import type { DuplicateVoteEvidence } from '../api/evidence.ts';

/**
 * The `Misbehavior` that committed evidence proves, for `finalizeBlock`. `time` is the block time (unix
 * seconds) of the evidence height and `totalPower` the validator set's total power there.
 */
export function toMisbehavior(ev: DuplicateVoteEvidence, time: number, totalPower: bigint): Misbehavior {
  return {
    kind: 'duplicate-vote',
    publicKey: new Uint8Array(ev.voteA.validator),
    height: ev.voteA.height,
    time,
    totalVotingPower: totalPower,
  };
}

/**
 * DEBUG ONLY (`debug.double_sign`): a transport that, for every vote this validator sends, also sends a
 * conflicting vote for the same height, round and type, signed directly with the consensus key (bypassing
 * the double-sign guard). It exists so tests can show that equivocation is detected, proven by evidence,
 * and slashed. Never enable it on a real network.
 */
import { signVote } from '../consensus/api/vote.ts';
import type { ConsensusTransport } from '../consensus/bft/host.ts';
import type { ConsensusMessage } from '../consensus/bft/messages.ts';
import type { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { sha512_256 } from '../crypto/hash.ts';

/** Wraps `inner` so each own vote is followed by a conflicting one. */
export function equivocatingTransport(
  inner: ConsensusTransport,
  consensusKey: Ed25519KeyPair,
  chainContext: string,
): ConsensusTransport {
  const conflicting = (message: ConsensusMessage): ConsensusMessage | undefined => {
    if (
      message.kind !== 'vote' ||
      !Buffer.from(message.vote.validator).equals(Buffer.from(consensusKey.publicKey))
    ) {
      return undefined;
    }
    const v = message.vote;
    const other = v.blockHash === null ? sha512_256(Uint8Array.of(v.height & 0xff, v.round & 0xff)) : null;
    return {
      kind: 'vote',
      vote: signVote(
        consensusKey,
        { type: v.type, height: v.height, round: v.round, blockHash: other, timestamp: v.timestamp },
        chainContext,
      ),
    };
  };
  return {
    broadcast(message) {
      inner.broadcast(message);
      const twin = conflicting(message);
      if (twin) inner.broadcast(twin);
    },
    send(peer, message) {
      inner.send(peer, message);
      const twin = conflicting(message);
      if (twin) inner.send(peer, twin);
    },
  };
}

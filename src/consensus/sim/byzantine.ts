/**
 * Byzantine behaviour for simulated validators (kept below a third of the power): they run the honest
 * driver, but every message they sign is split: half of the peers get the honest message, the other half a
 * conflicting one signed with the raw key (past the double-sign guard). Conflicting proposals carry a
 * different block (sometimes an invalid one); conflicting votes go to nil or a random hash. They also spray
 * votes for random values into the next round, which exercises the f+1 skip and the future-round buffer,
 * and replay their own old messages (ByzzFuzz-style stale rounds and heights).
 */
import { utf8 } from '../../codec/bytes.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { type Block, blockHash, txsHash } from '../api/block.ts';
import { MessageType, signProposal, signVote, type Vote } from '../api/vote.ts';
import type { ConsensusMessage } from '../bft/messages.ts';
import type { Rng } from './rng.ts';

/** Sends one message to one peer. */
export type SendTo = (peer: string, message: ConsensusMessage) => void;

/** Old own messages a byzantine node may replay (bounded). */
export const REPLAY_HISTORY = 32;

/** Splits an own signed message into conflicting versions for two halves of the peers. */
export function byzantineBroadcast(
  message: ConsensusMessage,
  key: Ed25519KeyPair,
  chainId: string,
  peers: readonly string[],
  rng: Rng,
  sendTo: SendTo,
  history: ConsensusMessage[],
): void {
  if (history.length > 0 && rng.chance(0.2)) sendTo(rng.pick(peers), rng.pick(history));
  history.push(message);
  if (history.length > REPLAY_HISTORY) history.shift();
  const conflicting = conflictingVersion(message, key, chainId, rng);
  const shuffled = rng.shuffle(peers);
  const half = Math.ceil(shuffled.length / 2);
  shuffled.forEach((peer, i) => {
    sendTo(peer, conflicting !== null && i >= half ? conflicting : message);
  });
  if (message.kind === 'vote' && rng.chance(0.3)) {
    const spray = signVote(
      key,
      {
        type: rng.chance(0.5) ? MessageType.prevote : MessageType.precommit,
        height: message.vote.height,
        round: message.vote.round + 1,
        blockHash: rng.bytes(32),
        timestamp: message.vote.timestamp,
      },
      chainId,
    );
    for (const peer of peers) sendTo(peer, { kind: 'vote', vote: spray });
  }
}

function conflictingVersion(
  message: ConsensusMessage,
  key: Ed25519KeyPair,
  chainId: string,
  rng: Rng,
): ConsensusMessage | null {
  if (message.kind === 'vote' && rng.chance(0.7))
    return { kind: 'vote', vote: conflictingVote(message.vote, key, chainId, rng) };
  if (message.kind === 'proposal' && rng.chance(0.7)) {
    const block = alternativeBlock(message.block, rng);
    const p = message.proposal;
    const proposal = signProposal(
      key,
      {
        height: p.height,
        round: p.round,
        polRound: p.polRound,
        blockHash: blockHash(block.header),
        timestamp: p.timestamp,
      },
      chainId,
    );
    return { kind: 'proposal', proposal, block };
  }
  return null;
}

function conflictingVote(v: Vote, key: Ed25519KeyPair, chainId: string, rng: Rng): Vote {
  const blockHashValue = v.blockHash === null || rng.chance(0.5) ? rng.bytes(32) : null;
  return signVote(
    key,
    { type: v.type, height: v.height, round: v.round, blockHash: blockHashValue, timestamp: v.timestamp },
    chainId,
  );
}

/** The same block with other transactions: a valid extra one, or (sometimes) a malformed one. */
function alternativeBlock(block: Block, rng: Rng): Block {
  const extra = rng.chance(0.3) ? utf8('!not a kv tx') : utf8(`byz${rng.int(0, 1_000_000)}=evil`);
  const txs = [...block.txs, extra];
  return { ...block, txs, header: { ...block.header, dataHash: txsHash(txs) } };
}

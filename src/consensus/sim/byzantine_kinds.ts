/**
 * The kinds of byzantine validator the simulator runs (each below a third of the power, so none may break
 * safety or, once the network heals, liveness): `equivocate` splits its messages between conflicting
 * versions (byzantine.ts); `silent` runs but never sends; `round-liar` re-signs its votes and proposals for
 * other rounds and claims far-off heights in its status; `flood` repeats every message and sprays signed
 * votes for random values over many future rounds and heights (the buffers for future messages must stay
 * bounded and the f+1 round skip must not fire on it alone).
 */
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { MessageType, signProposal, signVote } from '../api/vote.ts';
import type { ConsensusMessage } from '../bft/messages.ts';
import { byzantineBroadcast, type SendTo } from './byzantine.ts';
import type { Rng } from './rng.ts';

/** Every byzantine behaviour, in the order seeds draw them. */
export const BYZANTINE_KINDS = Object.freeze(['equivocate', 'silent', 'round-liar', 'flood'] as const);

/** One byzantine behaviour. */
export type ByzantineKind = (typeof BYZANTINE_KINDS)[number];

/** What a byzantine node needs to misbehave: its key, the chain, its peers, the run's randomness. */
export interface ByzantineContext {
  key: Ed25519KeyPair;
  chainId: string;
  peers: readonly string[];
  rng: Rng;
  sendTo: SendTo;
  /** Own old messages (equivocate replays them). */
  history: ConsensusMessage[];
}

/** Copies of each message a flooder sends every peer, and signed random votes per message. */
const FLOOD_COPIES = 4;
const FLOOD_SPRAY = 3;

/** Sends `message` (own when `own`) as a validator of `kind` would. */
export function byzantineSend(
  kind: ByzantineKind,
  message: ConsensusMessage,
  own: boolean,
  ctx: ByzantineContext,
): void {
  switch (kind) {
    case 'silent':
      return;
    case 'equivocate':
      if (own) byzantineBroadcast(message, ctx.key, ctx.chainId, ctx.peers, ctx.rng, ctx.sendTo, ctx.history);
      else for (const p of ctx.peers) ctx.sendTo(p, message);
      return;
    case 'round-liar': {
      const lie = lyingVersion(message, ctx);
      for (const p of ctx.peers) ctx.sendTo(p, ctx.rng.chance(0.5) ? lie : message);
      return;
    }
    case 'flood':
      flood(message, ctx);
  }
}

/** The message with its round (or, for a status, its height) changed; re-signed when it is a vote or proposal. */
function lyingVersion(message: ConsensusMessage, ctx: ByzantineContext): ConsensusMessage {
  const { rng, key, chainId } = ctx;
  const round = (r: number) => Math.max(0, rng.chance(0.7) ? r + rng.int(1, 6) : r - rng.int(1, 3));
  switch (message.kind) {
    case 'vote': {
      const v = message.vote;
      const lied = {
        type: v.type,
        height: v.height,
        round: round(v.round),
        blockHash: v.blockHash,
        timestamp: v.timestamp,
      };
      return { kind: 'vote', vote: signVote(key, lied, chainId) };
    }
    case 'proposal': {
      const p = message.proposal;
      const r = round(p.round);
      const lied = {
        height: p.height,
        round: r,
        polRound: Math.min(p.polRound, r - 1),
        blockHash: p.blockHash,
        timestamp: p.timestamp,
      };
      return { kind: 'proposal', proposal: signProposal(key, lied, chainId), block: message.block };
    }
    case 'status':
      return { kind: 'status', height: rng.chance(0.5) ? message.height + rng.int(2, 1_000_000) : 0 };
    default:
      return message;
  }
}

function flood(message: ConsensusMessage, ctx: ByzantineContext): void {
  const { rng, key, chainId, peers, sendTo } = ctx;
  for (const p of peers) for (let i = 0; i < FLOOD_COPIES; i++) sendTo(p, message);
  if (message.kind !== 'vote') return;
  const v = message.vote;
  for (let i = 0; i < FLOOD_SPRAY; i++) {
    const spray = signVote(
      key,
      {
        type: rng.chance(0.5) ? MessageType.prevote : MessageType.precommit,
        height: v.height + rng.int(0, 3),
        round: v.round + rng.int(1, 50),
        blockHash: rng.chance(0.2) ? null : rng.bytes(32),
        timestamp: v.timestamp,
      },
      chainId,
    );
    for (const p of peers) sendTo(p, { kind: 'vote', vote: spray });
  }
}

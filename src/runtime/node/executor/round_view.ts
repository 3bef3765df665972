/**
 * Where a runtime stands at one committed consensus state, as a node serving it needs to know: the latest
 * runtime block, the round being decided and what it builds on, the epoch's executor committee and this
 * node's place in it (scheduler, worker, backup or none), and whether the round is in discrepancy.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import { getEpoch } from '../../../services/beacon/api/queries.ts';
import { type Block, headerHash } from '../../../services/roothash/api/block.ts';
import {
  type CommitteeView,
  committeeView,
  schedulerRank,
} from '../../../services/roothash/api/committee.ts';
import { NO_RANK } from '../../../services/roothash/api/runtime_state.ts';
import type { StateReader } from '../../../state/api.ts';
import type { BlockContext, IncomingMessage, MessageResult } from '../../protocol/types.ts';
import type { RuntimeChainReads } from '../chain_reads.ts';

/** This node's part in the round. */
export type RoundRole = 'scheduler' | 'worker' | 'backup' | 'none';

/** A runtime's round as seen at one consensus state. */
export interface RoundView {
  state: StateReader;
  height: number;
  epoch: bigint;
  /** The latest runtime block (what the round builds on). */
  lastBlock: Block;
  /** Consensus height at which `lastBlock` was finalized (the round's anchor). */
  lastBlockHeight: bigint;
  /** The round being decided, and the hash of the block it builds on. */
  round: bigint;
  previousHash: Uint8Array;
  /** Undefined while the runtime has no committee (or is suspended): no round is open. */
  committee: CommitteeView | undefined;
  role: RoundRole;
  /** This node's scheduler rank in the round (undefined unless a worker). */
  rank: bigint | undefined;
  /** Best scheduler rank the round's commitments name so far (2^64−1: none yet). */
  highestRank: bigint;
  discrepancy: boolean;
  /** How long a worker of rank k waits for better-ranked proposals before proposing itself (k × this). */
  proposeTimeoutMs: number;
  /** How long the scheduler gathers transactions arriving mid-block before proposing them. */
  batchFlushTimeoutMs: number;
  /**
   * The incoming consensus messages the round processes: the head of the runtime's queue as of the
   * round's anchor (the height that finalized `lastBlock`), so every member passes the runtime the same.
   */
  inMessages: IncomingMessage[];
  /** Outcomes of the messages of the last normal round, as of the same anchor. */
  messageResults: MessageResult[];
  maxMessages: number;
  maxBatchSize: number;
  maxBatchBytes: number;
}

const has = (list: readonly Uint8Array[], id: Uint8Array) => list.some((x) => bytesEqual(x, id));

/** The role that follows from a scheduler rank (defined only for workers) and backup membership. */
function roleOf(view: CommitteeView, rank: bigint | undefined, me: Uint8Array): RoundRole {
  if (rank === 0n) return 'scheduler';
  if (rank !== undefined) return 'worker';
  if (has(view.backups, me)) return 'backup';
  return 'none';
}

/** The runtime host's block context of the open round: the next round on top of the latest block. */
export function blockContextOf(view: RoundView): BlockContext {
  return {
    round: view.round,
    state_root: view.lastBlock.header.state_root,
    consensus_height: view.lastBlockHeight,
    epoch: view.epoch,
  };
}

/**
 * The runtime's round at `state` for node `me`, read through `reads`; undefined when the roothash does not
 * know the runtime.
 */
export function roundView(
  state: StateReader,
  height: number,
  runtimeId: Uint8Array,
  me: Uint8Array,
  stateAt: (height: number) => StateReader,
  reads: RuntimeChainReads,
): RoundView | undefined {
  const rs = reads.runtimeState(state, runtimeId);
  if (rs === undefined) return undefined;
  const epoch = getEpoch(state);
  const committee = reads.executorCommittee(state, runtimeId);
  const open = !rs.suspended && rs.pool !== undefined && committee?.valid_for === epoch;
  const view = open && committee !== undefined ? committeeView(committee) : undefined;
  const round = rs.last_block.header.round + 1n;
  const rank = view === undefined ? undefined : schedulerRank(view, round, me);
  const ts = rs.runtime.txn_scheduler;
  return {
    state,
    height,
    epoch,
    lastBlock: rs.last_block,
    lastBlockHeight: rs.last_block_height,
    round,
    previousHash: headerHash(rs.last_block.header),
    committee: view,
    role: view === undefined ? 'none' : roleOf(view, rank, me),
    rank,
    highestRank: rs.pool?.highest_rank ?? NO_RANK,
    discrepancy: rs.pool?.discrepancy ?? false,
    proposeTimeoutMs: Number(ts.propose_batch_timeout / 1_000_000n),
    batchFlushTimeoutMs: Number(ts.batch_flush_timeout / 1_000_000n),
    inMessages:
      view === undefined || ts.max_in_messages === 0
        ? []
        : reads.incomingMessages(stateAt(Number(rs.last_block_height)), runtimeId, ts.max_in_messages),
    messageResults:
      view === undefined ? [] : reads.lastRoundMessages(stateAt(Number(rs.last_block_height)), runtimeId),
    maxMessages: rs.runtime.executor.max_messages,
    maxBatchSize: Number(ts.max_batch_size),
    maxBatchBytes: Number(ts.max_batch_size_bytes),
  };
}

/**
 * Building the block a proposer proposes, and the structural half of the validity predicate: a block is
 * acceptable only if its header commits to exactly what the chain state dictates (height, previous block,
 * validator sets, app hash, BFT time) and its lastCommit proves the previous block. The application's
 * `processProposal` is the other half. Validity depends on the block alone, never on the round, so a
 * re-proposed value is judged the same way every time (the paper's valid(v)).
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { EMPTY_HASH } from '../../crypto/hash.ts';
import { CodedError } from '../../errors.ts';
import type { VoteInfo } from '../api/application.ts';
import { type Block, bodyHashMismatch, itemsHash, lastCommitHashOf, txsHash } from '../api/block.ts';
import { type Commit, CommitFlag, verifyCommit } from '../api/commit.ts';
import { weightedMedianTime } from './bft_time.ts';
import type { ChainState } from './chain_state.ts';
import type { ValidatorSet } from './validator_set.ts';

/** Height of the block the state expects next. */
export function nextHeight(state: ChainState): number {
  return state.lastBlockHeight + 1;
}

/** Time the next block must carry, given the lastCommit it includes. */
export function expectedBlockTime(state: ChainState, lastCommit: Commit | null): number {
  if (lastCommit === null || state.lastValidators === null) return state.genesisTime;
  return weightedMedianTime(lastCommit, state.lastValidators);
}

/** Assembles the next block for `proposer` from chosen transactions. */
export function buildProposalBlock(
  state: ChainState,
  lastCommit: Commit | null,
  txs: Uint8Array[],
  proposer: Uint8Array,
  evidence: Uint8Array[] = [],
): Block {
  return {
    header: {
      height: nextHeight(state),
      time: expectedBlockTime(state, lastCommit),
      chainId: state.chainId,
      lastBlockHash: state.lastBlockHash,
      lastCommitHash: lastCommitHashOf(lastCommit),
      dataHash: txsHash(txs),
      evidenceHash: itemsHash(evidence),
      validatorsHash: state.validators.hash(),
      nextValidatorsHash: state.nextValidators.hash(),
      appHash: state.appHash,
      proposer,
    },
    txs,
    lastCommit,
    evidence,
  };
}

/**
 * Why `block` cannot be the next block of `state`, or null when its structure is sound. Evidence items are
 * judged by `evidenceProblem`; without one, a block carrying evidence is refused.
 */
export function blockStructureProblem(
  block: Block,
  state: ChainState,
  evidenceProblem?: (evidence: Uint8Array[]) => string | null,
): string | null {
  const h = block.header;
  if (h.height !== nextHeight(state)) return `height ${h.height}, expected ${nextHeight(state)}`;
  if (h.chainId !== state.chainId) return 'wrong chain id';
  if (!bytesEqual(h.lastBlockHash, state.lastBlockHash)) return 'wrong last block hash';
  if (!bytesEqual(h.validatorsHash, state.validators.hash())) return 'wrong validators hash';
  if (!bytesEqual(h.nextValidatorsHash, state.nextValidators.hash())) return 'wrong next validators hash';
  if (!bytesEqual(h.appHash, state.appHash)) return 'wrong app hash';
  if (state.validators.indexOf(toHex(h.proposer)) < 0) return 'proposer not a validator';
  const body = bodyHashMismatch(block);
  if (body !== null) return `body does not match ${body}`;
  if (block.evidence.length > 0) {
    const problem = evidenceProblem === undefined ? 'no evidence handler' : evidenceProblem(block.evidence);
    if (problem !== null) return `evidence: ${problem}`;
  }
  const initial = state.lastValidators === null;
  if (initial) {
    if (block.lastCommit !== null || !bytesEqual(h.lastCommitHash, EMPTY_HASH))
      return 'initial block with a commit';
  } else {
    if (block.lastCommit === null) return 'missing last commit';
    try {
      verifyCommit(
        block.lastCommit,
        state.lastValidators!.validators,
        state.chainId,
        state.lastBlockHeight,
        state.lastBlockHash,
      );
    } catch (err) {
      return err instanceof CodedError ? err.message : String(err);
    }
  }
  if (h.time !== expectedBlockTime(state, block.lastCommit))
    return 'time is not the weighted median of the last commit';
  return null;
}

/** Participation in a commit as the application sees it (empty for no commit). */
export function voteInfos(commit: Commit | null, validators: ValidatorSet | null): VoteInfo[] {
  if (commit === null || validators === null) return [];
  return validators.validators.map((v, i) => ({
    publicKey: v.publicKey,
    power: v.power,
    signed: commit.signatures[i]?.flag === CommitFlag.commit,
  }));
}

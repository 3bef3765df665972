/**
 * A chain built in process by the engine's own rules — chain state transitions with the H+2 validator
 * update delay, proposal blocks checked by the engine's validity predicate, commits signed by every
 * validator of the deciding set — kept in the engine's block store, so light blocks come out exactly as a
 * node serves them.
 */
import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import type { ValidatorUpdate } from '../../../src/consensus/api/application.ts';
import { blockHash } from '../../../src/consensus/api/block.ts';
import { buildCommit, type Commit, type CommitValidator } from '../../../src/consensus/api/commit.ts';
import { MessageType, signVote, type Vote } from '../../../src/consensus/api/vote.ts';
import { MemoryBlockStore } from '../../../src/consensus/bft/block_store.ts';
import {
  advanceChainState,
  type ChainState,
  genesisChainState,
} from '../../../src/consensus/bft/chain_state.ts';
import { blockStructureProblem, buildProposalBlock } from '../../../src/consensus/bft/proposal_block.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { sha512_256 } from '../../../src/crypto/hash.ts';

/** Genesis time of fixture chains (unix ms); blocks follow half a second apart (the commit timestamps). */
export const FIXTURE_GENESIS_TIME = 1_700_000_000_000;

/** A deterministic key of pool member `i` (tag separates chains that must not share keys). */
export function fixtureKey(i: number, tag = 'light'): Ed25519KeyPair {
  return Ed25519KeyPair.fromSeed(sha512_256(utf8(`oasis-ts ${tag} fixture validator ${i}`)));
}

/** How to build a chain. */
export interface ChainPlan {
  chainId: string;
  heights: number;
  /** Keys by hex public key, for every validator that may ever sign. */
  keys: Map<string, Ed25519KeyPair>;
  genesis: ValidatorUpdate[];
  /** Validator updates the application returns at `height` (applied at height + 2). */
  updatesAt?: (height: number) => ValidatorUpdate[];
  /** Signs the commit of `height`; default every validator of the deciding set. */
  signers?: (height: number, state: ChainState) => Ed25519KeyPair[];
  /** The transaction of block `height` (default `tx <height>`): a fork differs here. */
  txAt?: (height: number) => string;
}

function appHashOf(chainId: string, height: number): Uint8Array {
  return sha512_256(utf8(`${chainId} state ${height}`));
}

/** Precommits of `signers` for a block, and the commit they make for the deciding set. */
export function signCommit(
  chainId: string,
  validators: readonly CommitValidator[],
  height: number,
  round: number,
  hash: Uint8Array,
  signers: Ed25519KeyPair[],
  time: number,
): Commit {
  const votes = new Map<string, Vote>();
  for (const key of signers) {
    const vote = signVote(
      key,
      { type: MessageType.precommit, height, round, blockHash: hash, timestamp: time + 500 },
      chainId,
    );
    votes.set(toHex(key.publicKey), vote);
  }
  return buildCommit(height, round, hash, validators, votes);
}

/** Builds `plan.heights` blocks into a memory block store; throws if the engine would refuse one. */
export async function buildChain(plan: ChainPlan): Promise<MemoryBlockStore> {
  const store = new MemoryBlockStore();
  let state = genesisChainState(plan.chainId, 1, FIXTURE_GENESIS_TIME, {
    appHash: appHashOf(plan.chainId, 0),
    validators: plan.genesis,
  });
  await store.saveState(state);
  let lastCommit: Commit | null = null;
  for (let h = 1; h <= plan.heights; h++) {
    const proposer = state.validators.proposer.publicKey;
    const block = buildProposalBlock(state, lastCommit, [utf8(plan.txAt?.(h) ?? `tx ${h}`)], proposer);
    const problem = blockStructureProblem(block, state);
    if (problem !== null) throw new Error(`fixture block ${h} invalid: ${problem}`);
    const hash = blockHash(block.header);
    const signers =
      plan.signers?.(h, state) ?? state.validators.validators.map((v) => plan.keys.get(toHex(v.publicKey))!);
    const commit = signCommit(
      plan.chainId,
      state.validators.validators,
      h,
      0,
      hash,
      signers,
      block.header.time,
    );
    await store.saveBlock(block, commit);
    state = advanceChainState(
      state,
      { hash, time: block.header.time },
      appHashOf(plan.chainId, h),
      plan.updatesAt?.(h) ?? [],
    );
    await store.saveState(state);
    lastCommit = commit;
  }
  return store;
}

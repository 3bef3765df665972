/**
 * Start-up handshake: brings the application, the block store and the chain state into agreement after a
 * crash at any instant. Blocks are stored before they are executed and the state is stored before the
 * application commits, so at most the last block needs executing again; a fresh application (lost or new
 * state) gets genesis and every stored block replayed. Execution is deterministic, so re-executing yields
 * the same app hash, which is checked.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import type { Application, Misbehavior } from '../api/application.ts';
import { type Block, blockHash } from '../api/block.ts';
import type { ConsensusWal } from '../api/durability.ts';
import type { BlockStore } from './block_store.ts';
import { advanceChainState, type ChainState, genesisChainState } from './chain_state.ts';
import { voteInfos } from './proposal_block.ts';

/** Executes a decided block in the application and returns the chain state after it (not committed). */
export async function executeBlock(
  app: Application,
  state: ChainState,
  block: Block,
  hash: Uint8Array,
  misbehavior: Misbehavior[],
): Promise<ChainState> {
  const resp = await app.finalizeBlock({
    height: block.header.height,
    time: Math.floor(block.header.time / 1000),
    proposer: block.header.proposer,
    lastCommit: voteInfos(block.lastCommit, state.lastValidators),
    misbehavior,
    txs: block.txs,
    hash,
  });
  return advanceChainState(state, { hash, time: block.header.time }, resp.appHash, resp.validatorUpdates);
}

/** Parameters the handshake needs. */
export interface GenesisParams {
  chainId: string;
  initialHeight: number;
  genesisTime: number;
}

/** Maps a decided block's evidence to the misbehaviour handed to the application (none by default). */
export type MisbehaviorOf = (evidence: Uint8Array[]) => Misbehavior[];

/** Returns the chain state to continue from, after replaying whatever the application or state lacks. */
export async function recoverChainState(
  genesis: GenesisParams,
  app: Application,
  store: BlockStore,
  wal: ConsensusWal,
  misbehaviorOf: MisbehaviorOf = () => [],
): Promise<ChainState> {
  const info = await app.info();
  let appHeight = info.lastHeight;
  let state = store.state();
  if (appHeight === 0) {
    const init = await app.initChain({
      chainId: genesis.chainId,
      time: Math.floor(genesis.genesisTime / 1000),
      initialHeight: genesis.initialHeight,
    });
    const g = genesisChainState(genesis.chainId, genesis.initialHeight, genesis.genesisTime, init);
    if (state === undefined) {
      state = g;
      await store.saveState(g);
      await store.flush();
    }
    appHeight = genesis.initialHeight - 1;
  }
  if (state === undefined) throw new Error('application has state but the block store has none');
  // The application lags the state: re-execute those blocks in the application only.
  for (let h = appHeight + 1; h <= state.lastBlockHeight; h++) {
    const before = store.stateAt(h - 1);
    const after = store.stateAt(h);
    const block = store.block(h);
    if (before === undefined || after === undefined || block === undefined) {
      throw new Error(`cannot replay height ${h}: block or state missing`);
    }
    const again = await executeBlock(
      app,
      before,
      block,
      blockHash(block.header),
      misbehaviorOf(block.evidence),
    );
    if (!bytesEqual(again.appHash, after.appHash)) {
      throw new Error(
        `replaying height ${h} gave app hash ${toHex(again.appHash)}, expected ${toHex(after.appHash)}`,
      );
    }
    await store.flush();
    await app.commit();
  }
  // The store holds blocks the state has not applied yet: apply them fully.
  for (let h = state.lastBlockHeight + 1; h <= store.height(); h++) {
    const block = store.block(h)!;
    state = await executeBlock(app, state, block, blockHash(block.header), misbehaviorOf(block.evidence));
    await store.saveState(state);
    await store.flush();
    await app.commit();
  }
  const marker = await wal.readAfterEndHeight(state.lastBlockHeight);
  if (!marker.found) await wal.endHeight(state.lastBlockHeight);
  return state;
}

/**
 * The port the dashboard declares and the node implements (its chain view): committed state by height,
 * stored blocks, who signed each commit, a stream of new blocks, and the Ethereum index of an EVM ParaTime. Everything the pages show is derived
 * from these, so the dashboard reads the node's own backends and never its gRPC.
 */
import type { AppEvent } from '../../consensus/api/application.ts';
import type { EthIndexReader } from '../../runtime/node/client/eth_index.ts';
import type { StateByHeight } from '../queries.ts';
import type { ApiBlock } from '../services/consensus.ts';

/** Who took part in the commit that decided one block. */
export interface CommitParticipation {
  /** Consensus public keys of the validator set that decided the block, in set order. */
  validators: Uint8Array[];
  /** Those of `validators` whose precommit for the block is in the stored commit. */
  signed: Uint8Array[];
}

/** What the dashboard reads from the node. */
export interface DashboardBackend extends StateByHeight {
  readonly chainContext: string;
  readonly genesisHeight: number;
  /** A committed block with its results; undefined when not stored. */
  block(height: number): ApiBlock | undefined;
  /** The commit participation of block `height`; undefined when its commit is not stored. */
  commitParticipation(height: number): CommitParticipation | undefined;
  /** Every event of the block at `height` (its transactions', then begin/end block's); undefined when absent. */
  eventsAt(height: number): AppEvent[] | undefined;
  /** Streams blocks as they are committed until `signal` aborts. */
  watchBlocks(signal: AbortSignal): AsyncIterable<ApiBlock>;
  /** The Ethereum index of the EVM ParaTime `runtimeId` (hex), when this node keeps one (config `web3`). */
  ethIndex(runtimeId: string): EthIndexReader | undefined;
}

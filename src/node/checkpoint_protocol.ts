/**
 * The request protocol consensus state sync runs over (`/oasis-ts/<chain>/statesync/1`), in the role of
 * CometBFT's snapshot and chunk channels: the checkpoint methods (`state/checkpoint/sync_protocol.ts`:
 * `checkpoints`, `chunk`) plus
 * - `chain_state` `{height}` → `{state, header}`: the consensus chain state after `height` and that
 *   block's header, which a restoring node checks against verified headers before continuing from it.
 * A refusal (unknown checkpoint or chunk, pruned height) is an error answer carrying the coded error's text.
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { bytes, struct } from '../codec/schema.ts';
import { type BlockHeader, headerDecoder, headerToCbor } from '../consensus/api/block.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import { decodeChainState, encodeChainState } from '../consensus/bft/chain_state_codec.ts';
import { CodecError } from '../errors.ts';
import type { P2PHost, PeerKey } from '../p2p/api.ts';
import type { CheckpointFiles } from '../state/checkpoint/files.ts';
import {
  answerCheckpointRequest,
  CheckpointPeers,
  requireField,
  syncRequestDecoder,
} from '../state/checkpoint/sync_protocol.ts';

export { MAX_LISTED } from '../state/checkpoint/sync_protocol.ts';

/** The protocol of one chain. */
export function stateSyncProtocol(chainContext: string): string {
  return `/oasis-ts/${chainContext}/statesync/1`;
}

const chainStateDecoder = struct({ state: bytes(), header: headerDecoder });

/** What the server answers from. */
export interface StateSyncSource {
  files: CheckpointFiles;
  /** Chain state after `height`, if kept. */
  chainState: (height: number) => ChainState | undefined;
  /** Header of the block at `height`, if kept. */
  header: (height: number) => BlockHeader | undefined;
}

/** Serves checkpoints, chain states and light blocks on the chain's state-sync protocol. */
export function serveStateSync(p2p: P2PHost, chainContext: string, src: StateSyncSource): void {
  const checkpoints = {
    list: () => src.files.list(),
    manifestAt: (version: number) => src.files.manifest(version),
    chunk: (version: number, index: number) => src.files.chunk(version, index),
  };
  p2p.handle(stateSyncProtocol(chainContext), async (_from, data) => {
    const req = syncRequestDecoder(decodeCanonical(data), 'request');
    const answer = await answerCheckpointRequest(checkpoints, req);
    if (answer !== undefined) return answer;
    if (req.method !== 'chain_state')
      throw new CodecError('request.method', `unknown method ${JSON.stringify(req.method)}`);
    const h = requireField(req.height, 'request.height');
    const state = requireField(src.chainState(h), `chain state at ${h}`);
    return encodeCanonical({
      state: encodeChainState(state),
      header: headerToCbor(requireField(src.header(h), `header ${h}`)),
    });
  });
}

/** The client side: typed requests to one peer (answers decoded strictly; a refusal throws). */
export class StateSyncClient extends CheckpointPeers {
  constructor(p2p: P2PHost, chainContext: string) {
    const protocol = stateSyncProtocol(chainContext);
    super((peer, request) => p2p.request(peer, protocol, request));
  }

  /** The chain state after `height` and the header of `height` (unverified). */
  async chainState(peer: PeerKey, height: number): Promise<{ state: ChainState; header: BlockHeader }> {
    const a = chainStateDecoder(await this.ask(peer, { method: 'chain_state', height }), 'answer');
    return { state: decodeChainState(a.state), header: a.header };
  }
}

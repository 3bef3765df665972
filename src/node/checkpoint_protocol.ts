/**
 * The request protocol state sync runs over (`/oasis-ts/<chain>/statesync/1`), in the role of CometBFT's
 * snapshot and chunk channels: CBOR `{method, version?, index?, height?}` asking for
 * - `checkpoints` → `{manifests: [manifest CBOR…]}`, the newest `MAX_LISTED` checkpoints;
 * - `chunk` `{version, index}` → `{chunk}`;
 * - `chain_state` `{height}` → `{state, header}`: the consensus chain state after `height` and that
 *   block's header, which a restoring node checks against verified headers before continuing from it.
 * A refusal (unknown checkpoint or chunk, pruned height) is an error answer carrying the coded error's text.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { arrayOf, bytes, optional, struct, text, uint } from '../codec/schema.ts';
import { type BlockHeader, headerDecoder, headerToCbor } from '../consensus/api/block.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import { decodeChainState, encodeChainState } from '../consensus/bft/chain_state_codec.ts';
import { CodecError } from '../errors.ts';
import type { P2PHost, PeerKey } from '../p2p/api.ts';
import { CheckpointErrorCode, checkpointError } from '../state/checkpoint/errors.ts';
import type { CheckpointFiles } from '../state/checkpoint/files.ts';
import { decodeManifest, encodeManifest, type Manifest } from '../state/checkpoint/manifest.ts';

/** Checkpoints listed per answer (CometBFT's reactor offers 10). */
export const MAX_LISTED = 10;

/** The protocol of one chain. */
export function stateSyncProtocol(chainContext: string): string {
  return `/oasis-ts/${chainContext}/statesync/1`;
}

const requestDecoder = struct({
  method: text,
  version: optional(uint),
  index: optional(uint),
  height: optional(uint),
});
const manifestsDecoder = struct({ manifests: arrayOf(bytes(), MAX_LISTED) });
const chunkDecoder = struct({ chunk: bytes() });
const chainStateDecoder = struct({ state: bytes(), header: headerDecoder });

/** What the server answers from. */
export interface StateSyncSource {
  files: CheckpointFiles;
  /** Chain state after `height`, if kept. */
  chainState: (height: number) => ChainState | undefined;
  /** Header of the block at `height`, if kept. */
  header: (height: number) => BlockHeader | undefined;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw checkpointError(CheckpointErrorCode.checkpointNotFound, `${what} is not kept here`);
  return value;
}

/** Serves checkpoints, chain states and light blocks on the chain's state-sync protocol. */
export function serveStateSync(p2p: P2PHost, chainContext: string, src: StateSyncSource): void {
  p2p.handle(stateSyncProtocol(chainContext), async (_from, data) => {
    const req = requestDecoder(decodeCanonical(data), 'request');
    const height = () => need(req.height, 'request.height');
    switch (req.method) {
      case 'checkpoints':
        return encodeCanonical({
          manifests: src.files.list().slice(-MAX_LISTED).reverse().map(encodeManifest),
        });
      case 'chunk':
        return encodeCanonical({
          chunk: src.files.chunk(need(req.version, 'request.version'), need(req.index, 'request.index')),
        });
      case 'chain_state': {
        const h = height();
        const state = need(src.chainState(h), `chain state at ${h}`);
        return encodeCanonical({
          state: encodeChainState(state),
          header: headerToCbor(need(src.header(h), `header ${h}`)),
        });
      }
      default:
        throw new CodecError('request.method', `unknown method ${JSON.stringify(req.method)}`);
    }
  });
}

/** The client side: typed requests to one peer (answers decoded strictly; a refusal throws). */
export class StateSyncClient {
  readonly #p2p: P2PHost;
  readonly #protocol: string;

  constructor(p2p: P2PHost, chainContext: string) {
    this.#p2p = p2p;
    this.#protocol = stateSyncProtocol(chainContext);
  }

  async #ask(peer: PeerKey, request: Record<string, unknown>): Promise<CborValue> {
    return decodeCanonical(await this.#p2p.request(peer, this.#protocol, encodeCanonical(request)));
  }

  /** The peer's newest checkpoints (malformed manifests are dropped). */
  async checkpoints(peer: PeerKey): Promise<Manifest[]> {
    const { manifests } = manifestsDecoder(await this.#ask(peer, { method: 'checkpoints' }), 'answer');
    const out: Manifest[] = [];
    for (const m of manifests) {
      try {
        out.push(decodeManifest(m));
      } catch {
        // A manifest we cannot use is no worse than none.
      }
    }
    return out;
  }

  /** Chunk `index` of the checkpoint at `version` (unverified). */
  async chunk(peer: PeerKey, version: number, index: number): Promise<Uint8Array> {
    return chunkDecoder(await this.#ask(peer, { method: 'chunk', version, index }), 'answer').chunk;
  }

  /** The chain state after `height` and the header of `height` (unverified). */
  async chainState(peer: PeerKey, height: number): Promise<{ state: ChainState; header: BlockHeader }> {
    const a = chainStateDecoder(await this.#ask(peer, { method: 'chain_state', height }), 'answer');
    return { state: decodeChainState(a.state), header: a.header };
  }
}

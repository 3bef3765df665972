/**
 * Reads every dashboard page shares: the latest committed state, a block's decoded header, the heights of
 * the last N blocks, and who runs a node (registered nodes by consensus key and by node ID, with their
 * entity), all from the node's own backends.
 */
import { toHex } from '../../codec/bytes.ts';
import { decodeCanonical } from '../../codec/cbor.ts';
import { type BlockHeader, headerDecoder } from '../../consensus/api/block.ts';
import { type NodeDescriptor, nodeCodec } from '../../services/registry/api/node.ts';
import { RegistryQueries } from '../../services/registry/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { ApiBlock } from '../services/consensus.ts';
import type { DashboardBackend } from './backend.ts';
import { DashboardErrors } from './errors.ts';

/** The most blocks one request may look back over (windows for uptime, rates, searches). */
export const MAX_WINDOW = 2_000;

/** The latest committed height and its state; `not_ready` before the first block. */
export function latestState(b: DashboardBackend): { height: number; state: StateReader } {
  const height = b.latestHeight();
  if (height === 0) throw DashboardErrors.notReady();
  return { height, state: b.stateAt(height) };
}

/** The header a stored block commits to (its `meta` is our encoded header). */
export function headerOf(block: ApiBlock): BlockHeader {
  return headerDecoder(decodeCanonical(block.meta), 'header');
}

/** Heights of the last `window` blocks up to `latest`, oldest first, never before the genesis height. */
export function windowHeights(b: DashboardBackend, latest: number, window: number): number[] {
  const first = Math.max(b.genesisHeight, latest - window + 1, 1);
  const out: number[] = [];
  for (let h = first; h <= latest; h++) out.push(h);
  return out;
}

/** The registered nodes of one state, looked up by node ID or consensus key (hex). */
export class NodeDirectory {
  readonly nodes: NodeDescriptor[];
  readonly #byId = new Map<string, NodeDescriptor>();
  readonly #byConsensusKey = new Map<string, NodeDescriptor>();

  constructor(state: StateReader) {
    this.nodes = RegistryQueries.getNodes(state).map((n, i) => nodeCodec.decode(n as never, `nodes[${i}]`));
    for (const n of this.nodes) {
      this.#byId.set(toHex(n.id), n);
      this.#byConsensusKey.set(toHex(n.consensus.id), n);
    }
  }

  byId(id: Uint8Array): NodeDescriptor | undefined {
    return this.#byId.get(toHex(id));
  }

  byConsensusKey(key: Uint8Array): NodeDescriptor | undefined {
    return this.#byConsensusKey.get(toHex(key));
  }
}

/**
 * Log filter objects (`eth_getLogs`, `eth_newFilter`, `eth_subscribe logs`): a block range or a block
 * hash, one address or several, and up to four topic positions each null (any), a topic, or a list of
 * alternatives. A range is resolved against the index when it is read.
 */
import type { EthLog, EthLogQuery } from '../../runtime/node/client/eth_index.ts';
import type { Web3Backend } from './backend.ts';
import { type BlockParam, blockNumberOf, parseBlockParam } from './block_tags.ts';
import { RpcErrors } from './errors.ts';
import { parseAddress, parseHash } from './hex.ts';

/** A parsed filter object. */
export interface LogFilter {
  blockHash?: Uint8Array;
  fromBlock: BlockParam;
  toBlock: BlockParam;
  addresses: Uint8Array[];
  topics: Array<Uint8Array[] | null>;
}

/** Limits on what one log query may cost. */
export interface LogLimits {
  /** Most blocks one query may span. */
  maxBlockRange: bigint;
  /** Most logs one query may return. */
  maxResults: number;
}

/** Parses argument `arg` as a filter object. */
export function parseLogFilter(v: unknown, arg: number): LogFilter {
  if (v === undefined || v === null) v = {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw RpcErrors.invalidArgument(arg, 'expected a filter object');
  const o = v as Record<string, unknown>;
  let addresses: Uint8Array[] = [];
  if (Array.isArray(o.address)) addresses = o.address.map((a) => parseAddress(a, arg));
  else if (o.address !== undefined && o.address !== null) addresses = [parseAddress(o.address, arg)];
  const topics: Array<Uint8Array[] | null> = [];
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics) || o.topics.length > 4)
      throw RpcErrors.invalidArgument(arg, 'topics must be an array of at most 4 positions');
    for (const t of o.topics) {
      if (t === null) topics.push(null);
      else if (Array.isArray(t)) topics.push(t.length === 0 ? null : t.map((x) => parseHash(x, arg)));
      else topics.push([parseHash(t, arg)]);
    }
  }
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if (o.fromBlock !== undefined || o.toBlock !== undefined)
      throw RpcErrors.invalidArgument(
        arg,
        'cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other',
      );
    return {
      blockHash: parseHash(o.blockHash, arg),
      fromBlock: { tag: 'latest' },
      toBlock: { tag: 'latest' },
      addresses,
      topics,
    };
  }
  return {
    fromBlock: parseBlockParam(o.fromBlock, arg),
    toBlock: parseBlockParam(o.toBlock, arg),
    addresses,
    topics,
  };
}

/** The logs a filter selects, within `limits` (a wider range or more results is a -32005 error). */
export function queryLogs(b: Web3Backend, f: LogFilter, limits: LogLimits, floor?: bigint): EthLog[] {
  const range = resolveRange(b, f);
  if (range === undefined) return [];
  let [from, to] = range;
  if (floor !== undefined && from < floor) from = floor;
  if (from > to) return [];
  if (to - from + 1n > limits.maxBlockRange)
    throw RpcErrors.limit(`query spans more than ${limits.maxBlockRange} blocks`);
  const q: EthLogQuery = { fromBlock: from, toBlock: to, addresses: f.addresses, topics: f.topics };
  const logs = b.index.logs(q, limits.maxResults + 1);
  if (logs.length > limits.maxResults)
    throw RpcErrors.limit(`query returned more than ${limits.maxResults} results`);
  return logs;
}

/** The block range of a filter as numbers; undefined when it selects nothing the node has. */
export function resolveRange(b: Web3Backend, f: LogFilter): [bigint, bigint] | undefined {
  if (f.blockHash !== undefined) {
    const blk = b.index.blockByHash(f.blockHash);
    if (blk === undefined) throw RpcErrors.server('unknown block');
    return [blk.number, blk.number];
  }
  const head = b.index.head();
  if (head === undefined) return undefined;
  const from = 'number' in f.fromBlock ? f.fromBlock.number : blockNumberOf(b, f.fromBlock);
  const to = 'number' in f.toBlock ? f.toBlock.number : blockNumberOf(b, f.toBlock);
  if (from === undefined || to === undefined) return undefined;
  if (from > to && to <= head) throw RpcErrors.server('invalid block range');
  // A range reaching past the head ends at it.
  // biome-ignore lint/complexity/useMathMinMax: bigint operands
  return [from, to > head ? head : to];
}

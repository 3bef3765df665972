/**
 * Block parameters: a number, a tag, or an EIP-1898 object. `latest` and `pending` are the newest indexed
 * block (the node serves no pending block: its transaction pool is not executed ahead); `safe` and
 * `finalized` are the same block, since a runtime round the node has seen is final (the consensus layer
 * finalized it); `earliest` is the oldest block the node still has.
 */
import type { Web3Backend } from './backend.ts';
import { RpcErrors } from './errors.ts';
import { parseHash, parseQuantity } from './hex.ts';

/** A parsed block parameter. */
export type BlockParam =
  | { tag: 'latest' | 'pending' | 'safe' | 'finalized' | 'earliest' }
  | { number: bigint }
  | { hash: Uint8Array };

const TAGS = new Set(['latest', 'pending', 'safe', 'finalized', 'earliest']);
const U64_MAX = (1n << 64n) - 1n;

/** Parses argument `arg` as a block parameter (absent = `fallback`). */
export function parseBlockParam(
  v: unknown,
  arg: number,
  fallback: BlockParam = { tag: 'latest' },
): BlockParam {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') {
    if (TAGS.has(v)) return { tag: v as 'latest' };
    return { number: parseQuantity(v, arg, U64_MAX) };
  }
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.blockHash !== undefined && o.blockNumber !== undefined)
      throw RpcErrors.invalidArgument(arg, 'cannot specify both blockHash and blockNumber');
    if (o.blockHash !== undefined) return { hash: parseHash(o.blockHash, arg) };
    if (o.blockNumber !== undefined) return parseBlockParam(o.blockNumber, arg);
  }
  throw RpcErrors.invalidArgument(arg, `invalid block number or tag: ${JSON.stringify(v)}`);
}

/** The block number a parameter names; undefined when the node has no such block. */
export function blockNumberOf(b: Web3Backend, p: BlockParam): bigint | undefined {
  const head = b.index.head();
  if ('tag' in p) return p.tag === 'earliest' ? b.index.earliest() : head;
  if ('hash' in p) return b.index.blockByHash(p.hash)?.number;
  return head !== undefined && p.number <= head ? p.number : undefined;
}

/** As `blockNumberOf`, for state reads: a block the node lacks is geth's "header not found". */
export function stateBlock(b: Web3Backend, p: BlockParam): bigint {
  const n = blockNumberOf(b, p);
  if (n === undefined) throw RpcErrors.server('header not found');
  return n;
}

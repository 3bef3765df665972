/**
 * Blocks and transactions: the latest blocks, one block with its transactions (opened, with their results),
 * a transaction by hash, and the search box (height, block or transaction hash, address or public key).
 */
import { bytesEqual, fromHex, toHex } from '../../codec/bytes.ts';
import type { TxResult } from '../../consensus/api/application.ts';
import { openSignedTransaction } from '../../consensus/api/transaction.ts';
import { addressFromBech32, addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import type { ApiBlock } from '../services/consensus.ts';
import type { DashboardBackend } from './backend.ts';
import { headerOf, MAX_WINDOW, NodeDirectory, windowHeights } from './chain_reads.ts';
import { displayValue } from './display.ts';
import { DashboardErrors } from './errors.ts';

/** A block in a list. */
export interface BlockSummary {
  height: number;
  hash: string;
  /** Unix milliseconds. */
  time: number;
  txs: number;
  size: number;
  proposer: string;
  /** The entity running the proposer's node, when registered. */
  proposer_entity: string | null;
}

/** A transaction as the block page shows it. */
export interface TxView {
  hash: string;
  height: number;
  index: number;
  signer: string;
  sender: string;
  method: string;
  nonce: string;
  fee: { amount: string; gas: string };
  gas_used: string;
  ok: boolean;
  error: { module: string; code: number; message: string } | null;
  body: unknown;
}

/** What the search box resolved a query to. */
export type SearchHit =
  | { kind: 'block'; height: number }
  | { kind: 'transaction'; hash: string; height: number; index: number }
  | { kind: 'account'; address: string };

function summary(block: ApiBlock, directory: NodeDirectory | undefined): BlockSummary {
  const proposer = headerOf(block).proposer;
  const node = directory?.byConsensusKey(proposer);
  return {
    height: block.height,
    hash: toHex(block.hash),
    time: headerOf(block).time,
    txs: block.txs.length,
    size: block.size,
    proposer: toHex(proposer),
    proposer_entity: node ? toHex(node.entityId) : null,
  };
}

function txView(b: DashboardBackend, block: ApiBlock, index: number): TxView {
  const raw = block.txs[index]!;
  const result: TxResult | undefined = block.results[index];
  const opened = openSignedTransaction(raw, b.chainContext);
  const err = result?.error;
  return {
    hash: toHex(opened.hash),
    height: block.height,
    index,
    signer: toHex(opened.signer),
    sender: addressToBech32(addressFromPublicKey(opened.signer)),
    method: opened.tx.method,
    nonce: opened.tx.nonce.toString(),
    fee: { amount: (opened.tx.fee?.amount ?? 0n).toString(), gas: (opened.tx.fee?.gas ?? 0n).toString() },
    gas_used: (result?.gasUsed ?? 0n).toString(),
    ok: !err,
    error: err ? { module: err.module ?? '', code: err.code ?? 0, message: err.message ?? '' } : null,
    body: displayValue(opened.tx.body ?? null),
  };
}

function directoryAt(b: DashboardBackend): NodeDirectory | undefined {
  const latest = b.latestHeight();
  return latest > 0 ? new NodeDirectory(b.stateAt(latest)) : undefined;
}

/** Up to `limit` blocks below `before` (default: from the latest), newest first. */
export function blockList(b: DashboardBackend, before: number | undefined, limit: number): BlockSummary[] {
  const top = Math.min(b.latestHeight(), before === undefined ? Number.MAX_SAFE_INTEGER : before - 1);
  const directory = directoryAt(b);
  const out: BlockSummary[] = [];
  for (const h of windowHeights(b, top, limit).reverse()) {
    const block = b.block(h);
    if (block) out.push(summary(block, directory));
  }
  return out;
}

/** One block with every transaction in it; `not_found` for a height not stored. */
export function blockDetail(b: DashboardBackend, height: number): BlockSummary & { transactions: TxView[] } {
  const block = b.block(height);
  if (!block) throw DashboardErrors.notFound(`block ${height} is not stored`);
  const participation = b.commitParticipation(height);
  return {
    ...summary(block, directoryAt(b)),
    transactions: block.txs.map((_, i) => txView(b, block, i)),
    ...(participation
      ? { signatures: participation.signed.length, validators: participation.validators.length }
      : {}),
  };
}

/** Looks back over the last `MAX_WINDOW` blocks for a block or transaction with this hash. */
function findHash(b: DashboardBackend, hash: Uint8Array): SearchHit | undefined {
  for (const h of windowHeights(b, b.latestHeight(), MAX_WINDOW).reverse()) {
    const block = b.block(h);
    if (!block) continue;
    if (bytesEqual(block.hash, hash)) return { kind: 'block', height: h };
    const index = block.txs.findIndex((raw) =>
      bytesEqual(openSignedTransaction(raw, b.chainContext).hash, hash),
    );
    if (index >= 0) return { kind: 'transaction', hash: toHex(hash), height: h, index };
  }
  return undefined;
}

/** A transaction by its hash (hex), from the last `MAX_WINDOW` blocks. */
export function transactionByHash(b: DashboardBackend, hashHex: string): TxView {
  if (!/^[0-9a-f]{64}$/i.test(hashHex)) throw DashboardErrors.badRequest('expected a 64-digit hex hash');
  const hit = findHash(b, fromHex(hashHex.toLowerCase()));
  if (hit?.kind !== 'transaction')
    throw DashboardErrors.notFound(`no transaction ${hashHex} in the last ${MAX_WINDOW} blocks`);
  return txView(b, b.block(hit.height)!, hit.index);
}

/**
 * Resolves a search: a height, a block or transaction hash (recent blocks), an `oasis1…` address, or a
 * public key (its account). `not_found` when nothing matches.
 */
export function search(b: DashboardBackend, query: string): SearchHit {
  const q = query.trim().replace(/^0x/i, '');
  if (/^\d+$/.test(q)) {
    const height = Number(q);
    if (!b.block(height)) throw DashboardErrors.notFound(`block ${q} is not stored`);
    return { kind: 'block', height };
  }
  if (q.startsWith('oasis1')) {
    try {
      return { kind: 'account', address: addressToBech32(addressFromBech32(q)) };
    } catch (err) {
      throw DashboardErrors.badRequest((err as Error).message);
    }
  }
  if (/^[0-9a-f]{64}$/i.test(q)) {
    const bytes = fromHex(q.toLowerCase());
    return findHash(b, bytes) ?? { kind: 'account', address: addressToBech32(addressFromPublicKey(bytes)) };
  }
  throw DashboardErrors.badRequest('search: expected a height, a hex hash or key, or an oasis1… address');
}

/**
 * A JSON-RPC endpoint over the in-process EVM ParaTime for the web3 tests: the real index (LMDB in a
 * temporary directory) fed by the real indexer, the real server on a free port, and helpers to call it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WEB3_LIMITS, type Web3Limits, Web3Server } from '../../../src/api/web3/server.ts';
import type { RuntimeClientBackend } from '../../../src/runtime/node/client/api.ts';
import { EthIndexer } from '../../../src/runtime/node/eth_index/indexer.ts';
import { RoundConverter } from '../../../src/runtime/node/eth_index/round_block.ts';
import { EthIndexStore } from '../../../src/runtime/node/eth_index/store.ts';
import { CHAIN_ID } from '../../runtime/process/paratimes/evm/helpers.ts';
import { EvmChain } from './evm_chain.ts';

/** Gas ceiling of the test chain's blocks (the EVM ParaTime's default). */
export const GAS_LIMIT = 15_000_000n;

/** A JSON-RPC response. */
export interface RpcResponse {
  jsonrpc: string;
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: string };
}

/**
 * A running endpoint over a fresh chain; `serve` picks what the server reaches of it (default: all of it, as
 * a live node's; archive mode wraps it).
 */
export async function web3Fixture(
  limits: Partial<Web3Limits> = {},
  serve: (chain: EvmChain) => RuntimeClientBackend = (chain) => chain,
) {
  const chain = new EvmChain();
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-web3-unit-'));
  const store = EthIndexStore.open(dir);
  const warnings: string[] = [];
  const indexer = new EthIndexer({
    runtimeId: chain.runtimeId,
    runtimes: chain,
    store,
    converter: new RoundConverter(CHAIN_ID, GAS_LIMIT),
    warn: (m) => warnings.push(m),
  });
  indexer.start();
  await indexer.idle();
  const server = new Web3Server(
    { runtimeId: chain.runtimeId, chainId: CHAIN_ID, runtimes: serve(chain), index: store },
    { ...DEFAULT_WEB3_LIMITS, ...limits },
  );
  const url = await server.listen(0, '127.0.0.1');
  let nextId = 1;
  /** POSTs `body` as is; the HTTP status and the parsed answer (undefined for an empty body). */
  const post = async (body: string): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  };
  /** Calls one method. */
  const call = async (method: string, params: unknown[] = []): Promise<RpcResponse> =>
    (await post(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }))).json as RpcResponse;
  /** Calls one method that must succeed; its result. */
  const result = async <T = unknown>(method: string, params: unknown[] = []): Promise<T> => {
    const r = await call(method, params);
    if (r.error !== undefined) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.result as T;
  };
  /** Executes the pending transactions as a round and waits until it is indexed. */
  const mine = async (): Promise<bigint> => {
    const round = await chain.mine();
    await indexer.idle();
    return round;
  };
  const close = async () => {
    await server.close();
    await indexer.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { chain, store, url, post, call, result, mine, close, warnings };
}

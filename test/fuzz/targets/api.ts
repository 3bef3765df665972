/**
 * What clients send to the public APIs: gRPC-web POST bodies (binary and base64 text mode) and
 * Ethereum JSON-RPC requests against a real EVM ParaTime chain and index.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcError } from '../../../src/api/errors.ts';
import { decodeRequestBody } from '../../../src/api/grpc_web.ts';
import { web3Methods } from '../../../src/api/web3/methods.ts';
import { JsonRpcHandler } from '../../../src/api/web3/rpc.ts';
import { DEFAULT_WEB3_LIMITS } from '../../../src/api/web3/server.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { EthIndexer } from '../../../src/runtime/node/eth_index/indexer.ts';
import { RoundConverter } from '../../../src/runtime/node/eth_index/round_block.ts';
import { EthIndexStore } from '../../../src/runtime/node/eth_index/store.ts';
import { EvmChain } from '../../api/web3/evm_chain.ts';
import { CHAIN_ID } from '../../runtime/process/paratimes/evm/helpers.ts';
import { type FuzzTarget, text, utf8, valueOrOurs } from '../harness.ts';

function grpcFrame(payload: Uint8Array): Uint8Array {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}

/** `[mode][body]`: an odd mode byte is text (base64) mode. Answers a request or an invalid-argument error. */
export const grpcWeb: FuzzTarget = {
  name: 'grpc-web',
  seeds: () => {
    const req = grpcFrame(encodeCanonical({ height: 3n }));
    return [
      Uint8Array.of(0, ...req),
      Uint8Array.of(1, ...utf8(Buffer.from(req).toString('base64'))),
      Uint8Array.of(0),
      Uint8Array.of(0, ...grpcFrame(new Uint8Array(0))),
    ];
  },
  check(data) {
    if (data.length === 0) return;
    const body = Buffer.from(data.subarray(1));
    valueOrOurs(() => decodeRequestBody(body, (data[0]! & 1) === 1), GrpcError);
  },
};

/** A JSON-RPC endpoint over a two-block EVM chain, built on first use and removed at exit. */
let rpc: Promise<JsonRpcHandler> | undefined;
/** Methods that failed with something other than a JSON-RPC error (a bug: bad input is -326xx). */
const internalErrors: string[] = [];

async function jsonRpc(): Promise<JsonRpcHandler> {
  const chain = new EvmChain();
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-fuzz-web3-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const store = EthIndexStore.open(dir);
  const indexer = new EthIndexer({
    runtimeId: chain.runtimeId,
    runtimes: chain,
    store,
    converter: new RoundConverter(CHAIN_ID, 15_000_000n),
    warn: () => {},
  });
  indexer.start();
  for (let i = 0; i < 2; i++) {
    await chain.mine();
    await indexer.idle();
  }
  await indexer.stop();
  const backend = { runtimeId: chain.runtimeId, chainId: CHAIN_ID, runtimes: chain, index: store };
  return new JsonRpcHandler(web3Methods(backend, DEFAULT_WEB3_LIMITS), DEFAULT_WEB3_LIMITS, (method, err) =>
    internalErrors.push(`${method}: ${(err as Error)?.stack ?? String(err)}`),
  );
}

/** A request body: every answer is JSON-RPC 2.0 JSON, and no method fails with an internal error. */
export const jsonRpcRequest: FuzzTarget = {
  name: 'json-rpc',
  async: true,
  seeds: () =>
    [
      '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
      '{"jsonrpc":"2.0","id":2,"method":"eth_getBlockByNumber","params":["0x1",true]}',
      '{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"latest","topics":[null]}]}',
      '[{"jsonrpc":"2.0","id":4,"method":"eth_call","params":[{"to":"0x0000000000000000000000000000000000000001","data":"0x"},"latest"]},{"jsonrpc":"2.0","method":"eth_chainId"}]',
      '{"jsonrpc":"2.0","id":5,"method":"eth_getBalance","params":["0x0000000000000000000000000000000000000002","pending"]}',
      '{"jsonrpc":"2.0","id":6,"method":"eth_feeHistory","params":["0x2","latest",[50]]}',
      '{"jsonrpc":"2.0","id":7,"method":"eth_sendRawTransaction","params":["0xf86c"]}',
    ].map(utf8),
  async check(data) {
    rpc ??= jsonRpc();
    const handler = await rpc;
    const answer = await handler.handle(text(data), {});
    if (internalErrors.length > 0) throw new Error(`internal error: ${internalErrors.splice(0).join('\n')}`);
    if (answer === undefined) return;
    const parsed = JSON.parse(answer) as unknown;
    for (const r of Array.isArray(parsed) ? parsed : [parsed]) {
      const o = r as Record<string, unknown>;
      if (o.jsonrpc !== '2.0' || 'result' in o === 'error' in o)
        throw new Error(`not a JSON-RPC answer: ${answer}`);
    }
  },
};

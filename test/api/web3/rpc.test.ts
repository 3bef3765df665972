/**
 * The JSON-RPC protocol of the web3 endpoint over HTTP: identity methods, JSON-RPC 2.0 errors (malformed
 * JSON, invalid requests, unknown methods, bad params), batches and notifications, the body and batch
 * limits, and block tags.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLIENT_VERSION } from '../../../src/api/web3/chain_methods.ts';
import { alice } from '../../runtime/process/paratimes/evm/helpers.ts';
import { type RpcResponse, web3Fixture } from './fixture.ts';

describe('web3 JSON-RPC protocol', () => {
  let f: Awaited<ReturnType<typeof web3Fixture>>;
  before(async () => {
    f = await web3Fixture({ maxBatch: 3, maxRequestBytes: 4096 });
    await f.mine();
    await f.mine();
  });
  after(() => f.close());

  it('answers the identity methods', async () => {
    assert.equal(await f.result('eth_chainId'), '0xa514');
    assert.equal(await f.result('net_version'), '42260');
    assert.equal(await f.result('web3_clientVersion'), CLIENT_VERSION);
    assert.deepEqual(await f.result('eth_accounts'), []);
    assert.equal(await f.result('eth_syncing'), false);
    assert.equal(await f.result('eth_blockNumber'), '0x2');
  });

  it('answers malformed JSON with -32700 and a null id', async () => {
    const { status, json } = await f.post('{"jsonrpc":"2.0","id":1,"method":');
    assert.equal(status, 200);
    const r = json as RpcResponse;
    assert.equal(r.id, null);
    assert.equal(r.error?.code, -32700);
  });

  it('answers invalid requests with -32600, unknown methods with -32601, bad params with -32602', async () => {
    const noVersion = (await f.post('{"id":7,"method":"eth_chainId"}')).json as RpcResponse;
    assert.deepEqual([noVersion.id, noVersion.error?.code], [7, -32600]);
    const unknown = await f.call('eth_sendTransaction', [{}]);
    assert.equal(unknown.error?.code, -32601);
    assert.equal(unknown.error?.message, 'the method eth_sendTransaction does not exist/is not available');
    const badAddress = await f.call('eth_getBalance', ['0x1234', 'latest']);
    assert.equal(badAddress.error?.code, -32602);
    assert.match(badAddress.error!.message, /^invalid argument 0/);
    const objectParams = (await f.post('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{}}'))
      .json as RpcResponse;
    assert.equal(objectParams.error?.code, -32602);
    const badTag = await f.call('eth_getBalance', [alice.address, 'newest']);
    assert.equal(badTag.error?.code, -32602);
    assert.match(badTag.error!.message, /^invalid argument 1/);
  });

  it('answers oasis_callDataPublicKey with -32601 on a plain EVM, as a non-Sapphire endpoint does', async () => {
    const r = await f.call('oasis_callDataPublicKey');
    assert.equal(r.error?.code, -32601);
    assert.match(r.error!.message, /oasis_callDataPublicKey/);
  });

  it('answers a batch in order, skips notifications, and refuses an empty or oversized batch', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 'a', method: 'eth_chainId' },
      { jsonrpc: '2.0', method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 'c', method: 'nope' },
    ];
    const answers = (await f.post(JSON.stringify(batch))).json as RpcResponse[];
    assert.deepEqual(
      answers.map((a) => [a.id, a.result ?? a.error?.code]),
      [
        ['a', '0xa514'],
        ['c', -32601],
      ],
    );
    const onlyNotifications = await f.post(JSON.stringify([{ jsonrpc: '2.0', method: 'eth_chainId' }]));
    assert.equal(onlyNotifications.json, undefined);
    assert.equal(((await f.post('[]')).json as RpcResponse).error?.code, -32600);
    const tooMany = (await f.post(JSON.stringify([...batch, ...batch]))).json as RpcResponse;
    assert.equal(tooMany.error?.code, -32600);
    assert.match(tooMany.error!.message, /batch too large/);
    const mixed = (await f.post('[1, {"jsonrpc":"2.0","id":2,"method":"eth_chainId"}]'))
      .json as RpcResponse[];
    assert.deepEqual(
      mixed.map((a) => a.result ?? a.error?.code),
      [-32600, '0xa514'],
    );
  });

  it('refuses a body over the limit with HTTP 413, and answers only POST', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_call',
      params: [{ data: `0x${'00'.repeat(4096)}` }],
    });
    const { status, json } = await f.post(big);
    assert.equal(status, 413);
    assert.equal((json as RpcResponse).error?.code, -32600);
    assert.equal((await fetch(f.url)).status, 405);
  });

  it('resolves block tags: latest, pending, safe and finalized are the head; earliest the oldest', async () => {
    const number = async (tag: string) =>
      ((await f.result('eth_getBlockByNumber', [tag, false])) as { number: string } | null)?.number;
    for (const tag of ['latest', 'pending', 'safe', 'finalized']) assert.equal(await number(tag), '0x2', tag);
    assert.equal(await number('earliest'), '0x0');
    assert.equal(await number('0x1'), '0x1');
    assert.equal(await number('0x3'), undefined);
    const future = await f.call('eth_getBalance', [alice.address, '0x3']);
    assert.deepEqual([future.error?.code, future.error?.message], [-32000, 'header not found']);
    const byHash = (await f.result('eth_getBlockByNumber', ['0x1', false])) as { hash: string };
    const viaEip1898 = await f.result('eth_getBalance', [alice.address, { blockHash: byHash.hash }]);
    assert.equal(viaEip1898, await f.result('eth_getBalance', [alice.address, '0x1']));
  });
});

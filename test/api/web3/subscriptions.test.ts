/**
 * `eth_subscribe` over the endpoint's WebSocket (an upgrade on the HTTP port): `newHeads` and `logs`
 * notifications for newly indexed blocks, `eth_unsubscribe`, and subscriptions refused over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getCreateAddress, id } from 'ethers';
import WebSocket from 'ws';
import { contracts } from '../../runtime/process/paratimes/evm/fixtures/contracts.ts';
import { alice, CHAIN_ID, GWEI } from '../../runtime/process/paratimes/evm/helpers.ts';
import { web3Fixture } from './fixture.ts';

const counter = contracts.Counter!;

/** A WebSocket JSON-RPC client that collects notifications. */
async function connect(url: string) {
  const ws = new WebSocket(url.replace('http://', 'ws://'));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const notes: Array<{ subscription: string; result: Record<string, unknown> }> = [];
  const waiting = new Map<number, (v: unknown) => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.method === 'eth_subscription') notes.push(m.params);
    else waiting.get(m.id)?.(m);
  });
  let next = 1;
  const call = (method: string, params: unknown[] = []) =>
    new Promise<{ result?: unknown; error?: { code: number } }>((resolve) => {
      const rid = next++;
      waiting.set(rid, resolve as (v: unknown) => void);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: rid, method, params }));
    });
  return { ws, notes, call };
}

describe('web3 subscriptions over WebSocket', () => {
  let f: Awaited<ReturnType<typeof web3Fixture>>;
  before(async () => {
    f = await web3Fixture();
  });
  after(() => f.close());

  it('notifies new heads and matching logs, until unsubscribed', async () => {
    const c = await connect(f.url);
    const heads = (await c.call('eth_subscribe', ['newHeads'])).result as string;
    const address = getCreateAddress({ from: alice.address, nonce: 0 });
    const logs = (
      await c.call('eth_subscribe', ['logs', { address, topics: [id('Incremented(address,uint256)')] }])
    ).result as string;
    const sign = (tx: Record<string, unknown>) =>
      alice.signTransaction({ chainId: CHAIN_ID, gasLimit: 1_000_000n, gasPrice: GWEI, type: 0, ...tx });
    await f.result('eth_sendRawTransaction', [
      await sign({ nonce: 0, data: `${counter.bytecode}${'0'.repeat(64)}` }),
    ]);
    const first = await f.mine();
    const data = counter.abi.encodeFunctionData('increment');
    const hash = await f.result('eth_sendRawTransaction', [await sign({ nonce: 1, to: address, data })]);
    await f.mine();
    await new Promise((r) => setTimeout(r, 100));
    const headNumbers = c.notes.filter((n) => n.subscription === heads).map((n) => n.result.number);
    assert.deepEqual(headNumbers, [`0x${first.toString(16)}`, `0x${(first + 1n).toString(16)}`]);
    const logNotes = c.notes.filter((n) => n.subscription === logs);
    assert.deepEqual(
      logNotes.map((n) => n.result.transactionHash),
      [hash],
    );
    assert.equal((await c.call('eth_unsubscribe', [heads])).result, true);
    assert.equal((await c.call('eth_unsubscribe', [heads])).result, false);
    await f.mine();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.notes.filter((n) => n.subscription === heads).length, 2);
    assert.equal((await c.call('eth_subscribe', ['pendingTransactions'])).error?.code, -32602);
    c.ws.close();
  });

  it('refuses subscriptions over HTTP', async () => {
    assert.equal((await f.call('eth_subscribe', ['newHeads'])).error?.code, -32001);
  });
});

/**
 * The dashboard's JSON endpoints against a real single-validator node run in this process: after a
 * delegation and a partial reclaim, every endpoint's answer is checked against the node's committed state
 * read directly (staking and registry readers), and the block stream, static files and errors are checked
 * over HTTP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { evmActivity } from '../../../src/api/dashboard/evm.ts';
import { NodeClient } from '../../../src/api/grpc_client.ts';
import { fromHex, toHex } from '../../../src/codec/bytes.ts';
import { decodeCanonical } from '../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  signTransaction,
  transactionHash,
} from '../../../src/consensus/api/transaction.ts';
import { addressFromPublicKey, addressToBech32 } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import type { LocalnetManifest } from '../../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../../src/localnet/prepare.ts';
import { loadConfig } from '../../../src/node/config.ts';
import { Node } from '../../../src/node/node.ts';
import { RegistryStateReader } from '../../../src/services/registry/state.ts';
import { StakingStateReader } from '../../../src/services/staking/state.ts';
import { contracts } from '../../runtime/process/paratimes/evm/fixtures/contracts.ts';
import { alice, CHAIN_ID, GWEI } from '../../runtime/process/paratimes/evm/helpers.ts';
import { web3Fixture } from '../web3/fixture.ts';

// biome-ignore lint/suspicious/noExplicitAny: endpoint answers are untyped JSON, checked field by field
type Json = Record<string, any>;

const DELEGATED = 100_000_000_000n;
const RECLAIMED_SHARES = 40_000_000_000n;

describe('dashboard JSON endpoints on a running node', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-dashboard-'));
  let net: LocalnetManifest;
  let node: Node;
  let client: NodeClient;
  let url: string;
  let delegator: Ed25519KeyPair;
  let entityAddress: Uint8Array;
  const txHashes: string[] = [];

  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const res = await fetch(url + path);
    assert.equal(res.headers.get('content-type'), 'application/json');
    return { status: res.status, body: (await res.json()) as Json };
  };
  const ok = async (path: string): Promise<Json> => {
    const { status, body } = await get(path);
    assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };
  /** Submits a staking transaction from the delegator and waits until it is in a block. */
  const submit = async (method: string, body: unknown) => {
    const tx = {
      nonce: node.view.signerNonce(addressFromPublicKey(delegator.publicKey), 0),
      method,
      fee: { amount: 0n, gas: 1_000_000n },
      body,
    };
    const raw = encodeSignedTransaction(signTransaction(delegator, tx, net.chain_context));
    txHashes.push(toHex(transactionHash(raw)));
    assert.equal(await client.call('oasis-core.Consensus', 'SubmitTx', decodeCanonical(raw), 60_000), null);
  };

  before(async () => {
    // Epochs long enough that the reclaim is still debonding when the test reads it.
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 100, epochInterval: 500 });
    node = await Node.start(loadConfig(net.nodes[0]!.config, { dashboard: { address: '127.0.0.1:0' } }));
    url = node.dashboardUrl()!;
    client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
    delegator = Ed25519KeyPair.fromSeed(fromHex(net.accounts[0]!.seed_hex));
    const registry = new RegistryStateReader(node.view.stateAt(node.view.latestHeight() || 1));
    entityAddress = addressFromPublicKey([...registry.entities()][0]!.id);
    await submit('staking.AddEscrow', { account: entityAddress, amount: quantityToBytes(DELEGATED) });
    await submit('staking.ReclaimEscrow', {
      account: entityAddress,
      shares: quantityToBytes(RECLAIMED_SHARES),
    });
    // Enough blocks for the 20-block windows below.
    const deadline = Date.now() + 30_000;
    while (node.view.latestHeight() < 25) {
      assert.ok(Date.now() < deadline, 'the node reaches height 25 within 30 s');
      await sleep(100);
    }
  });

  after(async () => {
    client?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('overview: head, epoch, validators online and the stake the state holds', async () => {
    const o = await ok('api/overview?window=5');
    assert.ok(o.height >= node.view.latestHeight() - 1 && o.height >= 3);
    assert.equal(o.chain_context, net.chain_context);
    assert.deepEqual(o.validators, { total: 1, online: 1 });
    const s = new StakingStateReader(node.view.stateAt(o.height));
    let staked = 0n;
    for (const address of s.addresses()) staked += s.account(address).escrow.active.balance;
    assert.equal(BigInt(o.total_staked), staked);
    assert.equal(BigInt(o.total_supply), s.totalSupply());
    assert.deepEqual(o.token, { symbol: 'TEST', exponent: 9 });
    assert.equal(o.series.length, 5);
    assert.equal(o.series.at(-1).height, o.height);
    for (const p of o.series) assert.ok(p.interval_ms > 0, `block ${p.height} has a positive interval`);
  });

  it('leaderboard: every entity, stake split into self and delegated, uptime and proposals', async () => {
    const board = await ok('api/leaderboard?window=20');
    const registry = new RegistryStateReader(node.view.stateAt(board.height));
    const entities = [...registry.entities()].map((e) => toHex(e.id)).sort();
    assert.deepEqual(board.operators.map((r: Json) => r.entity_id).sort(), entities);
    const row = board.operators.find((r: Json) => r.address === addressToBech32(entityAddress));
    const state = new StakingStateReader(node.view.stateAt(board.height));
    const pool = state.account(entityAddress).escrow.active;
    assert.equal(BigInt(row.stake), pool.balance);
    // The delegator kept 60 of its 100 shares, worth what the pool says a share is worth.
    const kept = state.delegation(addressFromPublicKey(delegator.publicKey), entityAddress).shares;
    assert.equal(kept, DELEGATED - RECLAIMED_SHARES);
    assert.equal(BigInt(row.delegated_stake), (kept * pool.balance) / pool.totalShares);
    assert.equal(BigInt(row.self_stake) + BigInt(row.delegated_stake), BigInt(row.stake));
    assert.equal(row.delegators, 1);
    assert.equal(row.validator, true);
    assert.equal(row.rank, 1);
    // The only validator proposes and signs every block.
    assert.equal(board.window, 20);
    assert.equal(row.uptime, 1);
    assert.equal(row.proposed, 20);
    assert.equal(row.frozen, false);
    assert.deepEqual(row.nodes[0].roles, ['validator']);
  });

  it('blocks: newest first, a block with its transactions, lookups by hash and height', async () => {
    const { blocks } = await ok('api/blocks?limit=3');
    assert.equal(blocks.length, 3);
    assert.deepEqual(
      blocks.map((b: Json) => b.height),
      [blocks[0].height, blocks[0].height - 1, blocks[0].height - 2],
    );
    const hit = await ok(`api/search?q=${txHashes[0]}`);
    assert.equal(hit.kind, 'transaction');
    const block = await ok(`api/blocks/${hit.height}`);
    assert.equal(block.hash, toHex(node.view.block(hit.height)!.hash));
    const tx = block.transactions[hit.index];
    assert.equal(tx.hash, txHashes[0]);
    assert.equal(tx.method, 'staking.AddEscrow');
    assert.equal(tx.sender, net.accounts[0]!.address);
    assert.equal(tx.ok, true);
    assert.equal(tx.body.amount, DELEGATED.toString());
    assert.equal(tx.body.account, addressToBech32(entityAddress));
    const reclaim = await ok(`api/transactions/${txHashes[1]}`);
    assert.equal(reclaim.hash, txHashes[1]);
    assert.equal(reclaim.method, 'staking.ReclaimEscrow');
    assert.equal(reclaim.body.shares, RECLAIMED_SHARES.toString());
    assert.deepEqual(await ok(`api/search?q=${block.hash}`), { kind: 'block', height: hit.height });
    assert.deepEqual(await ok(`api/search?q=${hit.height}`), { kind: 'block', height: hit.height });
    assert.deepEqual(await ok(`api/search?q=${net.accounts[0]!.address}`), {
      kind: 'account',
      address: net.accounts[0]!.address,
    });
  });

  it('accounts: balance, delegation and debonding as the state holds them', async () => {
    const a = await ok(`api/accounts/${net.accounts[0]!.address}`);
    const state = new StakingStateReader(node.view.stateAt(a.height));
    const self = addressFromPublicKey(delegator.publicKey);
    const escrow = state.account(entityAddress).escrow;
    assert.equal(BigInt(a.balance), state.account(self).general.balance);
    assert.equal(a.nonce, '2');
    const kept = DELEGATED - RECLAIMED_SHARES;
    assert.deepEqual(a.delegations, [
      {
        to: addressToBech32(entityAddress),
        shares: kept.toString(),
        amount: ((kept * escrow.active.balance) / escrow.active.totalShares).toString(),
      },
    ]);
    const [debonding] = [...state.debondingDelegations(self)];
    assert.ok(debonding, 'the reclaim is debonding');
    assert.deepEqual(a.debonding, [
      {
        from: addressToBech32(entityAddress),
        shares: debonding.delegation.shares.toString(),
        amount: (
          (debonding.delegation.shares * escrow.debonding.balance) /
          escrow.debonding.totalShares
        ).toString(),
        end_epoch: debonding.delegation.debondEndTime.toString(),
      },
    ]);
    const entity = await ok(`api/accounts/${addressToBech32(entityAddress)}`);
    assert.equal(entity.delegators, 2, 'the entity itself and the test account');
  });

  it('paratimes: none registered on a network without one', async () => {
    const p = await ok('api/paratimes');
    assert.deepEqual(p.paratimes, []);
  });

  it('answers bad requests with 400 and unknown things with 404, in JSON', async () => {
    for (const [path, status, code] of [
      ['api/overview?window=0', 400, 'bad_request'],
      ['api/blocks?limit=1000', 400, 'bad_request'],
      ['api/accounts/oasis1nonsense', 400, 'bad_request'],
      ['api/search?q=hello', 400, 'bad_request'],
      ['api/blocks/99999999', 404, 'not_found'],
      [`api/transactions/${'00'.repeat(32)}`, 404, 'not_found'],
      ['api/nothing', 404, 'not_found'],
      [`api/evm/${'80'.repeat(32)}`, 404, 'not_found'],
      ['api/evm/whatever?limit=0', 404, 'not_found'],
    ] as const) {
      const { status: got, body } = await get(path);
      assert.equal(got, status, path);
      assert.equal(body.error.code, code, path);
    }
    assert.equal((await fetch(`${url}api/overview`, { method: 'POST' })).status, 405);
  });

  it("evm: serves the Ethereum index attached to the view (as the node attaches web3's)", async () => {
    const f = await web3Fixture();
    try {
      const deploy = await alice.signTransaction({
        chainId: CHAIN_ID,
        gasLimit: 1_000_000n,
        gasPrice: GWEI,
        type: 0,
        nonce: 0,
        data: `${contracts.Counter!.bytecode}${'0'.repeat(63)}5`,
      });
      const hash = await f.result<string>('eth_sendRawTransaction', [deploy]);
      await f.mine();
      const id = toHex(f.chain.runtimeId);
      node.view.attachEthIndex(id, f.store);
      const body = await ok(`api/evm/${id}?limit=5`);
      assert.deepEqual(body, evmActivity(f.store, id, 5));
      assert.equal(body.head, '1');
      assert.deepEqual(
        body.contracts.map((c: Json) => c.tx_hash),
        [hash],
      );
      assert.equal((await get(`api/evm/${id}?limit=1000`)).status, 400);
    } finally {
      await f.close();
    }
  });

  it('serves the app and its pinned libraries, and nothing else', async () => {
    const page = await fetch(url);
    assert.match(await page.text(), /<script type="importmap">/);
    const preact = await fetch(`${url}vendor/preact.mjs`);
    assert.equal(preact.status, 200);
    assert.match(preact.headers.get('content-type')!, /javascript/);
    assert.equal((await fetch(`${url}app.js`)).status, 200);
    assert.equal((await fetch(`${url}pages/leaderboard.js`)).status, 200);
    assert.equal((await fetch(`${url}package.json`)).status, 404);
    assert.equal((await fetch(`${url}vendor/../../package.json`)).status, 404);
  });

  it('announces each committed block on /api/events', async () => {
    const start = node.view.latestHeight();
    const controller = new AbortController();
    const res = await fetch(`${url}api/events`, { signal: controller.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!/event: block\ndata: .*\n\n/.test(text)) {
      assert.ok(Date.now() < deadline, 'a block event within 10 s');
      const { value, done } = await reader.read();
      assert.ok(!done);
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const event = JSON.parse(/event: block\ndata: (.*)\n\n/.exec(text)![1]!);
    assert.ok(event.height > start);
    assert.equal(event.hash, toHex(node.view.block(event.height)!.hash));
  });
});

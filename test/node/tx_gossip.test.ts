/**
 * Transaction gossip between two nodes' mempools over the in-memory P2P host, with the real staking
 * application behind each pool: a client's transactions reach the peer batched in one message, in nonce
 * order; a forged transaction in a batch stays out, and a malformed batch counts against its sender.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import {
  encodeSignedTransaction,
  openSignedTransaction,
  signTransaction,
} from '../../src/consensus/api/transaction.ts';
import { VerifyPool } from '../../src/crypto/verify_pool.ts';
import { Mempool } from '../../src/mempool/mempool.ts';
import { consensusTopics, TxGossip } from '../../src/node/consensus_gossip.ts';
import { MemoryHost, MemoryNetwork } from '../../src/p2p/memory_host.ts';
import { decodeTxBatch, encodeTxBatch } from '../../src/p2p/tx_batch.ts';
import { MuxApplication } from '../../src/services/mux/application.ts';
import { fixedIntervalEpochs } from '../../src/services/mux/epoch.ts';
import { ServiceMux } from '../../src/services/mux/mux.ts';
import { staticPipelineParameters } from '../../src/services/mux/params.ts';
import { BodyEncoders, StakingMethods } from '../../src/services/staking/api/methods.ts';
import { stakingAuthHandler } from '../../src/services/staking/auth.ts';
import { StakingService } from '../../src/services/staking/service.ts';
import { openMkvs } from '../../src/state/mkvs/versioned.ts';
import { addr, CHAIN_CONTEXT, key, makeGenesis } from '../services/staking/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-txgossip-'));
const pool = new VerifyPool();
after(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

async function peer(net: MemoryNetwork, n: number) {
  const mux = new ServiceMux({
    services: [new StakingService()],
    authHandler: stakingAuthHandler,
    epochs: fixedIntervalEpochs(10),
    chainContext: CHAIN_CONTEXT,
    parameters: staticPipelineParameters({
      maxTxSize: 32768,
      maxBlockGas: 0n,
      minGasPrice: 0n,
      gasCosts: {},
    }),
    verifier: pool.verify,
  });
  const state = await openMkvs(join(dir, `peer-${n}`));
  const app = new MuxApplication({ mux, state, genesis: () => ({ staking: makeGenesis([[1, 1000n]]) }) });
  await app.initChain({ chainId: 'test', time: 0, initialHeight: 1 });
  await app.finalizeBlock({
    height: 1,
    time: 1,
    proposer: key(9).publicKey,
    lastCommit: [],
    misbehavior: [],
    txs: [],
    hash: new Uint8Array(32),
  });
  await app.commit();
  const host = new MemoryHost(net, new Uint8Array(32).fill(n));
  await host.start();
  const mempool = new Mempool(app);
  return { host, mempool, gossip: new TxGossip(host, CHAIN_CONTEXT, mempool), state };
}

const transfer = (nonce: bigint) =>
  encodeSignedTransaction(
    signTransaction(
      key(1),
      {
        nonce,
        method: StakingMethods.transfer,
        fee: { amount: 1n, gas: 10_000n },
        body: BodyEncoders.transfer({ to: addr(2), amount: 1n }),
      },
      CHAIN_CONTEXT,
    ),
  );

const until = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition met in time');
};

describe('transaction gossip', { timeout: 30_000 }, () => {
  it('sends a batch per flush into the peer pool, keeps forged transactions out, rejects malformed batches', async () => {
    const net = new MemoryNetwork();
    const a = await peer(net, 1);
    const b = await peer(net, 2);
    await a.host.connect(b.host.self);
    const topic = consensusTopics(CHAIN_CONTEXT).txs;
    const sent: Uint8Array[][] = [];
    const publish = a.host.publish.bind(a.host);
    a.host.publish = (t, data) => {
      if (t === topic && sent.length === 0) sent.push(decodeTxBatch(data));
      return publish(t, data);
    };

    await Promise.all([0n, 1n, 2n].map((n) => a.gossip.submit(transfer(n))));
    await until(() => b.mempool.size === 3);
    assert.equal(sent[0]?.length, 3, 'one message for the three');
    assert.deepEqual(
      b.mempool.reap(1 << 20).map((tx) => openSignedTransaction(tx, CHAIN_CONTEXT).tx.nonce),
      [0n, 1n, 2n],
    );

    // A batch's good transactions enter the pool, a forged one does not; a malformed batch is rejected.
    const forged = decodeCanonical(transfer(4n)) as { signature: { signature: Uint8Array } };
    forged.signature.signature = forged.signature.signature.slice();
    forged.signature.signature[0]! ^= 1;
    await a.host.publish(topic, encodeTxBatch([transfer(3n), encodeCanonical(forged)]));
    await until(() => b.mempool.size === 4);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.mempool.size, 4);
    assert.deepEqual(b.host.penalties, []);
    await a.host.publish(topic, encodeCanonical(['not bytes']));
    await until(() => b.host.penalties.length > 0);
    assert.deepEqual(b.host.penalties, [{ peer: a.host.self, reason: 'invalid gossip' }]);
    await a.state.close();
    await b.state.close();
  });
});

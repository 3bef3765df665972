/**
 * Overload on a real single-validator node run in this process, over its gRPC socket: once its mempool is
 * full, `SubmitTxNoWait` is refused at once with the coded `mempool is full` error, and the node keeps
 * answering (status, new heights) instead of queueing submissions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import { encodeSignedTransaction, signTransaction } from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { CodedError } from '../../src/errors.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';

const POOL = 16;

describe('a node with a full mempool', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-overload-'));
  let net: LocalnetManifest;
  let node: Node;
  let client: NodeClient;

  before(async () => {
    // Slow blocks, so the pool fills between two of them.
    net = await prepareLocalnet({ dir, validators: 1, accounts: 2, timeoutCommitMs: 3000 });
    node = await Node.start(loadConfig(net.nodes[0]!.config, { mempool: { max_txs: POOL } }));
    client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
  });

  after(async () => {
    client?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses submissions at once with mempool error 1 and keeps answering', async () => {
    const key = Ed25519KeyPair.fromSeed(fromHex(net.accounts[0]!.seed_hex));
    const to = addressFromPublicKey(Ed25519KeyPair.fromSeed(fromHex(net.accounts[1]!.seed_hex)).publicKey);
    let nonce = node.view.signerNonce(addressFromPublicKey(key.publicKey), 0);
    const submit = () => {
      const tx = { nonce: nonce++, method: 'staking.Transfer', fee: { amount: 0n, gas: 1_000_000n } };
      const body = { ...tx, body: { to, amount: quantityToBytes(1n) } };
      const signed = decodeCanonical(encodeSignedTransaction(signTransaction(key, body, net.chain_context)));
      return client.call('oasis-core.Consensus', 'SubmitTxNoWait', signed, 10_000);
    };

    // Fill the pool (a block may take some in between; keep going until the node refuses).
    let refusal: unknown;
    let refusalMs = 0;
    for (let i = 0; i < POOL * 20 && refusal === undefined; i++) {
      const t0 = Date.now();
      try {
        await submit();
      } catch (err) {
        refusal = err;
        refusalMs = Date.now() - t0;
      }
    }
    assert.ok(CodedError.is(refusal, 'mempool', 1), `refused as full: ${String(refusal)}`);
    assert.ok(refusalMs < 1000, `refused in ${refusalMs} ms`);
    nonce--; // the refused nonce is still the next one

    // Still responsive: answers a query and keeps making blocks, which drain the pool.
    const height = node.view.latestHeight();
    const status = (await client.call('oasis-core.NodeController', 'GetStatus', null, 5000)) as object;
    assert.ok(status);
    const deadline = Date.now() + 30_000;
    while (node.view.latestHeight() <= height + 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(node.view.latestHeight() > height + 1, 'new blocks after the refusal');
    await submit(); // the blocks drained the pool: accepted again
  });
});

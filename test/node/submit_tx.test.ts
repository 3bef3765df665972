/**
 * Consensus `SubmitTx` against a real single-validator node run in this process, over its gRPC socket:
 * the same signed transaction submitted twice at once answers both callers with the block's result.
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
import { StakingStateReader } from '../../src/services/staking/state.ts';

describe('consensus SubmitTx on a running node', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-submit-'));
  let net: LocalnetManifest;
  let node: Node;
  let client: NodeClient;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 100 });
    node = await Node.start(loadConfig(net.nodes[0]!.config));
    client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
  });

  after(async () => {
    client?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers both callers when the same signed transaction is submitted twice at once', async () => {
    const key = Ed25519KeyPair.fromSeed(fromHex(net.accounts[0]!.seed_hex));
    const recipient = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9)).publicKey);
    const balance = () =>
      new StakingStateReader(node.view.stateAt(node.view.latestHeight())).account(recipient).general.balance;
    const tx = {
      nonce: node.view.signerNonce(addressFromPublicKey(key.publicKey), 0),
      method: 'staking.Transfer',
      fee: { amount: 0n, gas: 1_000_000n },
      body: { to: recipient, amount: quantityToBytes(1234n) },
    };
    const signed = decodeCanonical(encodeSignedTransaction(signTransaction(key, tx, net.chain_context)));
    const submit = () => client.call('oasis-core.Consensus', 'SubmitTx', signed, 60_000);

    const answers = await Promise.all([submit(), submit()]);
    assert.deepEqual(answers, [null, null], 'both callers get the (successful) result of the block');
    assert.equal(balance(), 1234n, 'executed once');

    // Once it is in a block, submitting it again is a duplicate (consensus 5), as oasis-core answers.
    await assert.rejects(submit(), (e) => CodedError.is(e, 'consensus', 5));
  });
});

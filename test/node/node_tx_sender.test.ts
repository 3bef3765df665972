/**
 * The node's own consensus transactions share one nonce sequence: consecutive nonces within a state,
 * continuing ahead of the committed nonce, restarting from it after a refused submission or when it has not
 * moved for `STALLED_NONCE_HEIGHTS` heights. Committed nonces come from a real staking state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../src/codec/bytes.ts';
import { openSignedTransaction, TX_MODULE } from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { CodecError, CodedError } from '../../src/errors.ts';
import { type NodeTx, NodeTxSender, STALLED_NONCE_HEIGHTS } from '../../src/node/node_tx_sender.ts';
import { emptyAccount } from '../../src/services/staking/api/account.ts';
import { StakingState } from '../../src/services/staking/state.ts';
import type { StateReader } from '../../src/state/api.ts';
import { memoryState } from '../../src/state/overlay.ts';

const CHAIN = toHex(sha512_256(utf8('node tx sender tests')));
const node = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
const nodeAddress = addressFromPublicKey(node.publicKey);

/** A committed state in which the node's account has nonce `nonce` (and some balance). */
function committed(nonce: bigint): StateReader {
  const state = memoryState();
  const account = emptyAccount();
  account.general.nonce = nonce;
  account.general.balance = 1_000n;
  new StakingState(state).setAccount(nodeAddress, account);
  return state;
}

const duty = (n: number): NodeTx => ({ method: 'registry.RegisterNode', body: { duty: n } });

/** A sender whose submissions land in `submitted` (opened), or are refused while `refuse` is set. */
function sender() {
  const submitted: bigint[] = [];
  const control = { refuse: false };
  const s = new NodeTxSender(node, CHAIN, async (raw) => {
    if (control.refuse) throw new CodedError(TX_MODULE, 2, 'invalid nonce');
    submitted.push(openSignedTransaction(raw, CHAIN).tx.nonce);
  });
  return { s, submitted, control };
}

describe('node transaction sender', () => {
  it('signs for the chain with the node key, fee 0 and the given gas', async () => {
    const raws: Uint8Array[] = [];
    const s = new NodeTxSender(node, CHAIN, async (raw) => {
      raws.push(raw);
    });
    await s.send(committed(4n), 10, duty(1), 12_345n);
    const opened = openSignedTransaction(raws[0]!, CHAIN);
    assert.deepEqual(opened.signer, node.publicKey);
    assert.deepEqual(opened.tx, {
      nonce: 4n,
      fee: { amount: 0n, gas: 12_345n },
      method: 'registry.RegisterNode',
      body: Object.assign(Object.create(null), { duty: 1 }),
    });
    assert.throws(() => openSignedTransaction(raws[0]!, 'b'.repeat(64)), 'bound to the chain context');
  });

  it('gives consecutive nonces to sends within one state, from the committed nonce', async () => {
    const { s, submitted } = sender();
    const state = committed(5n);
    await Promise.all([
      s.send(state, 10, duty(1), 1n),
      s.send(state, 10, duty(2), 1n),
      s.send(state, 10, duty(3), 1n),
    ]);
    assert.deepEqual(submitted, [5n, 6n, 7n]);
  });

  it('continues from its last nonce while that is ahead of the committed one', async () => {
    const { s, submitted } = sender();
    for (const n of [1, 2, 3]) await s.send(committed(5n), 10, duty(n), 1n); // 5, 6, 7 pending
    await s.send(committed(6n), 11, duty(4), 1n); // 5 committed: 8
    await s.send(committed(9n), 12, duty(5), 1n); // all committed: 9
    await s.send(committed(12n), 13, duty(6), 1n); // the key was used elsewhere: the committed 12
    await s.send(committed(12n), 13, duty(7), 1n);
    assert.deepEqual(submitted, [5n, 6n, 7n, 8n, 9n, 12n, 13n]);
  });

  it('restarts from the committed nonce after a refused submission', async () => {
    const { s, submitted, control } = sender();
    await s.send(committed(5n), 10, duty(1), 1n);
    await s.send(committed(5n), 10, duty(2), 1n);
    control.refuse = true;
    await assert.rejects(s.send(committed(5n), 11, duty(3), 1n), (err) => CodedError.is(err, TX_MODULE, 2));
    control.refuse = false;
    await s.send(committed(6n), 11, duty(4), 1n);
    await s.send(committed(6n), 11, duty(5), 1n);
    assert.deepEqual(submitted, [5n, 6n, 6n, 7n]);
  });

  it('a transaction that cannot be signed uses up no nonce', async () => {
    const { s, submitted } = sender();
    await s.send(committed(5n), 10, duty(1), 1n);
    assert.throws(
      () => s.send(committed(5n), 10, { method: 'x', body: { broken: undefined } }, 1n),
      CodecError,
    );
    await s.send(committed(5n), 10, duty(2), 1n);
    assert.deepEqual(submitted, [5n, 6n]);
  });

  it(`restarts from the committed nonce once it has not moved for ${STALLED_NONCE_HEIGHTS} heights`, async () => {
    const { s, submitted } = sender();
    const stuck = committed(5n);
    await s.send(stuck, 100, duty(1), 1n); // 5
    await s.send(stuck, 101, duty(2), 1n); // 6
    await s.send(stuck, 100 + STALLED_NONCE_HEIGHTS - 1, duty(3), 1n); // 7: not stalled yet
    await s.send(stuck, 100 + STALLED_NONCE_HEIGHTS, duty(4), 1n); // stalled: 5 again
    await s.send(stuck, 101 + STALLED_NONCE_HEIGHTS, duty(5), 1n); // 6: the new sequence continues
    await s.send(stuck, 100 + 2 * STALLED_NONCE_HEIGHTS - 1, duty(6), 1n); // 7
    await s.send(stuck, 100 + 2 * STALLED_NONCE_HEIGHTS, duty(7), 1n); // stalled again: 5
    assert.deepEqual(submitted, [5n, 6n, 7n, 5n, 6n, 7n, 5n]);
  });

  it('a committed nonce that moves keeps the sequence from counting as stalled', async () => {
    const { s, submitted } = sender();
    await s.send(committed(5n), 100, duty(1), 1n); // 5
    await s.send(committed(5n), 100, duty(2), 1n); // 6
    await s.send(committed(6n), 100 + STALLED_NONCE_HEIGHTS - 1, duty(3), 1n); // moved: 7
    await s.send(committed(6n), 100 + STALLED_NONCE_HEIGHTS + 5, duty(4), 1n); // 6 seen for 6 heights: 8
    assert.deepEqual(submitted, [5n, 6n, 7n, 8n]);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DoubleSignError, SignStep } from '../../../src/consensus/api/durability.ts';
import {
  MessageType,
  proposalSignBytes,
  signProposal,
  signVote,
  voteSignBytes,
} from '../../../src/consensus/api/vote.ts';
import {
  createGuard,
  FileSignStateStore,
  MemorySignStateStore,
  PRIVVAL_MODULE,
  type SignState,
  type SignStateStore,
} from '../../../src/consensus/privval/guard.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { CodedError } from '../../../src/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'oasis-ts-guard-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const statePath = () => join(root, `node-${n++}`, 'priv_validator_state.cbor');

const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3));
const chain = 'guard-test-chain';
const hashA = new Uint8Array(32).fill(0xaa);
const hashB = new Uint8Array(32).fill(0xbb);
const prevote = (height: number, round: number, blockHash: Uint8Array | null) => ({
  type: MessageType.prevote,
  height,
  round,
  blockHash,
  timestamp: 1_700_000_000_000,
});

/** A memory store whose saves take a while, so concurrent sign calls overlap inside the guard. */
class SlowStore implements SignStateStore {
  readonly inner = new MemorySignStateStore();
  saves = 0;
  load() {
    return this.inner.load();
  }
  async save(s: SignState) {
    this.saves++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await this.inner.save(s);
  }
}

describe('double-sign guard', () => {
  it('produces exactly the signatures of signVote and signProposal', async () => {
    const guard = await createGuard(key, chain, new MemorySignStateStore());
    assert.deepEqual(guard.publicKey, key.publicKey);
    const p = { height: 5, round: 0, polRound: -1, blockHash: hashA, timestamp: 1 };
    const proposalSig = await guard.sign(5, 0, SignStep.propose, proposalSignBytes(p));
    assert.deepEqual(proposalSig, signProposal(key, p, chain).signature);
    const v = prevote(5, 0, hashA);
    assert.deepEqual(
      await guard.sign(5, 0, SignStep.prevote, voteSignBytes(v)),
      signVote(key, v, chain).signature,
    );
  });

  it('re-releases the same signature for identical bytes and refuses a conflicting vote', async () => {
    const guard = await createGuard(key, chain, new MemorySignStateStore());
    const first = await guard.sign(3, 1, SignStep.prevote, voteSignBytes(prevote(3, 1, hashA)));
    assert.deepEqual(await guard.sign(3, 1, SignStep.prevote, voteSignBytes(prevote(3, 1, hashA))), first);
    await assert.rejects(
      guard.sign(3, 1, SignStep.prevote, voteSignBytes(prevote(3, 1, hashB))),
      DoubleSignError,
    );
    await assert.rejects(
      guard.sign(3, 1, SignStep.prevote, voteSignBytes(prevote(3, 1, null))),
      DoubleSignError,
    );
    await assert.rejects(guard.sign(3, 0, SignStep.precommit, new Uint8Array([1])), DoubleSignError);
    await assert.rejects(guard.sign(2, 9, SignStep.precommit, new Uint8Array([1])), DoubleSignError);
    // A refused call does not stop later valid ones.
    assert.equal((await guard.sign(3, 1, SignStep.precommit, new Uint8Array([1]))).length, 64);
  });

  it('remembers the last signature across a restart from the file store', async () => {
    const path = statePath();
    const guard = await createGuard(key, chain, new FileSignStateStore(path));
    await guard.sign(8, 0, SignStep.prevote, voteSignBytes(prevote(8, 0, hashB)));
    const sig = await guard.sign(8, 2, SignStep.prevote, voteSignBytes(prevote(8, 2, hashA)));
    const restarted = await createGuard(key, chain, new FileSignStateStore(path));
    assert.deepEqual(await restarted.sign(8, 2, SignStep.prevote, voteSignBytes(prevote(8, 2, hashA))), sig);
    await assert.rejects(
      restarted.sign(8, 2, SignStep.prevote, voteSignBytes(prevote(8, 2, hashB))),
      DoubleSignError,
    );
    await assert.rejects(restarted.sign(8, 1, SignStep.precommit, new Uint8Array([0])), DoubleSignError);
    assert.deepEqual((await new FileSignStateStore(path).load())?.signature, sig);
  });

  it('persists the new state before releasing the signature', async () => {
    const store = new MemorySignStateStore();
    const guard = await createGuard(key, chain, store);
    const bytes = voteSignBytes(prevote(4, 0, hashA));
    const sig = await guard.sign(4, 0, SignStep.prevote, bytes);
    assert.deepEqual(await store.load(), {
      height: 4,
      round: 0,
      step: SignStep.prevote,
      signBytes: bytes,
      signature: sig,
    });
  });

  it('never lets two concurrent calls at one position both pass', async () => {
    const store = new SlowStore();
    const guard = await createGuard(key, chain, store);
    const results = await Promise.allSettled([
      guard.sign(6, 0, SignStep.prevote, voteSignBytes(prevote(6, 0, hashA))),
      guard.sign(6, 0, SignStep.prevote, voteSignBytes(prevote(6, 0, hashB))),
      guard.sign(6, 0, SignStep.propose, new Uint8Array([1])),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected'],
    );
    assert.equal(store.saves, 1);
    assert.ok((results[1] as PromiseRejectedResult).reason instanceof DoubleSignError);
  });

  it('releases nothing and stays consistent when saving fails', async () => {
    const path = statePath();
    const store = new FileSignStateStore(path);
    const guard = await createGuard(key, chain, store);
    await guard.sign(1, 0, SignStep.prevote, new Uint8Array([1]));
    rmSync(join(path, '..'), { recursive: true });
    // Replace the directory by a file: mkdir and the temp-file write now fail.
    writeFileSync(join(path, '..'), 'not a directory');
    await assert.rejects(guard.sign(1, 0, SignStep.precommit, new Uint8Array([2])), /EEXIST|ENOTDIR/);
    rmSync(join(path, '..'));
    // The failed position was never released, so signing it (or anything higher) remains allowed.
    assert.equal((await guard.sign(1, 0, SignStep.precommit, new Uint8Array([3]))).length, 64);
  });

  it('refuses a state file made by another key or for another chain', async () => {
    const path = statePath();
    const guard = await createGuard(key, chain, new FileSignStateStore(path));
    await guard.sign(2, 0, SignStep.prevote, new Uint8Array([1]));
    const otherKey = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(4));
    await assert.rejects(createGuard(otherKey, chain, new FileSignStateStore(path)), (e) =>
      CodedError.is(e, PRIVVAL_MODULE, 2),
    );
    await assert.rejects(createGuard(key, 'other-chain', new FileSignStateStore(path)), (e) =>
      CodedError.is(e, PRIVVAL_MODULE, 2),
    );
  });

  it('refuses to start without a chain context', async () => {
    await assert.rejects(createGuard(key, '', new MemorySignStateStore()), /needs a chain context/);
  });
});

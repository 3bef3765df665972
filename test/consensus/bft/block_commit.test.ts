import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import {
  type Block,
  blockHash,
  bodyHashMismatch,
  decodeBlock,
  encodeBlock,
  itemsHash,
  lastCommitHashOf,
  txsHash,
} from '../../../src/consensus/api/block.ts';
import { buildCommit, type Commit, CommitFlag, verifyCommit } from '../../../src/consensus/api/commit.ts';
import { MessageType, signVote, type Vote } from '../../../src/consensus/api/vote.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';

const CHAIN = 'test-chain';
const keys = [1, 2, 3, 4].map((i) => Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(i)));
const validators = keys.map((k) => ({ publicKey: k.publicKey, power: 10n }));

function precommit(k: Ed25519KeyPair, hash: Uint8Array | null, round = 0, height = 5): Vote {
  return signVote(
    k,
    { type: MessageType.precommit, height, round, blockHash: hash, timestamp: 1000 + height },
    CHAIN,
  );
}

function block(lastCommit: Commit | null): Block {
  const txs = [utf8('a=1'), utf8('b=2')];
  return {
    header: {
      height: 6,
      time: 1_700_000_000_000,
      chainId: CHAIN,
      lastBlockHash: EMPTY_HASH,
      lastCommitHash: lastCommitHashOf(lastCommit),
      dataHash: txsHash(txs),
      evidenceHash: itemsHash([]),
      validatorsHash: EMPTY_HASH,
      nextValidatorsHash: EMPTY_HASH,
      appHash: EMPTY_HASH,
      proposer: keys[0]!.publicKey,
    },
    txs,
    lastCommit,
    evidence: [],
  };
}

describe('commit certificates', () => {
  const hash = new Uint8Array(32).fill(7);
  it('builds entries in set order and verifies >2/3 commit power', () => {
    const votes = new Map([
      [toHex(keys[0]!.publicKey), precommit(keys[0]!, hash)],
      [toHex(keys[1]!.publicKey), precommit(keys[1]!, null)],
      [toHex(keys[2]!.publicKey), precommit(keys[2]!, hash)],
      [toHex(keys[3]!.publicKey), precommit(keys[3]!, hash)],
    ]);
    const c = buildCommit(5, 0, hash, validators, votes);
    assert.deepEqual(
      c.signatures.map((s) => s.flag),
      [CommitFlag.commit, CommitFlag.nil, CommitFlag.commit, CommitFlag.commit],
    );
    assert.equal(verifyCommit(c, validators, CHAIN, 5, hash), 30n);
    assert.throws(() => verifyCommit(c, validators, 'other-chain', 5, hash), CodedError);
    assert.throws(() => verifyCommit(c, validators, CHAIN, 6, hash), CodedError);
    assert.throws(() => verifyCommit(c, validators.slice(1), CHAIN, 5, hash), CodedError);
  });
  it('rejects exactly two thirds and forged entries', () => {
    const two = new Map([
      [toHex(keys[0]!.publicKey), precommit(keys[0]!, hash)],
      [toHex(keys[1]!.publicKey), precommit(keys[1]!, null)],
      [toHex(keys[2]!.publicKey), precommit(keys[2]!, hash)],
    ]);
    const c = buildCommit(5, 0, hash, [...validators.slice(0, 3)], two);
    assert.throws(() => verifyCommit(c, validators.slice(0, 3), CHAIN, 5, hash), /not above two thirds/);
    // turn the nil entry into a commit entry: its signature no longer matches
    const forged: Commit = {
      ...c,
      signatures: c.signatures.map((s) =>
        s.flag === CommitFlag.nil ? { ...s, flag: CommitFlag.commit } : s,
      ),
    };
    assert.throws(() => verifyCommit(forged, validators.slice(0, 3), CHAIN, 5, hash), /bad signature/);
  });
  it('leaves precommits of another round or block absent', () => {
    const votes = new Map([
      [toHex(keys[0]!.publicKey), precommit(keys[0]!, hash, 1)],
      [toHex(keys[1]!.publicKey), precommit(keys[1]!, new Uint8Array(32).fill(9))],
    ]);
    const c = buildCommit(5, 0, hash, validators, votes);
    assert.ok(c.signatures.every((s) => s.flag === CommitFlag.absent));
  });
});

describe('blocks', () => {
  it('round-trips canonical CBOR and hashes the header', () => {
    const votes = new Map(keys.map((k) => [toHex(k.publicKey), precommit(k, new Uint8Array(32).fill(3))]));
    const b = block(buildCommit(5, 0, new Uint8Array(32).fill(3), validators, votes));
    const bytes = encodeBlock(b);
    const back = decodeBlock(bytes);
    assert.deepEqual(back, b);
    assert.deepEqual(encodeBlock(back), bytes);
    assert.deepEqual(blockHash(back.header), blockHash(b.header));
    assert.equal(bodyHashMismatch(b), null);
    assert.notDeepEqual(blockHash({ ...b.header, time: b.header.time + 1 }), blockHash(b.header));
  });
  it('detects a body that does not match its header', () => {
    const b = block(null);
    assert.equal(bodyHashMismatch({ ...b, txs: [utf8('evil')] }), 'data_hash');
    assert.equal(bodyHashMismatch({ ...b, evidence: [utf8('x')] }), 'evidence_hash');
    assert.equal(
      bodyHashMismatch({ ...b, lastCommit: { height: 5, round: 0, blockHash: EMPTY_HASH, signatures: [] } }),
      'last_commit_hash',
    );
  });
  it('rejects unknown fields and wrong hash sizes', () => {
    const b = block(null);
    const bad = encodeBlock({ ...b, header: { ...b.header, appHash: new Uint8Array(31) } });
    assert.throws(() => decodeBlock(bad), CodedError);
  });
});

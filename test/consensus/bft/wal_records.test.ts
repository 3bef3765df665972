import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { itemsHash, txsHash } from '../../../src/consensus/api/block.ts';
import { MessageType, signProposal, signVote } from '../../../src/consensus/api/vote.ts';
import { type ConsensusMessage, decodeMessage, encodeMessage } from '../../../src/consensus/bft/messages.ts';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from '../../../src/consensus/bft/wal_records.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';

const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
const vote = signVote(
  key,
  { type: MessageType.precommit, height: 3, round: 1, blockHash: null, timestamp: 123 },
  'c',
);
const block = {
  header: {
    height: 3,
    time: 1,
    chainId: 'c',
    lastBlockHash: EMPTY_HASH,
    lastCommitHash: EMPTY_HASH,
    dataHash: txsHash([utf8('a=b')]),
    evidenceHash: itemsHash([]),
    validatorsHash: EMPTY_HASH,
    nextValidatorsHash: EMPTY_HASH,
    appHash: EMPTY_HASH,
    proposer: key.publicKey,
  },
  txs: [utf8('a=b')],
  lastCommit: null,
  evidence: [],
};
const proposal = signProposal(
  key,
  { height: 3, round: 1, polRound: 0, blockHash: EMPTY_HASH, timestamp: 5 },
  'c',
);
const messages: ConsensusMessage[] = [
  { kind: 'vote', vote },
  { kind: 'proposal', proposal, block },
  { kind: 'status', height: 7 },
  {
    kind: 'commit',
    block,
    commit: { height: 3, round: 0, blockHash: EMPTY_HASH, signatures: [{ flag: 1 }] },
  },
];

describe('consensus messages and WAL records', () => {
  it('round-trip every message kind', () => {
    for (const m of messages) assert.deepEqual(decodeMessage(encodeMessage(m)), m);
  });
  it('round-trip every record kind', () => {
    const records: WalRecord[] = [
      ...messages.map((message) => ({ kind: 'peer' as const, from: 'n1', message })),
      { kind: 'own', message: { kind: 'vote', vote } },
      { kind: 'timeout', height: 3, round: 2, step: 'prevote' },
    ];
    for (const r of records) assert.deepEqual(decodeWalRecord(encodeWalRecord(r)), r);
  });
  it('rejects malformed records with a coded error', () => {
    assert.throws(() => decodeWalRecord(encodeCanonical({ timeout: [1, 2] })), CodedError);
    assert.throws(() => decodeWalRecord(encodeCanonical({ timeout: [1, 2, 9] })), CodedError);
    assert.throws(() => decodeWalRecord(encodeCanonical({ own: { vote: 1 } })), CodedError);
  });
});

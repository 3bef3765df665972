import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBase64, fromHex, toBase64, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';
import { type Child, childHash } from '../../../src/state/mkvs/node.ts';
import {
  buildProof,
  decodeProof,
  encodeProof,
  type Proof,
  verifyProof,
} from '../../../src/state/mkvs/proof.ts';
import { insert } from '../../../src/state/mkvs/tree.ts';
import { MEMORY_ONLY } from './helpers.ts';

function numberedTree(count: number): Child {
  let root: Child = null;
  for (let i = 0; i < count; i++) {
    root = insert({ loader: MEMORY_ONLY, gen: 1 }, root, utf8(`key ${i}`), utf8(`value ${i}`));
  }
  return root;
}

// Vectors from oasis-core go/storage/mkvs/syncer_test.go (TestProofV0 / TestProofV1).
const V0_ROOT = fromHex('59e67c2fdc08b8e10dd08bb6b8efe614fcc965ecb89625f97f17f87f07104613');
const V0_ROOT_AND_LEFT =
  'omdlbnRyaWVzhUoBASQAa2V5IDACRgEBAQAAAlghAsFltYRhD4dAwHOdOmEigY1r02pJH6InhiibKlh9neYlWCECpsJnkjOnIgc4+yfvpsqCcIYHh5eld1hNMWTT7arAfHFYIQLhNTLWRbks1RBf52ulnlOTO+7D5EZNMYFzTx8U46sCnm51bnRydXN0ZWRfcm9vdFggWeZ8L9wIuOEN0Iu2uO/mFPzJZey4liX5fxf4fwcQRhM=';
const V1_ROOT = fromHex('a940b9ded7621a2b10497c846f46dc7778397979551d71bee2c07a9319e6aa45');
const V1_KEY_10 =
  'o2F2AWdlbnRyaWVzkEoBASQAa2V5IDAC9kYBAQEAAAL2RgEBAQAAAvZGAQEBAAAC9lghAlF8/rp9QOAd1qSchhUxDtVkpmnze6sjz5IfFhdOuaypRgEBAQCAAlghAldMzQwgHh/Ecm+rF+i31AnOgFYBipBAlcx5Tf5l4yW+VgEABgBrZXkgMTAIAAAAdmFsdWUgMTD2WCECDnYjQhsAp5fD+gf0W5YYFY6CnGURrEETtJvJp+ijH4xYIQKmwmeSM6ciBzj7J++myoJwhgeHl6V3WE0xZNPtqsB8cVghAuE1MtZFuSzVEF/na6WeU5M77sPkRk0xgXNPHxTjqwKebnVudHJ1c3RlZF9yb290WCCpQLne12IaKxBJfIRvRtx3eDl5eVUdcb7iwHqTGeaqRQ==';
const V1_ROOT_AND_LEFT =
  'o2F2AWdlbnRyaWVzh0oBASQAa2V5IDAC9kYBAQEAAAL2WCEC+OrSSPCCo9/QXQt7IsunAp+eUqMndKBCu0NcGHx4HrhYIQKmwmeSM6ciBzj7J++myoJwhgeHl6V3WE0xZNPtqsB8cVghAuE1MtZFuSzVEF/na6WeU5M77sPkRk0xgXNPHxTjqwKebnVudHJ1c3RlZF9yb290WCCpQLne12IaKxBJfIRvRtx3eDl5eVUdcb7iwHqTGeaqRQ==';

function rejects(fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof CodedError);
}

test('our trees have the roots of the oasis-core proof vectors', () => {
  assert.deepEqual(childHash(numberedTree(10)), V0_ROOT);
  assert.deepEqual(childHash(numberedTree(11)), V1_ROOT);
});

test('proof of "key 10" is byte-identical to oasis-core (v1) and verifies', () => {
  const proof = buildProof(MEMORY_ONLY, numberedTree(11), utf8('key 10'));
  assert.equal(toBase64(encodeProof(proof)), V1_KEY_10);
  assert.deepEqual(
    verifyProof(V1_ROOT, utf8('key 10'), decodeProof(fromBase64(V1_KEY_10))),
    utf8('value 10'),
  );
  // The leaf of "key 1" is given by hash only in this proof: it cannot answer for "key 1".
  rejects(() => verifyProof(V1_ROOT, utf8('key 1'), decodeProof(fromBase64(V1_KEY_10))));
});

test('oasis-core partial proofs (v0 and v1) verify; keys they do not cover are refused', () => {
  for (const [root, encoded] of [
    [V0_ROOT, V0_ROOT_AND_LEFT],
    [V1_ROOT, V1_ROOT_AND_LEFT],
  ] as const) {
    const proof = decodeProof(fromBase64(encoded));
    assert.equal(toBase64(encodeProof(proof)), encoded);
    // "key" ends above the root's 36-bit label "key 0…": absent, provable from the root alone.
    assert.equal(verifyProof(root, utf8('key'), proof), undefined);
    rejects(() => verifyProof(root, utf8('key 9'), proof));
    rejects(() => verifyProof(EMPTY_HASH, utf8('key'), proof));
    rejects(() =>
      verifyProof(root, utf8('key'), { ...proof, entries: [...proof.entries, proof.entries[0]!] }),
    );
    rejects(() => verifyProof(root, utf8('key'), { ...proof, entries: proof.entries.slice(0, 3) }));
  }
});

test('inclusion and exclusion proofs for every kind of path', () => {
  const root = numberedTree(200);
  const rootHash = childHash(root);
  const present = ['key 0', 'key 1', 'key 10', 'key 100', 'key 199', 'key 19'];
  for (const k of present) {
    const proof = decodeProof(encodeProof(buildProof(MEMORY_ONLY, root, utf8(k))));
    assert.deepEqual(verifyProof(rootHash, utf8(k), proof), utf8(k.replace('key', 'value')));
  }
  // Absent: ends above a label, diverges from a label, lands on another leaf, ends on a nil leaf slot.
  for (const k of ['', 'k', 'key', 'key 200', 'key 1000', 'kex', 'zzz', 'key 19x']) {
    const proof = decodeProof(encodeProof(buildProof(MEMORY_ONLY, root, utf8(k))));
    assert.equal(verifyProof(rootHash, utf8(k), proof), undefined, k);
  }
  // A proof for one key does not answer for an unrelated one.
  rejects(() => verifyProof(rootHash, utf8('key 150'), buildProof(MEMORY_ONLY, root, utf8('key 0'))));
});

test('v0 proofs (leaf inline in internal nodes) prove the same answers', () => {
  const root = numberedTree(200);
  const rootHash = childHash(root);
  for (const k of ['key 1', 'key 10', 'key 150', 'key', 'key 1x', 'zz']) {
    const proof = decodeProof(encodeProof(buildProof(MEMORY_ONLY, root, utf8(k), 0)));
    assert.equal(proof.v, 0);
    const v1 = buildProof(MEMORY_ONLY, root, utf8(k));
    assert.deepEqual(verifyProof(rootHash, utf8(k), proof), verifyProof(rootHash, utf8(k), v1));
  }
  // In v0 the leaf of "key 1" rides inside its internal node, so the "key 10" proof also answers "key 1".
  const proof = buildProof(MEMORY_ONLY, root, utf8('key 10'), 0);
  assert.deepEqual(verifyProof(rootHash, utf8('key 1'), proof), utf8('value 1'));
});

test('empty tree: the proof is [nil] and proves absence', () => {
  const proof = buildProof(MEMORY_ONLY, null, utf8('anything'));
  assert.deepEqual(proof.entries, [null]);
  assert.equal(verifyProof(EMPTY_HASH, utf8('anything'), decodeProof(encodeProof(proof))), undefined);
});

test('tampering with any byte of an encoded proof makes it fail', () => {
  const root = numberedTree(50);
  const rootHash = childHash(root);
  for (const key of ['key 10', 'key 49', 'key 7x']) {
    const encoded = encodeProof(buildProof(MEMORY_ONLY, root, utf8(key)));
    const expected = verifyProof(rootHash, utf8(key), decodeProof(encoded));
    for (let i = 0; i < encoded.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = new Uint8Array(encoded);
        tampered[i]! ^= mask;
        let outcome: Uint8Array | undefined | 'error';
        try {
          outcome = verifyProof(rootHash, utf8(key), decodeProof(tampered));
        } catch {
          outcome = 'error';
        }
        assert.equal(outcome, 'error', `byte ${i} ^ ${mask} of the proof for ${key} went unnoticed`);
      }
    }
    assert.notEqual(expected, 'error');
  }
});

test('structurally bad proofs are refused with a coded error', () => {
  const root = numberedTree(11);
  const good = buildProof(MEMORY_ONLY, root, utf8('key 10'));
  const variants: Proof[] = [
    { ...good, v: 2 },
    { ...good, entries: [] },
    { ...good, entries: [Uint8Array.of(0x07), ...good.entries.slice(1)] },
    { ...good, entries: [new Uint8Array(0), ...good.entries.slice(1)] },
    { ...good, entries: [good.entries[0]!, good.entries[2]!, ...good.entries.slice(2)] },
    { ...good, entries: good.entries.map((e) => (e !== null && e[0] === 0x02 ? e.subarray(0, 20) : e)) },
    { ...good, entries: good.entries.map((e, i) => (i === 0 ? Uint8Array.of(...e!, 0) : e)) },
  ];
  for (const proof of variants) rejects(() => verifyProof(V1_ROOT, utf8('key 10'), proof));
});

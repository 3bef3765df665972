/**
 * Batch proofs: one proof for several keys (present, absent, prefixes of one another) verifies each key
 * against the committed root in both proof versions, equals the single-key proof for one key, and fails
 * on any tampered entry.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesEqual, toHex, utf8 } from '../../../src/codec/bytes.ts';
import { encodeProof, verifyProof } from '../../../src/state/mkvs/proof.ts';
import { type MkvsState, openMkvs } from '../../../src/state/mkvs/versioned.ts';
import { prng, randomBytes } from './helpers.ts';

describe('MKVS batch proofs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkvs-multi-'));
  let state: MkvsState;
  const values = new Map<string, Uint8Array>();

  before(async () => {
    state = await openMkvs(dir);
    const rand = prng(7);
    const w = state.working();
    for (const k of ['a', 'ab', 'abc', 'abd', 'b', 'ba']) {
      w.set(utf8(k), utf8(`v-${k}`));
      values.set(toHex(utf8(k)), utf8(`v-${k}`));
    }
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(rand, 1 + rand(6));
      const value = randomBytes(rand, 8);
      w.set(key, value);
      values.set(toHex(key), value);
    }
    await state.commit(1);
  });

  after(async () => {
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proves every asked key, present or absent, from one proof in v0 and v1', () => {
    const root = state.rootHash(1);
    const present = [...values.keys()].slice(0, 40).map((h) => Buffer.from(h, 'hex'));
    const asked = [...present, utf8('a'), utf8('abc'), utf8('zz-absent'), utf8('ab\u0000')].map(
      (k) => new Uint8Array(k),
    );
    for (const v of [0, 1]) {
      const proof = state.proveKeys(1, asked, v);
      for (const key of asked) {
        const got = verifyProof(root, key, proof);
        const want = values.get(toHex(key));
        assert.ok(
          want === undefined ? got === undefined : got !== undefined && bytesEqual(got, want),
          toHex(key),
        );
      }
    }
  });

  it('is the single-key proof when asked for one key', () => {
    for (const key of [utf8('ab'), utf8('absent')]) {
      assert.deepEqual(encodeProof(state.proveKeys(1, [key])), encodeProof(state.prove(1, key)));
    }
  });

  it('fails on a tampered entry', () => {
    const keys = [utf8('a'), utf8('abd'), utf8('ba')];
    const proof = state.proveKeys(1, keys);
    const i = proof.entries.findIndex((e) => e !== null && e[0] === 1 && e.length > 10);
    const entries = proof.entries.map((e, j) =>
      j === i ? Uint8Array.from(e!, (b, n) => (n === e!.length - 1 ? b ^ 1 : b)) : e,
    );
    assert.throws(() => verifyProof(state.rootHash(1), utf8('a'), { ...proof, entries }));
  });

  it('lists entries from a start key in key order', () => {
    const got = state.entriesFrom(1, utf8('ab'), 3).map(([k]) => Buffer.from(k).toString());
    assert.deepEqual(got, ['ab', 'abc', 'abd']);
  });
});

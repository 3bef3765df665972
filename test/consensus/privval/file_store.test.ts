import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SignStep } from '../../../src/consensus/api/durability.ts';
import { PRIVVAL_MODULE } from '../../../src/consensus/privval/errors.ts';
import { FileSignStateStore } from '../../../src/consensus/privval/file_store.ts';
import { encodeSignState, type SignState } from '../../../src/consensus/privval/sign_state.ts';
import { CodedError } from '../../../src/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'oasis-ts-privval-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshStore = () => new FileSignStateStore(join(root, `node-${n++}`, 'priv_validator_state.cbor'));

const state = (height: number): SignState => ({
  height,
  round: 1,
  step: SignStep.precommit,
  signBytes: new Uint8Array([height, 7]),
  signature: new Uint8Array(64).fill(height),
});

describe('FileSignStateStore', () => {
  it('loads nothing before the first save, then what was saved last', async () => {
    const store = freshStore();
    assert.equal(await store.load(), undefined);
    await store.save(state(1));
    await store.save(state(2));
    assert.deepEqual(await new FileSignStateStore(store.path).load(), state(2));
  });

  it('writes the file private to the node and leaves no temp file', async () => {
    const store = freshStore();
    await store.save(state(3));
    assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.equal(existsSync(store.tempPath), false);
  });

  it('keeps the last saved state when a crash left a partial temp file', async () => {
    const store = freshStore();
    await store.save(state(4));
    writeFileSync(store.tempPath, encodeSignState(state(5)).subarray(0, 10));
    assert.deepEqual(await store.load(), state(4));
    assert.equal(existsSync(store.tempPath), false, 'leftover temp file removed');
  });

  it('ignores a complete temp file that was never renamed (its signature was never released)', async () => {
    const store = freshStore();
    await store.save(state(4));
    writeFileSync(store.tempPath, encodeSignState(state(6)));
    assert.deepEqual(await store.load(), state(4));
    await store.save(state(7));
    assert.deepEqual(await store.load(), state(7));
  });

  it('refuses to load a corrupt state file instead of starting from nothing', async () => {
    const store = freshStore();
    await store.save(state(4));
    writeFileSync(store.path, encodeSignState(state(4)).subarray(0, 12));
    await assert.rejects(store.load(), (e) => CodedError.is(e, PRIVVAL_MODULE, 1));
  });
});

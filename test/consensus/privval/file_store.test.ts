import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SignStep } from '../../../src/consensus/api/durability.ts';
import { PRIVVAL_MODULE } from '../../../src/consensus/privval/errors.ts';
import {
  FileSignStateStore,
  SIGN_STATE_MAGIC,
  signStateSlotOffset,
} from '../../../src/consensus/privval/file_store.ts';
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

  it('loads back every save of a run, whichever slot it went to', async () => {
    const store = freshStore();
    for (let h = 1; h <= 5; h++) {
      await store.save(state(h));
      assert.deepEqual(await new FileSignStateStore(store.path).load(), state(h));
    }
  });

  it('falls back to the state before when the newest slot was torn by a crash', async () => {
    const store = freshStore();
    await store.save(state(1)); // slot 0 (file created)
    await store.save(state(2)); // slot 1
    await store.save(state(3)); // slot 0
    const fd = openSync(store.path, 'r+');
    writeSync(fd, new Uint8Array([0xff, 0xff]), 0, 2, signStateSlotOffset(0) + 40);
    closeSync(fd);
    assert.deepEqual(await new FileSignStateStore(store.path).load(), state(2));
  });

  it('loads a state file of the earlier single-record format and moves it to the slotted one', async () => {
    const store = freshStore();
    mkdirSync(dirname(store.path), { recursive: true });
    writeFileSync(store.path, encodeSignState(state(8)));
    assert.deepEqual(await store.load(), state(8));
    await store.save(state(9));
    assert.deepEqual(
      readFileSync(store.path).subarray(0, SIGN_STATE_MAGIC.length),
      Buffer.from(SIGN_STATE_MAGIC),
    );
    assert.deepEqual(await new FileSignStateStore(store.path).load(), state(9));
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

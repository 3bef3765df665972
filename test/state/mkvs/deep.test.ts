import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openMkvs } from '../../../src/state/mkvs/versioned.ts';

test('a path 8193 nodes deep (the longest keys allow) commits, reloads, iterates and prunes', async () => {
  // The all-zero key diverges from key i at bit i: its lookup path branches at every bit.
  const length = 1024;
  const dir = mkdtempSync(join(tmpdir(), 'mkvs-deep-'));
  try {
    let state = await openMkvs(dir, { cachedNodes: 100 });
    const w = state.working();
    const zero = new Uint8Array(length);
    w.set(zero, Uint8Array.of(0));
    for (let i = 0; i < length * 8; i++) {
      const key = new Uint8Array(length);
      key[i >> 3] = 0x80 >> (i & 7);
      w.set(key, Uint8Array.of(1));
    }
    const root = await state.commit(1);
    await state.close();

    state = await openMkvs(dir, { cachedNodes: 100 });
    assert.deepEqual(state.rootHash(1), root);
    assert.deepEqual(state.at(1).get(zero), Uint8Array.of(0));
    const entries = [...state.at(1).entries(new Uint8Array(0))];
    assert.equal(entries.length, length * 8 + 1);
    assert.deepEqual(entries[0]![0], zero);
    state.working().remove(zero);
    await state.commit(2);
    await state.prune(2);
    assert.deepEqual(state.checkIntegrity(), []);
    assert.equal(state.at(2).get(zero), undefined);
    await state.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesKey } from '../../src/codec/bytes.ts';

describe('bytesKey', () => {
  it('is one character per byte, equal exactly for equal bytes, views included', () => {
    const backing = Uint8Array.from([9, 0, 255, 128, 7]);
    const view = backing.subarray(1, 4);
    assert.equal(bytesKey(view).length, 3);
    assert.equal(bytesKey(view), bytesKey(Uint8Array.from([0, 255, 128])));
    assert.notEqual(bytesKey(view), bytesKey(Uint8Array.from([0, 255, 129])));
    assert.notEqual(bytesKey(Uint8Array.of(0)), bytesKey(Uint8Array.of(0, 0)));
    assert.equal(bytesKey(new Uint8Array(0)), '');
  });
});

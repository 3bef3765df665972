import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { eventKey, eventsByTx, eventsOfTx, eventTags } from '../../../src/runtime/protocol/events.ts';

const hashA = new Uint8Array(32).fill(0xaa);
const hashB = new Uint8Array(32).fill(0xbb);

describe('runtime event tags', () => {
  it('read back every transaction of a batch with its own events, in log order, ignoring non-tag entries', () => {
    const tagsA = eventTags(hashA, [
      { module: 'accounts', code: 1, body: 'a1' },
      { module: 'core', code: 1, body: 'a2' },
    ]);
    const tagsB = eventTags(hashB, [{ module: 'accounts', code: 1, body: 'b1' }]);
    const log: Array<[Uint8Array, Uint8Array | null]> = [
      [Uint8Array.of(0x54, 1, 2), Uint8Array.of(9)], // a transaction input entry, not an event
      tagsA[0]!,
      tagsB[0]!,
      tagsA[1]!,
      [tagsB[0]![0], null], // a removal is no event
    ];
    const byTx = eventsByTx(log);
    assert.deepEqual([...byTx.keys()].sort(), [toHex(hashA), toHex(hashB)]);
    assert.deepEqual(
      byTx.get(toHex(hashA))!.map((e) => toHex(e.key)),
      [toHex(eventKey('accounts', 1)), toHex(eventKey('core', 1))],
    );
    assert.deepEqual(byTx.get(toHex(hashB))!, [{ key: eventKey('accounts', 1), value: tagsB[0]![1] }]);
    assert.deepEqual(eventsOfTx(log, hashA), byTx.get(toHex(hashA)));
    assert.deepEqual(eventsOfTx(log, new Uint8Array(32)), []);
  });
});

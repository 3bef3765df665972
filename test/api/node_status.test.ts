import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsensusStatusState, consensusStatusName } from '../../src/api/node_status.ts';

describe('node status state', () => {
  it('uses oasis-core StatusState values: ready 0, syncing 1', () => {
    assert.deepEqual({ ...ConsensusStatusState }, { ready: 0, syncing: 1 });
    assert.equal(consensusStatusName(0), 'ready');
    assert.equal(consensusStatusName(1n), 'syncing');
  });

  it('names an unknown state as invalid instead of guessing', () => {
    assert.equal(consensusStatusName(2), '[invalid status state 2]');
  });
});

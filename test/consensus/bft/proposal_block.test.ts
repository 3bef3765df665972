/** The structural half of valid(v): a proposed block must match the chain state exactly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { type Block, itemsHash } from '../../../src/consensus/api/block.ts';
import { poolEvidence } from '../../../src/consensus/bft/evidence_handler.ts';
import { blockStructureProblem } from '../../../src/consensus/bft/proposal_block.ts';
import { GENESIS_TIME, SimCluster } from '../../../src/consensus/sim/cluster.ts';

describe('proposed block structure', async () => {
  const c = await SimCluster.create({ seed: 11, validators: 4, byzantine: 0 });
  await c.runUntil(() => c.names.every((n) => c.committedHeight.get(n)! >= 3), GENESIS_TIME + 60_000);
  c.stop();
  const store = c.nodes.get('n0')!.store;
  const state = store.stateAt(2)!;
  const block = store.block(3)!;
  const evidence = poolEvidence(store, c.config.chainId);
  const check = (b: Block) => blockStructureProblem(b, state, (ev) => evidence.problem(ev));
  const withHeader = (patch: Partial<Block['header']>): Block => ({
    ...block,
    header: { ...block.header, ...patch },
  });

  it('accepts the decided block', () => assert.equal(check(block), null));
  it('rejects a header that disagrees with the state', () => {
    assert.match(check(withHeader({ height: 4 }))!, /height/);
    assert.match(check(withHeader({ chainId: 'other' }))!, /chain/);
    assert.match(check(withHeader({ appHash: new Uint8Array(32) }))!, /app hash/);
    assert.match(check(withHeader({ validatorsHash: new Uint8Array(32) }))!, /validators hash/);
    assert.match(check(withHeader({ time: block.header.time + 1 }))!, /median/);
    assert.match(check(withHeader({ proposer: new Uint8Array(32).fill(1) }))!, /proposer/);
  });
  it('rejects a body that the header does not commit to, or a missing last commit', () => {
    assert.match(check({ ...block, txs: [utf8('x=y')] })!, /data_hash/);
    assert.match(check({ ...block, lastCommit: null })!, /last_commit_hash|missing/);
  });
  it('rejects bad evidence, and any evidence without a handler', () => {
    const junk = [utf8('not evidence')];
    const b = withHeader({ evidenceHash: itemsHash(junk) });
    const withJunk = { ...b, evidence: junk };
    assert.match(check(withJunk)!, /evidence/);
    assert.match(blockStructureProblem(withJunk, state)!, /no evidence handler/);
  });
});

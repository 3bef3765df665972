import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH, sha512_256 } from '../../../src/crypto/hash.ts';
import { CommitmentFailure, type ExecutorCommitment } from '../../../src/services/roothash/api/commitment.ts';
import { type CommitteeView, schedulerRank } from '../../../src/services/roothash/api/committee.ts';
import { type CommitmentPool, NO_RANK } from '../../../src/services/roothash/api/runtime_state.ts';
import { processPool } from '../../../src/services/roothash/pool.ts';

const id = (n: number) => new Uint8Array(32).fill(n);
/** Workers 1, 2, 3 (round 0 scheduler: 1), backups 7, 8, 9. */
const view: CommitteeView = { workers: [id(1), id(2), id(3)], backups: [id(7), id(8), id(9)] };

function commit(node: number, result: string | 'fail', scheduler = 1): ExecutorCommitment {
  const roots =
    result === 'fail'
      ? {}
      : {
          io_root: EMPTY_HASH,
          state_root: sha512_256(utf8(result)),
          messages_hash: EMPTY_HASH,
          in_msgs_hash: EMPTY_HASH,
        };
  return {
    node_id: id(node),
    header: {
      scheduler_id: id(scheduler),
      header: { round: 0n, previous_hash: EMPTY_HASH, in_msgs_count: 0, ...roots },
      failure: result === 'fail' ? CommitmentFailure.unknown : CommitmentFailure.none,
      rak_sig: undefined,
    },
    sig: new Uint8Array(64),
    messages: [],
  } as ExecutorCommitment;
}

function pool(commitments: ExecutorCommitment[], discrepancy = false): CommitmentPool {
  return { round: 0n, highest_rank: 0n, discrepancy, commitments };
}

const decide = (p: CommitmentPool, stragglers = 0, timeout = false) =>
  processPool(p, view, stragglers, timeout);
const nodes = (list: Uint8Array[]) => list.map((x) => x[0]);

describe('commitment pool', () => {
  it('ranks schedulers by round: rank 0 is worker round mod n', () => {
    assert.equal(schedulerRank(view, 0n, id(1)), 0n);
    assert.equal(schedulerRank(view, 1n, id(2)), 0n);
    assert.equal(schedulerRank(view, 1n, id(1)), 2n);
    assert.equal(schedulerRank(view, 4n, id(3)), 1n);
    assert.equal(schedulerRank(view, 0n, id(7)), undefined, 'backups never schedule');
  });

  it('waits until every worker (minus stragglers) matches the scheduler', () => {
    assert.equal(decide(pool([commit(1, 'a'), commit(2, 'a')])).decision.kind, 'waiting');
    const d = decide(pool([commit(1, 'a'), commit(2, 'a'), commit(3, 'a')])).decision;
    assert.equal(d.kind, 'agreed');
    if (d.kind === 'agreed') assert.deepEqual(nodes(d.good), [1, 2, 3]);
    assert.equal(decide(pool([commit(1, 'a'), commit(2, 'a')]), 1).decision.kind, 'agreed');
    assert.equal(
      decide(pool([commit(2, 'a'), commit(3, 'a')]), 1).decision.kind,
      'waiting',
      'needs the scheduler',
    );
  });

  it('detects a discrepancy on disagreement or too many failures', () => {
    const p = pool([commit(1, 'a'), commit(2, 'b')]);
    const out = decide(p);
    assert.equal(out.discrepancyDetected, true);
    assert.equal(p.discrepancy, true);
    assert.equal(out.decision.kind, 'waiting');
    assert.equal(decide(pool([commit(1, 'a'), commit(2, 'fail')]), 0).discrepancyDetected, true);
    assert.equal(decide(pool([commit(1, 'a'), commit(2, 'fail')]), 1).discrepancyDetected, false);
  });

  it('at a timeout: fails without the scheduler, else switches to the backups', () => {
    assert.equal(decide(pool([commit(2, 'a')]), 0, true).decision.kind, 'failed');
    const out = decide(pool([commit(1, 'a'), commit(2, 'a')]), 0, true);
    assert.equal(out.discrepancyDetected, true);
    assert.equal(out.decision.kind, 'waiting');
  });

  it('resolves with a majority (⌊3/2⌋+1 = 2) of backups agreeing with the scheduler', () => {
    const base = [commit(1, 'a'), commit(2, 'b')];
    assert.equal(decide(pool([...base, commit(7, 'a')], true)).decision.kind, 'waiting');
    const d = decide(pool([...base, commit(7, 'a'), commit(8, 'a')], true)).decision;
    assert.equal(d.kind, 'agreed');
    if (d.kind === 'agreed') {
      assert.deepEqual(nodes(d.good), [1, 7, 8]);
      assert.deepEqual(nodes(d.bad), [2]);
    }
    const lost = decide(pool([...base, commit(7, 'b'), commit(8, 'fail')], true)).decision;
    assert.equal(lost.kind, 'failed', 'no majority is reachable any more');
    assert.equal(decide(pool([...base, commit(7, 'a')], true), 0, true).decision.kind, 'failed');
  });

  it('counts only commitments for the best-ranked scheduler', () => {
    const p: CommitmentPool = {
      round: 0n,
      highest_rank: 1n,
      discrepancy: false,
      commitments: [commit(1, 'a'), commit(2, 'x', 2), commit(1, 'x', 2), commit(3, 'x', 2)],
    };
    const d = decide(p).decision;
    assert.equal(d.kind, 'agreed');
    if (d.kind === 'agreed') assert.equal(toHex(d.commitment.node_id), toHex(id(2)));
    assert.equal(NO_RANK, (1n << 64n) - 1n);
  });

  it('does not let a backup that is also a worker settle a dispute about its own result', () => {
    // Worker 1 (the scheduler) is also the only backup; it disagrees with worker 2.
    const dual: CommitteeView = { workers: [id(1), id(2)], backups: [id(1)] };
    const p = pool([commit(1, 'lie'), commit(2, 'truth')]);
    const out = processPool(p, dual, 0, false);
    assert.equal(out.discrepancyDetected, true);
    assert.equal(out.decision.kind, 'failed', 'no independent backup can agree with the scheduler');
    // With an independent backup agreeing, the same dispute resolves.
    const fair: CommitteeView = { workers: [id(1), id(2)], backups: [id(7)] };
    const resolved = processPool(
      pool([commit(1, 'lie'), commit(2, 'truth'), commit(7, 'lie')]),
      fair,
      0,
      false,
    );
    assert.equal(resolved.decision.kind, 'agreed');
  });
});

/**
 * The deterministic simulator in the test suite: a modest number of short seeds with every fault kind
 * (thousands more run through scripts/soak-sim.sh). Each seed checks agreement, validity, no honest
 * double signing and liveness after healing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSimulation } from '../../../src/consensus/sim/simulation.ts';

describe('consensus simulator', () => {
  it('is deterministic: a seed replays identically', async () => {
    const a = await runSimulation({ seed: 42, validators: 4, byzantine: 1, heights: 2 });
    const b = await runSimulation({ seed: 42, validators: 4, byzantine: 1, heights: 2 });
    assert.deepEqual([...a.heights], [...b.heights]);
    assert.equal(a.virtualMs, b.virtualMs);
    assert.equal(a.messages, b.messages);
    assert.deepEqual(a.stats, b.stats);
  });

  it('runs every seed exactly as without the signature memo', async () => {
    for (const seed of [3, 4, 5, 8]) {
      const opts = {
        seed,
        validators: 4,
        byzantine: 1,
        heights: 2,
        byzantineKinds: ['equivocate', 'flood', 'round-liar'] as const,
        maxChaosMs: 4_000,
      };
      const memo = await runSimulation(opts);
      const full = await runSimulation({ ...opts, noVerifyMemo: true });
      assert.ok(memo.ok, memo.violations.join('; '));
      assert.deepEqual([...memo.heights], [...full.heights]);
      assert.equal(memo.virtualMs, full.virtualMs);
      assert.equal(memo.messages, full.messages);
      assert.deepEqual(memo.stats, full.stats);
    }
  });

  it('commits on a perfect network with no faults', async () => {
    const r = await runSimulation({ seed: 1, validators: 4, byzantine: 0, heights: 5, faults: false });
    assert.ok(r.ok, r.violations.join('; '));
    assert.deepEqual([...r.heights.values()], [5, 5, 5, 5]);
    assert.equal(r.stats.evidenceCommitted, 0, 'no equivocation, no evidence');
  });

  it('stays safe and live on 80 seeds of 4 validators (1 byzantine) with faults', async () => {
    let crashes = 0;
    let equivocations = 0;
    let powerChanges = 0;
    let evidence = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const r = await runSimulation({ seed, validators: 4, byzantine: 1, heights: 2 });
      assert.ok(r.ok, `seed ${seed}: ${r.violations.join('; ')}\n${r.trace.join('\n')}`);
      crashes += r.stats.crashes;
      equivocations += r.stats.equivocationsSeen;
      if (r.stats.validatorPowerChanged) powerChanges++;
      evidence += r.stats.evidenceCommitted;
    }
    // The runs really exercised crashes, byzantine equivocation and validator-set updates.
    assert.ok(crashes > 20, `crashes ${crashes}`);
    assert.ok(equivocations > 100, `equivocations ${equivocations}`);
    assert.ok(powerChanges > 10, `power changes ${powerChanges}`);
    assert.ok(evidence > 20, `committed evidence ${evidence}`);
  });

  it('stays safe and live on 12 seeds of 7 validators (2 byzantine)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = await runSimulation({ seed, validators: 7, byzantine: 2, heights: 2 });
      assert.ok(r.ok, `seed ${seed}: ${r.violations.join('; ')}`);
    }
  });

  it('refuses a byzantine share of a third or more', async () => {
    await assert.rejects(runSimulation({ seed: 1, validators: 3, byzantine: 1, heights: 1 }), RangeError);
  });
});

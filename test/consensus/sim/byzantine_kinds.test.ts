/**
 * The simulator's byzantine behaviours beyond equivocation (silent, lying about the round, flooding), the
 * fault mask that switches drawn faults off without changing the rest of a seed's schedule, and the
 * shrinker built on it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BYZANTINE_KINDS, type ByzantineKind } from '../../../src/consensus/sim/byzantine_kinds.ts';
import { shrinkFailure } from '../../../src/consensus/sim/shrink.ts';
import { runSimulation } from '../../../src/consensus/sim/simulation.ts';

const base = { validators: 4, byzantine: 1, heights: 2 } as const;

describe('simulator byzantine kinds', () => {
  for (const kind of BYZANTINE_KINDS) {
    it(`stays safe and live with a ${kind} validator (4 validators, 6 seeds with faults)`, async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const r = await runSimulation({ ...base, seed, byzantineKinds: [kind] });
        assert.ok(r.ok, `seed ${seed}: ${r.violations.join('; ')}\n${r.trace.join('\n')}`);
      }
    });
  }

  it('stays safe and live with two mixed byzantine validators of seven', async () => {
    for (let seed = 1; seed <= 3; seed++) {
      const r = await runSimulation({
        seed,
        validators: 7,
        byzantine: 2,
        heights: 2,
        byzantineKinds: BYZANTINE_KINDS,
      });
      assert.ok(r.ok, `seed ${seed}: ${r.violations.join('; ')}`);
    }
  });

  it('really misbehaves: a flooder sends more than when it behaves, a silent validator nothing', async () => {
    const sent = async (kind: ByzantineKind, byzantine: boolean) =>
      (await runSimulation({ ...base, seed: 3, faults: false, byzantineKinds: [kind], mask: { byzantine } }))
        .stats.byzantineSent;
    const behaving = await sent('flood', false);
    assert.ok(behaving > 0);
    assert.ok((await sent('flood', true)) > 2 * behaving, 'flood multiplies its traffic');
    assert.equal(await sent('silent', true), 0);
  });
});

describe('simulator fault mask and shrinking', () => {
  it('a masked fault disappears from the schedule and the other faults stay as drawn', async () => {
    // livenessBudgetMs 0 makes the run fail, so its trace (schedule) is kept.
    const run = (seed: number, partition: boolean) =>
      runSimulation({ ...base, seed, livenessBudgetMs: 0, mask: { partition } });
    const faults = (r: Awaited<ReturnType<typeof run>>) => r.trace.filter((l) => l.startsWith('t='));
    let seed = 1;
    let full = await run(seed, true);
    while (!faults(full).some((l) => l.includes('partition')) && seed < 20) full = await run(++seed, true);
    assert.ok(
      faults(full).some((l) => l.includes('partition')),
      'some seed draws a partition',
    );
    const masked = await run(seed, false);
    assert.ok(!faults(masked).some((l) => l.includes('partition')), 'masked partition left out');
    const links = (r: typeof full) => r.trace.find((l) => l.includes(' links '));
    assert.equal(links(masked), links(full));
  });

  it('shrinks a seed that fails whatever the faults to no faults and one height', async () => {
    // No virtual time after healing: liveness fails under any schedule, so every fault is removable.
    const s = await shrinkFailure({ ...base, seed: 5, heights: 3, livenessBudgetMs: 0 });
    assert.deepEqual(s.mask, {
      byzantine: false,
      partition: false,
      drops: false,
      duplicates: false,
      delays: false,
      skew: false,
      crashes: 0,
    });
    assert.equal(s.heights, 1);
    assert.ok(!s.result.ok && s.result.violations.some((v) => v.includes('liveness')));
  });

  it('refuses to shrink a seed that passes', async () => {
    await assert.rejects(shrinkFailure({ ...base, seed: 1, heights: 1 }), RangeError);
  });
});

/**
 * Seeds the simulator soak (scripts/soak-sim.sh) found failing, replayed with their full schedules. Each
 * had a silent byzantine validator: after lossy links healed, honest validators stayed a round apart —
 * the one ahead no longer re-sent its precommit of the round the others were in, so they never saw the
 * two thirds of precommits that start their precommit timeout (fixed in bft/gossip.ts: own votes of
 * earlier rounds are re-gossiped). The shrunk schedules drop the partition and the clock skew.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BYZANTINE_KINDS } from '../../../src/consensus/sim/byzantine_kinds.ts';
import { runSimulation } from '../../../src/consensus/sim/simulation.ts';

const FOUND: { seed: number; validators: number; byzantine: number }[] = [
  { seed: 100125, validators: 4, byzantine: 1 },
  { seed: 100137, validators: 4, byzantine: 1 },
  { seed: 100140, validators: 4, byzantine: 1 },
  { seed: 100051, validators: 7, byzantine: 2 },
];

describe('simulator soak regressions', () => {
  for (const f of FOUND) {
    it(`seed ${f.seed} (${f.validators} validators, ${f.byzantine} byzantine) stays safe and live`, async () => {
      const r = await runSimulation({ ...f, heights: 3, byzantineKinds: BYZANTINE_KINDS });
      assert.ok(r.ok, `${r.violations.join('; ')}\n${r.trace.join('\n')}`);
    });
  }
});

/** `oasis-ts debug simulate`: one line per failing seed, then exactly `N passed, M failed`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateSeeds } from '../../../src/cli/commands/debug.ts';

const flags = { seeds: '3', seedBase: '7', validators: '4', byzantine: '1', heights: '1' };

describe('debug simulate', () => {
  it('ends with the summary line when all seeds pass', async () => {
    const lines: string[] = [];
    assert.equal(await simulateSeeds(flags, (l) => lines.push(l)), 0);
    assert.deepEqual(lines, ['3 passed, 0 failed']);
  });
  it('prints each failing seed (and its trace) and counts it', async () => {
    const lines: string[] = [];
    // No virtual time at all after healing: liveness must fail, reproducibly per seed.
    const failed = await simulateSeeds({ ...flags, livenessBudgetMs: '0', trace: true }, (l) =>
      lines.push(l),
    );
    assert.equal(failed, 3);
    const failures = lines.filter((l) => l.startsWith('seed '));
    assert.deepEqual(
      failures.map((l) => l.split(':')[0]),
      ['seed 7 FAILED', 'seed 8 FAILED', 'seed 9 FAILED'],
    );
    assert.ok(failures.every((l) => l.includes('liveness')));
    assert.ok(
      lines.some((l) => l.includes('healed: perfect links')),
      'trace printed',
    );
    assert.equal(lines.at(-1), '0 passed, 3 failed');
  });
  it('defaults to as many byzantine validators as tolerated', async () => {
    const lines: string[] = [];
    const { byzantine: _, ...rest } = flags;
    assert.equal(await simulateSeeds({ ...rest, seeds: '1', validators: '3' }, (l) => lines.push(l)), 0);
    assert.deepEqual(lines, ['1 passed, 0 failed']);
  });
  it('rejects a byzantine share of a third or more', async () => {
    await assert.rejects(
      simulateSeeds({ ...flags, byzantine: '2', validators: '6' }, () => {}),
      /third/,
    );
  });
});

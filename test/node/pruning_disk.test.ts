import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MIN_PRUNE_NUM_KEPT, type PruneOptions } from '../../src/consensus/bft/prune_options.ts';
import { ConsensusPruner } from '../../src/node/pruner.ts';
import { appendHeights, type HeightShape, openChain } from './pruning_chain.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Bytes the files under `dir` take. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

// Blocks of ~16 KiB and state churn, so growth without pruning is plain.
const SHAPE: HeightShape = { txs: 4, txBytes: 4096, rewrites: 20 };
const STEP = 50;

/** Data-dir sizes after `marks` heights, pruning every STEP heights when `prune` is set. */
async function sizesAt(marks: number[], prune: PruneOptions | undefined): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pruning-disk-'));
  dirs.push(dir);
  const chain = await openChain(dir);
  const pruner = prune && new ConsensusPruner({ prune, store: chain.store, state: chain.state });
  const sizes: number[] = [];
  let top = 0;
  for (const mark of marks) {
    while (top < mark) {
      await appendHeights(chain, top + 1, top + STEP, SHAPE);
      top += STEP;
      await pruner?.runOnce();
    }
    sizes.push(sizeOf(dir));
  }
  await chain.close();
  return sizes;
}

describe('disk use with pruning', () => {
  it('stays flat once the kept window is full, where an unpruned store keeps growing', async () => {
    const marks = [400, 800];
    const keepN: PruneOptions = { strategy: 'keep_n', num_kept: MIN_PRUNE_NUM_KEPT, interval: 1000 };
    const [prunedEarly, prunedLate] = await sizesAt(marks, keepN);
    const [, unprunedLate] = await sizesAt(marks, undefined);
    console.log(
      `data dir bytes: pruned ${prunedEarly} at 400, ${prunedLate} at 800; unpruned ${unprunedLate} at 800`,
    );
    assert.ok(prunedLate! <= prunedEarly! * 1.15, `pruned store grew from ${prunedEarly} to ${prunedLate}`);
    assert.ok(unprunedLate! > prunedLate! * 2, `unpruned ${unprunedLate} vs pruned ${prunedLate}`);
  });
});

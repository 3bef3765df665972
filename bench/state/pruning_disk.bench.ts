/**
 * Data-directory size over many heights with `consensus.prune: keep_n` against keeping everything, and how
 * long a prune pass takes (it runs in the background; this is the work it spreads over small batches). Run:
 *   node --import tsx --import ./src/polyfill.ts bench/state/pruning_disk.bench.ts [heights] [num_kept]
 * Each height writes what a node keeps: a block (four 4 KiB transactions), its commit, results, chain
 * state and a state version rewriting 20 keys.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MIN_PRUNE_NUM_KEPT } from '../../src/consensus/bft/prune_options.ts';
import { ConsensusPruner } from '../../src/node/pruner.ts';
import { appendHeights, openChain } from '../../test/node/pruning_chain.ts';

const HEIGHTS = Number(process.argv[2] ?? 2000);
const NUM_KEPT = Number(process.argv[3] ?? MIN_PRUNE_NUM_KEPT);
const STEP = 50;
const REPORT_EVERY = 250;
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

function sizeOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

async function run(prune: boolean): Promise<Map<number, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pruning-'));
  const chain = await openChain(dir);
  const pruner = new ConsensusPruner({
    prune: { strategy: prune ? 'keep_n' : 'none', num_kept: NUM_KEPT, interval: 1000 },
    store: chain.store,
    state: chain.state,
  });
  const sizes = new Map<number, number>();
  let passMs = 0;
  let passes = 0;
  for (let top = 0; top < HEIGHTS; top += STEP) {
    await appendHeights(chain, top + 1, top + STEP, { txs: 4, txBytes: 4096, rewrites: 20 });
    const t0 = performance.now();
    await pruner.runOnce();
    passMs += performance.now() - t0;
    passes++;
    if ((top + STEP) % REPORT_EVERY === 0) sizes.set(top + STEP, sizeOf(dir));
  }
  if (prune) console.log(`prune pass every ${STEP} heights: ${(passMs / passes).toFixed(1)} ms on average`);
  await chain.close();
  rmSync(dir, { recursive: true, force: true });
  return sizes;
}

const pruned = await run(true);
const kept = await run(false);
console.log(`height  keep_n ${NUM_KEPT} (MiB)  none (MiB)`);
for (const [height, size] of pruned) console.log(`${height}\t${mib(size)}\t\t${mib(kept.get(height)!)}`);

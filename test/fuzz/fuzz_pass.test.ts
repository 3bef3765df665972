/**
 * The short fuzz pass CI runs: every fuzz target replays its seeds and committed corpus, then checks a few
 * thousand seeded mutations of them (the long coverage-guided runs are `npm run fuzz`). A failure names
 * the target and input; the input can be saved into test/fuzz/corpus/<target>/ to replay it from then on.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mutate, Prng } from '../codec/fuzz_helpers.ts';
import { TARGETS } from './targets/index.ts';

/** Mutated inputs per target, and a per-target time cap so a loaded CI machine stays within budget. */
const MUTATIONS = 3000;
const BUDGET_MS = 1500;

function corpusOf(name: string): Uint8Array[] {
  const dir = join(import.meta.dirname, 'corpus', name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('fuzz targets (short pass)', () => {
  for (const target of TARGETS) {
    it(`${target.name}: corpus and ${MUTATIONS} mutations answer with values or our errors`, async () => {
      const inputs = [...target.seeds(), ...corpusOf(target.name)];
      for (const input of inputs) {
        try {
          await target.check(input);
        } catch (err) {
          throw new Error(`${target.name} corpus input ${hex(input)}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
      const rng = new Prng(0x5eed);
      const deadline = Date.now() + BUDGET_MS;
      for (let i = 0; i < MUTATIONS && Date.now() < deadline; i++) {
        const input = mutate(rng, rng.pick(inputs));
        try {
          await target.check(input);
        } catch (err) {
          throw new Error(`${target.name} mutation ${i} ${hex(input)}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
    });
  }
});

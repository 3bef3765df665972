import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MIN_PRUNE_NUM_KEPT } from '../../src/consensus/bft/prune_options.ts';
import { ConfigError, loadConfig, setPath } from '../../src/node/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-prune-config-'));
const load = (yaml: string, overrides: Record<string, unknown> = {}) => {
  const path = join(dir, 'node.yml');
  writeFileSync(path, `common: {data_dir: /var/node}\n${yaml}`);
  return loadConfig(path, overrides);
};

describe('consensus.prune config', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to keeping everything', () => {
    assert.deepEqual(load('').consensus.prune, { strategy: 'none', num_kept: 3600, interval: 120_000 });
  });

  it("reads oasis-node's keys: strategy (any case), num_kept, interval as a Go duration", () => {
    const prune = load('consensus:\n  prune: {strategy: KEEP_N, num_kept: 5000, interval: 1m30s}\n').consensus
      .prune;
    assert.deepEqual(prune, { strategy: 'keep_n', num_kept: 5000, interval: 90_000 });
    assert.equal(
      load('consensus: {prune: {interval: 250ms}}\n').consensus.prune.interval,
      1000,
      'floored at 1 s',
    );
  });

  it('refuses a window too short for evidence, naming the minimum, also when flags complete the file', () => {
    assert.throws(
      () => load('consensus: {prune: {strategy: keep_n, num_kept: 10}}\n'),
      (e) =>
        e instanceof ConfigError &&
        e.message.includes('consensus.prune.num_kept') &&
        e.message.includes(`at least ${MIN_PRUNE_NUM_KEPT}`),
    );
    const overrides = {};
    setPath(overrides, 'consensus.prune.num_kept', 10);
    assert.throws(() => load('consensus: {prune: {strategy: keep_n}}\n', overrides), ConfigError);
    assert.equal(
      load(`consensus: {prune: {strategy: keep_n, num_kept: ${MIN_PRUNE_NUM_KEPT}}}\n`).consensus.prune
        .num_kept,
      MIN_PRUNE_NUM_KEPT,
    );
  });

  it('refuses unknown strategies, keys and durations by name', () => {
    assert.throws(() => load('consensus: {prune: {strategy: keep_last}}\n'), /consensus\.prune\.strategy/);
    assert.throws(() => load('consensus: {prune: {keep: 3}}\n'), /consensus\.prune\.keep/);
    assert.throws(() => load('consensus: {prune: {interval: soon}}\n'), /consensus\.prune\.interval/);
  });
});

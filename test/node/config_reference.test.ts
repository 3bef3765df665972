import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { optional, struct, uint } from '../../src/codec/schema.ts';
import { defaultConfig, loadConfig, setPath } from '../../src/node/config.ts';
import { configKeys, configReferenceMarkdown, schemaKeys } from '../../src/node/config_reference.ts';

describe('configuration reference', () => {
  it('docs/configuration.md is what the generator prints now (run `npm run docs:config`)', () => {
    const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    assert.equal(onDisk, configReferenceMarkdown());
  });

  it('every config key has a description and a type', () => {
    assert.deepEqual(configKeys().undocumented, []);
  });

  it('reports a key without a description', () => {
    const section = struct({ a: optional(uint, 'documented'), b: optional(uint), c: optional(struct({})) });
    assert.deepEqual(schemaKeys(section, { a: 1, b: 2 }).undocumented, ['b', 'c']);
  });

  it('documents every key the node accepts, with defaults written as a file would', () => {
    const { keys } = configKeys();
    for (const path of ['mode', 'common.log.level', 'consensus.prune.interval', 'runtimes[].prune.strategy'])
      assert.ok(
        keys.some((k) => k.path === path),
        path,
      );
    // Writing every listed default back into a config file must load as the defaults themselves.
    const file: Record<string, unknown> = {};
    for (const key of keys) {
      if (key.default === undefined || key.path.includes('[]') || key.type.startsWith('list')) continue;
      setPath(file, key.path, parseYaml(key.default));
    }
    setPath(file, 'common.data_dir', '/var/node');
    const loaded = loadConfig(undefined, file);
    const expected = loadConfig(undefined, { common: { data_dir: '/var/node' } });
    assert.deepEqual(loaded, expected);
    assert.equal(expected.consensus.prune.interval, defaultConfig().consensus.prune.interval);
    assert.equal(keys.find((k) => k.path === 'consensus.prune.interval')?.default, '2m');
  });

  it("the operators guide's sample configuration loads as written", () => {
    const guide = readFileSync(new URL('../../docs/operators.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
    assert.ok(yaml, 'docs/operators.md has a yaml block');
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-guide-'));
    try {
      const file = join(dir, 'node.yml');
      writeFileSync(file, yaml);
      const cfg = loadConfig(file);
      assert.equal(cfg.consensus.prune.strategy, 'keep_n');
      assert.equal(cfg.common.log.modules.consensus, 'debug');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

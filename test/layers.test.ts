import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { checkLayers, type LayerRules, partOf } from './layers/check.ts';
import { importGraph, importsOf, REPO_ROOT } from './layers/import_graph.ts';

const rules = JSON.parse(readFileSync(join(REPO_ROOT, 'layers.json'), 'utf8')) as LayerRules;

/** A small rule set: app may import lib; lib imports nothing but the shared leaf. */
const toy: LayerRules = {
  parts: { app: ['src/app/'], lib: ['src/lib/'], core: ['src/lib/core.ts'], leaf: ['src/leaf.ts'] },
  shared: ['leaf'],
  rules: { app: ['lib', 'core'], lib: [], core: [] },
  exceptions: [],
};

describe('layers (DESIGN.md "Layers", as layers.json)', () => {
  it('src/ imports only what layers.json allows', () => {
    const violations = checkLayers(rules, importGraph(REPO_ROOT, 'src')).map((v) => v.message);
    assert.deepEqual(violations, [], `layer violations:\n  ${violations.join('\n  ')}`);
  });

  it('the process side of the runtime may not import its node side', () => {
    assert.equal(rules.rules['runtime/process']?.includes('runtime/node'), false);
    assert.equal(partOf(rules, 'src/runtime/process/paratimes/accounts/runtime.ts'), 'runtime/process');
    assert.equal(partOf(rules, 'src/runtime/node/executor/worker.ts'), 'runtime/node');
  });

  it('only the CLI may import the simulator', () => {
    const importers = Object.entries(rules.rules).filter(([, allowed]) => allowed.includes('consensus/sim'));
    assert.deepEqual(
      importers.map(([part]) => part),
      ['cli'],
    );
  });
});

describe('layer checker', () => {
  it('reads static, type-only, re-export, side-effect and dynamic imports, not comments or strings', () => {
    const source = [
      "import type { A } from '../lib/a.ts';",
      "import {\n  b,\n} from './b.ts';",
      "export * from '../lib/c.ts';",
      "export type { D } from '../lib/d.ts';",
      "import '../lib/e.ts';",
      "const f = await import('../lib/f.ts');",
      "// import z from '../lib/comment.ts'",
      'const s = "import y from \'../lib/string.ts\'";',
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(
      importsOf('src/app/x.ts', source).map((e) => [e.to, e.line]),
      [
        ['src/lib/a.ts', 1],
        ['src/app/b.ts', 4],
        ['src/lib/c.ts', 5],
        ['src/lib/d.ts', 6],
        ['src/lib/e.ts', 7],
        ['src/lib/f.ts', 8],
      ],
    );
  });

  it('places a file in its most specific part', () => {
    assert.equal(partOf(toy, 'src/lib/core.ts'), 'core');
    assert.equal(partOf(toy, 'src/lib/deep/x.ts'), 'lib');
    assert.equal(partOf(toy, 'src/leaf.ts'), 'leaf');
    assert.equal(partOf(toy, 'src/other/x.ts'), undefined);
    const wild: LayerRules = { ...toy, parts: { api: ['src/services/*/api/'], services: ['src/services/'] } };
    assert.equal(partOf(wild, 'src/services/staking/api/account.ts'), 'api');
    assert.equal(partOf(wild, 'src/services/staking/state.ts'), 'services');
  });

  it('names file, line, import and rule of a forbidden import', () => {
    const graph = importsOf(
      'src/lib/x.ts',
      "import { a } from '../leaf.ts';\nimport { b } from '../app/b.ts';\n",
    );
    assert.deepEqual(
      checkLayers(toy, graph).map((v) => v.message),
      [`src/lib/x.ts:2 imports '../app/b.ts': part "lib" may not import part "app" (layers.json rules.lib)`],
    );
  });

  it('finds a violation in a source tree on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'oasis-ts-layers-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write('src/app/main.ts', "import { core } from '../lib/core.ts';\n");
      write('src/lib/core.ts', "export { main } from '../app/main.ts';\n");
      const messages = checkLayers(toy, importGraph(root, 'src')).map((v) => v.message);
      assert.equal(messages.length, 1);
      assert.match(messages[0]!, /^src\/lib\/core\.ts:1 .*part "core" may not import part "app"/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('lets a listed exception through, and reports it once it is stale', () => {
    const graph = importsOf('src/lib/x.ts', "import { b } from '../app/b.ts';\n");
    const exception = { from: 'src/lib/x.ts', to: 'src/app/b.ts', why: 'being fixed' };
    assert.deepEqual(checkLayers({ ...toy, exceptions: [exception] }, graph), []);
    assert.deepEqual(
      checkLayers({ ...toy, exceptions: [exception] }, []).map((v) => v.message),
      ['layers.json exception src/lib/x.ts -> src/app/b.ts no longer occurs: delete it'],
    );
  });

  it('reports files in no part and rules naming unknown parts', () => {
    const graph = importsOf('src/other/x.ts', "import { a } from '../lib/a.ts';\n");
    const broken: LayerRules = { ...toy, rules: { ...toy.rules, app: ['lib', 'core', 'nowhere'] } };
    assert.deepEqual(
      checkLayers(broken, graph).map((v) => v.message),
      ['layers.json names unknown part "nowhere"', 'src/other/x.ts belongs to no part of layers.json'],
    );
  });
});

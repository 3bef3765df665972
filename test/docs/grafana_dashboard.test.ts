import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { NodeMetrics } from '../../src/node/metrics/metrics.ts';

/** docs/grafana-dashboard.json must chart only metrics the node exports, so it cannot silently go stale. */
describe('Grafana dashboard (docs/grafana-dashboard.json)', () => {
  const dashboard = JSON.parse(
    readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
  );
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) =>
    p.targets.map((t) => t.expr),
  );

  it('queries only metrics the node serves', async () => {
    const m = new NodeMetrics({
      consensusKey: new Uint8Array(32),
      registryCounts: () => undefined,
      dataDir: tmpdir(),
    });
    const served = new Set((await m.registry.getMetricsAsJSON()).map((x) => x.name));
    const used = new Set(
      exprs.flatMap((e) =>
        [...e.matchAll(/\b(?:oasis|cometbft)_[a-z0-9_]+/g)].map(([name]) => name.replace(/_bucket$/, '')),
      ),
    );
    assert.ok(used.size >= 15, `the dashboard charts ${used.size} metrics`);
    for (const name of used) assert.ok(served.has(name), `${name} is charted but not served`);
  });

  it('has a panel per target set, laid out without overlap', () => {
    const cells = new Set<string>();
    for (const p of dashboard.panels as { gridPos: { x: number; y: number } }[]) {
      const cell = `${p.gridPos.x},${p.gridPos.y}`;
      assert.ok(!cells.has(cell), `two panels at ${cell}`);
      cells.add(cell);
    }
  });
});

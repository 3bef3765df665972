/**
 * How long a fresh node takes to join a running network by state sync against replaying every block, at
 * two chain heights: state sync should take about the same time at both (it fetches one checkpoint and a
 * few blocks), replay grows with the height. Real processes: one validator, fresh client nodes started one
 * at a time. Run (multi-process: under the shared lock):
 *   flock /work/wt/heavy.lock node --import tsx --import ./src/polyfill.ts bench/state/state_sync_join.bench.ts [h1] [h2] [accounts]
 * "Join" is from starting the process until it reports the height the validator had at that moment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import type { LocalnetNode } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

const H1 = Number(process.argv[2] ?? 150);
const H2 = Number(process.argv[3] ?? 600);
const ACCOUNTS = Number(process.argv[4] ?? 2000);
const INTERVAL = 50;

const dir = mkdtempSync(join(tmpdir(), 'bench-statesync-'));
const procs = new LocalnetProcesses();
const net = await prepareLocalnet({
  dir,
  validators: 1,
  clients: 4,
  timeoutCommitMs: 20,
  accounts: ACCOUNTS,
  checkpoints: { interval: INTERVAL, numKept: 2, chunkSize: 256 * 1024 },
});
const validator = net.nodes[0]!;
const api = new NodeClient(`unix:${validator.internal_socket}`);

function enableStateSync(node: LocalnetNode, height: number, hash: string): void {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  config.consensus = {
    state_sync: { enabled: true },
    light_client: { trust: { height, hash, period: '1h' } },
  };
  writeFileSync(node.config, toYaml(config), { mode: 0o600 });
}

/** Starts `node`, waits until it reaches the validator's current height, stops it; milliseconds. */
async function join_(node: LocalnetNode): Promise<{ ms: number; height: number }> {
  const height = (await procs.height(validator))!;
  const started = Date.now();
  procs.start(node);
  await procs.waitHeight(node, height, 240_000);
  const ms = Date.now() - started;
  await procs.stop(node.name);
  return { ms, height };
}

const rows: string[] = [];
try {
  procs.start(validator);
  for (const [i, target] of [H1, H2].entries()) {
    await procs.waitHeight(validator, target, 280_000);
    const status = (await api.call('oasis-core.NodeController', 'GetStatus', undefined, 5_000)) as {
      consensus: { checkpoint_heights: number[] };
    };
    const trustHeight = Math.max(...status.consensus.checkpoint_heights.map(Number));
    const block = (await api.call('oasis-core.Consensus', 'GetBlock', trustHeight, 5_000)) as {
      hash: Uint8Array;
    };
    const syncing = net.nodes[1 + 2 * i]!;
    const replaying = net.nodes[2 + 2 * i]!;
    enableStateSync(syncing, trustHeight, toHex(block.hash));
    const bySync = await join_(syncing);
    const byReplay = await join_(replaying);
    rows.push(
      `height ${String(bySync.height).padStart(5)}: state sync ${(bySync.ms / 1000).toFixed(1)} s (checkpoint ${trustHeight}), replay ${(byReplay.ms / 1000).toFixed(1)} s (to ${byReplay.height})`,
    );
    console.log(rows.at(-1));
  }
} finally {
  api.close();
  await procs.stopAll('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\njoin time, 1 validator, ${ACCOUNTS} accounts, checkpoints every ${INTERVAL} heights:\n${rows.join('\n')}`,
);

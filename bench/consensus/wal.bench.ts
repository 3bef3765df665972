/**
 * Durability costs on this machine: FileWal writeSync latency (one fdatasync per call), buffered write
 * throughput, and the double-sign guard's signing rate with the file store (fsync + rename + dir fsync per
 * signature) against the memory store. Run:
 *   node --import tsx --import ./src/polyfill.ts bench/consensus/wal.bench.ts
 * Set BENCH_DIR to measure another file system (default: the OS temp dir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SignStep } from '../../src/consensus/api/durability.ts';
import { MessageType, voteSignBytes } from '../../src/consensus/api/vote.ts';
import { createGuard, FileSignStateStore, MemorySignStateStore } from '../../src/consensus/privval/guard.ts';
import { FileWal } from '../../src/consensus/wal/file_wal.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';

const root = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'oasis-ts-wal-bench-'));

function summarize(label: string, samplesMs: number[]): void {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const total = samplesMs.reduce((s, x) => s + x, 0);
  console.log(
    `${label}: n=${samplesMs.length} mean=${(total / samplesMs.length).toFixed(3)}ms ` +
      `p50=${at(0.5).toFixed(3)}ms p99=${at(0.99).toFixed(3)}ms max=${at(1).toFixed(3)}ms ` +
      `rate=${((samplesMs.length * 1000) / total).toFixed(0)}/s`,
  );
}

async function timeEach(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function benchWal(): Promise<void> {
  const wal = await FileWal.open(join(root, 'wal'));
  await wal.endHeight(0);
  const record = new Uint8Array(200).fill(1);
  summarize('FileWal.writeSync 200 B (fdatasync each)', await timeEach(2000, () => wal.writeSync(record)));
  const block = new Uint8Array(64 * 1024).fill(2);
  summarize('FileWal.writeSync 64 KiB', await timeEach(300, () => wal.writeSync(block)));
  summarize('FileWal.endHeight', await timeEach(500, (i) => wal.endHeight(i + 1)));

  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    wal.write(record);
    if (i % 1000 === 999) await wal.flush();
  }
  await wal.flush();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `FileWal.write 200 B, flush every 1000: ${(n / s).toFixed(0)} records/s, ` +
      `${((n * (record.length + 9)) / s / 1e6).toFixed(1)} MB/s`,
  );
  const t1 = performance.now();
  const { records } = await wal.readAfterEndHeight(500);
  console.log(
    `FileWal.readAfterEndHeight over the log: ${records.length} records in ${(performance.now() - t1).toFixed(0)}ms`,
  );
  await wal.close();
}

async function benchGuard(): Promise<void> {
  const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
  const vote = (height: number) =>
    voteSignBytes({
      type: MessageType.prevote,
      height,
      round: 0,
      blockHash: new Uint8Array(32),
      timestamp: 0,
    });
  const fileGuard = await createGuard(
    key,
    'bench-chain',
    new FileSignStateStore(join(root, 'privval', 'state.cbor')),
  );
  summarize(
    'guard.sign, file store',
    await timeEach(1000, (i) => fileGuard.sign(i + 1, 0, SignStep.prevote, vote(i + 1))),
  );
  const memGuard = await createGuard(key, 'bench-chain', new MemorySignStateStore());
  summarize(
    'guard.sign, memory store',
    await timeEach(5000, (i) => memGuard.sign(i + 1, 0, SignStep.prevote, vote(i + 1))),
  );
  summarize(
    'guard.sign, repeat of the last',
    await timeEach(5000, () => memGuard.sign(5000, 0, SignStep.prevote, vote(5000))),
  );
}

try {
  console.log(`bench dir ${root}`);
  await benchWal();
  await benchGuard();
} finally {
  rmSync(root, { recursive: true, force: true });
}

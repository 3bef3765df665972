import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LocalnetNode } from '../../src/localnet/manifest.ts';
import { LocalnetProcesses, logTail } from '../../src/localnet/processes.ts';

function nodeIn(dir: string): LocalnetNode {
  return {
    name: 'validator-0',
    data_dir: dir,
    internal_socket: join(dir, 'internal.sock'),
  } as LocalnetNode;
}

describe('local network processes', () => {
  it('reads the last lines of a node log, also from a long one, and says when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-logtail-'));
    try {
      assert.match(logTail(nodeIn(dir)), /no log/);
      const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
      writeFileSync(join(dir, 'node.log'), `${lines.join('\n')}\n`);
      const tail = logTail(nodeIn(dir), 3).trim().split('\n');
      assert.deepEqual(tail, lines.slice(-3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a node that missed its height, whether it runs, and its log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-logtail-'));
    try {
      writeFileSync(join(dir, 'node.log'), 'started\nstuck at genesis\n');
      const procs = new LocalnetProcesses();
      await assert.rejects(procs.waitHeight(nodeIn(dir), 5, 100), (err: Error) => {
        assert.match(err.message, /validator-0 did not reach height 5 \(at no answer, not running\)/);
        assert.match(err.message, /stuck at genesis/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

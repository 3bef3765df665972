import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareBytes, toHex, utf8 } from '../../../src/codec/bytes.ts';
import { openMkvs } from '../../../src/state/mkvs/versioned.ts';
import { writesOf } from './crash-writer.ts';
import { referenceRoot } from './helpers.ts';

/** Runs the writer until it has reported `minVersions` commits plus a random-ish delay, then SIGKILLs it. */
function runAndKill(dir: string, minVersions: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./crash-writer.ts', import.meta.url).pathname, dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let reported = 0;
    let killing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      reported = Number(lines.at(-1));
      if (!killing && reported >= minVersions) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(reported) : reject(new Error(`writer exited without being killed`)),
    );
  });
}

function expectedEntries(upTo: number): Array<[Uint8Array, Uint8Array]> {
  const model = new Map<string, [Uint8Array, Uint8Array]>();
  for (let v = 1; v <= upTo; v++) {
    for (const [key, value] of writesOf(v)) {
      if (value === null) model.delete(toHex(key));
      else model.set(toHex(key), [key, value]);
    }
  }
  return [...model.values()].sort((a, b) => compareBytes(a[0], b[0]));
}

test('SIGKILL at arbitrary instants never loses a reported commit nor leaves a torn version', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkvs-crash-'));
  try {
    let target = 3;
    for (const extraMs of [0, 7, 23]) {
      const reported = await runAndKill(dir, target, extraMs);
      const state = await openMkvs(dir);
      const latest = state.latestVersion();
      // Every reported commit survives; at most the one in flight at the kill is ahead of the report.
      assert.ok(latest >= reported, `latest ${latest} < reported ${reported}`);
      assert.equal(Buffer.from(state.at(latest).get(utf8('height'))!).toString(), String(latest));
      const expected = expectedEntries(latest);
      assert.deepEqual([...state.at(latest).entries(new Uint8Array(0))], expected);
      assert.deepEqual(state.rootHash(latest), referenceRoot(expected));
      assert.deepEqual(state.checkIntegrity(), []);
      await state.close();
      target = latest + 3;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The nemesis checker's WAL reading and its schedule, without a network: two WALs that each hold one honest
 * precommit of a validator are clean; a conflicting precommit for the same height/round (what an
 * equivocating validator sends) is reported, as is nothing forged (a bad signature is not counted). The
 * schedule is fixed by its seed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MessageType, signVote } from '../../src/consensus/api/vote.ts';
import { encodeWalRecord } from '../../src/consensus/bft/wal_records.ts';
import { FileWal } from '../../src/consensus/wal/file_wal.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import type { LocalnetNode } from '../../src/localnet/manifest.ts';
import { signedMessages } from './checker.ts';
import { nemesisSchedule } from './schedule.ts';

const CHAIN = 'nemesis-checker-test';
const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
const precommit = (fill: number) =>
  signVote(
    key,
    {
      type: MessageType.precommit,
      height: 5,
      round: 0,
      blockHash: new Uint8Array(32).fill(fill),
      timestamp: 1,
    },
    CHAIN,
  );

async function nodeWithVotes(dir: string, name: string, votes: ReturnType<typeof precommit>[]) {
  const dataDir = join(dir, name);
  const wal = await FileWal.open(join(dataDir, 'consensus-wal'));
  for (const vote of votes)
    wal.write(encodeWalRecord({ kind: 'peer', from: 'p', message: { kind: 'vote', vote } }));
  await wal.close();
  return { name, data_dir: dataDir } as LocalnetNode;
}

describe('nemesis checker', () => {
  it('finds no double sign in agreeing WALs and reports conflicting precommits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-checker-'));
    try {
      const a = await nodeWithVotes(dir, 'a', [precommit(1)]);
      const b = await nodeWithVotes(dir, 'b', [precommit(1)]);
      const clean: string[] = [];
      assert.equal(signedMessages([a, b], CHAIN, clean), 2);
      assert.deepEqual(clean, []);

      const c = await nodeWithVotes(dir, 'c', [precommit(2)]);
      const found: string[] = [];
      signedMessages([a, b, c], CHAIN, found);
      assert.equal(found.length, 1);
      assert.match(found[0]!, /double sign .*\/5\/0\/2: (01)+ in a \(peer\), (02)+ in c \(peer\)/);

      // Under another chain the signatures do not verify: nothing counted, nothing reported.
      const other: string[] = [];
      assert.equal(signedMessages([a, c], 'another chain', other), 0);
      assert.deepEqual(other, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives the same schedule from the same seed, and another from another', () => {
    const o = { events: 12, validators: 4, nodes: 5, links: true, minMs: 1000, maxMs: 3000 };
    assert.deepEqual(nemesisSchedule({ ...o, seed: 9 }), nemesisSchedule({ ...o, seed: 9 }));
    assert.notDeepEqual(nemesisSchedule({ ...o, seed: 9 }), nemesisSchedule({ ...o, seed: 10 }));
    const noLinks = nemesisSchedule({ ...o, seed: 9, links: false });
    assert.ok(noLinks.every((e) => ['kill', 'pause', 'restart-all'].includes(e.kind)));
  });

  it('adds compute faults aimed at compute nodes only when there are compute nodes', () => {
    const o = { events: 60, validators: 4, nodes: 8, links: true, minMs: 1000, maxMs: 3000, seed: 5 };
    const compute = new Set(['kill-compute', 'kill-runtime', 'isolate-compute']);
    assert.ok(nemesisSchedule(o).every((e) => !compute.has(e.kind)));
    assert.deepEqual(nemesisSchedule({ ...o, compute: [] }), nemesisSchedule(o));
    const withCompute = nemesisSchedule({ ...o, compute: [4, 5, 6] });
    const faults = withCompute.filter((e) => compute.has(e.kind));
    assert.deepEqual([...new Set(faults.map((e) => e.kind))].sort(), [...compute].sort());
    assert.ok(faults.every((e) => e.nodes.length === 1 && [4, 5, 6].includes(e.nodes[0]!)));
    const noLinks = nemesisSchedule({ ...o, compute: [4, 5, 6], links: false });
    assert.ok(noLinks.every((e) => e.kind !== 'isolate-compute'));
  });
});

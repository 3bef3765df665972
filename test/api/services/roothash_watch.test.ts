/**
 * RootHash events and per-runtime streams, and the scheduler's committee stream, over a real roothash
 * chain: a round is committed and finalized while `WatchBlocks` and `WatchExecutorCommitments` are open;
 * `GetEvents` (official client) answers the round's events with the runtime ID beside their kind, as
 * `roothash.Event` has it; `WatchCommittees` sends the committee elected at the next epoch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { NodeClient } from '../../../src/api/grpc_client.ts';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import { registryWatchMethods } from '../../../src/api/services/registry_watch.ts';
import { roothashWatchMethods } from '../../../src/api/services/roothash_watch.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { EPOCH_INTERVAL, key } from '../../services/registry/fixture.ts';
import {
  commitBody,
  commitment,
  committeeNodes,
  nextScheduler,
  RUNTIME,
  roothashChain,
} from '../../services/roothash/fixture.ts';
import { within } from './deadlines.ts';
import { LiveChain } from './live_chain.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

describe('RootHash GetEvents and per-runtime streams', () => {
  const chain = roothashChain();
  chain.advanceToEpoch(1n);
  const live = new LiveChain(chain);
  const registry = new ApiRegistry();
  registry.register(...roothashWatchMethods(live), ...registryWatchMethods(live));
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-rh-'));
  const server = new GrpcServer(registry, join(dir, 'internal.sock'));
  const web = new GrpcWebServer(registry);
  const grpc = new NodeClient(`unix:${join(dir, 'internal.sock')}`);
  let nic: oasis.client.NodeInternal;

  before(async () => {
    await server.start();
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(async () => {
    grpc.close();
    await web.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams commitments and the finalized block; GetEvents has runtime_id beside the kind', async () => {
    type Annotated = { height: number; block: { header: { round: number | bigint } } };
    const blocks = grpc
      .stream<Annotated>('oasis-core.RootHash', 'WatchBlocks', RUNTIME)
      [Symbol.asyncIterator]();
    const commits = grpc
      .stream<{ node_id: Uint8Array }>('oasis-core.RootHash', 'WatchExecutorCommitments', RUNTIME)
      [Symbol.asyncIterator]();
    const current = await within(blocks.next(), 'the latest block');
    const round = BigInt(current.value!.block.header.round);
    const nextCommit = commits.next();
    const nextBlock = blocks.next();
    while (live.watchers < 2) await new Promise((r) => setTimeout(r, 10));

    const scheduler = nextScheduler(chain);
    const other = committeeNodes(chain).workers.find((w) => w !== scheduler)!;
    const fee = { amount: 0n, gas: 2000n };
    for (const n of [scheduler, other]) {
      const tx = chain.sign(key(1), RoothashMethods.executorCommit, commitBody([commitment(chain, n)]), fee);
      const res = live.block([tx]).results[0]!;
      assert.equal(res.error, undefined, res.error?.message);
    }
    const finalizedAt = chain.height - 1;
    assert.ok((await within(nextCommit, 'a commitment')).value!.node_id instanceof Uint8Array);
    const finalized = (await within(nextBlock, 'the finalized block')).value!;
    assert.equal(BigInt(finalized.block.header.round), round + 1n);
    assert.equal(Number(finalized.height), finalizedAt);
    await blocks.return?.();
    await commits.return?.();

    const events = await nic.rootHashGetEvents(finalizedAt);
    const fin = events.find((e) => e.finalized !== undefined)!;
    assert.deepEqual(fin.runtime_id, RUNTIME);
    assert.equal(BigInt(fin.finalized!.round), round + 1n);
    assert.equal(Number(fin.height), finalizedAt);
  });

  it('Scheduler.WatchCommittees sends the committees elected at the next epoch', async () => {
    type Committee = { runtime_id: Uint8Array; valid_for: number | bigint; members: unknown[] };
    const stream = grpc.stream<Committee>('oasis-core.Scheduler', 'WatchCommittees')[Symbol.asyncIterator]();
    const next = stream.next();
    while (live.watchers < 1) await new Promise((r) => setTimeout(r, 10));
    const epoch = Math.floor(chain.height / EPOCH_INTERVAL) + 1;
    while (chain.height <= epoch * EPOCH_INTERVAL) live.block();
    const committee = (await within(next, 'a committee')).value!;
    assert.deepEqual(committee.runtime_id, RUNTIME);
    assert.equal(Number(committee.valid_for), epoch);
    assert.ok(committee.members.length > 0);
    await stream.return?.();
  });
});

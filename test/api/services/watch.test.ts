/**
 * Block-driven streams over a real service chain (beacon, staking, registry, scheduler, governance):
 * what each sends as blocks commit, that each ends on the server when the caller leaves, that a caller
 * falling too far behind is cut off, and `WaitEpoch` through the official client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { GrpcError, GrpcStatus } from '../../../src/api/errors.ts';
import { NodeClient } from '../../../src/api/grpc_client.ts';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import { beaconMethods } from '../../../src/api/services/beacon.ts';
import { beaconWatchMethods } from '../../../src/api/services/beacon_watch.ts';
import { eventMethods } from '../../../src/api/services/events.ts';
import { registryWatchMethods } from '../../../src/api/services/registry_watch.ts';
import { subscriptionStream } from '../../../src/api/subscription_stream.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { addr, EPOCH_INTERVAL, GovernanceChain, key } from '../../services/governance/fixture.ts';
import { nodeDescriptor, signedEntity, signedNode } from '../../services/registry/fixture.ts';
import { waitFor, within } from './deadlines.ts';
import { LiveChain } from './live_chain.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

describe('block-driven streams', () => {
  const chain = new GovernanceChain();
  const live = new LiveChain(chain);
  const registry = new ApiRegistry();
  registry.register(
    ...beaconMethods(live),
    ...beaconWatchMethods(live),
    ...registryWatchMethods(live),
    ...eventMethods('oasis-core.Staking', 'staking', live),
  );
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-watch-'));
  const server = new GrpcServer(registry, join(dir, 'internal.sock'));
  const web = new GrpcWebServer(registry);
  const grpc = new NodeClient(`unix:${join(dir, 'internal.sock')}`);
  let nic: oasis.client.NodeInternal;

  before(async () => {
    live.block();
    await server.start();
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(async () => {
    grpc.close();
    await web.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `method`, runs `act` once it subscribed, returns the first `n` items and closes the stream. */
  async function take(service: string, method: string, n: number, act: () => void): Promise<unknown[]> {
    const iterator = grpc.stream(service, method)[Symbol.asyncIterator]();
    const pending = iterator.next();
    const before = live.watchers;
    await waitFor(() => live.watchers > before, `${method} to subscribe`);
    act();
    const items: unknown[] = [];
    items.push((await within(pending, method)).value);
    while (items.length < n) items.push((await within(iterator.next(), method)).value);
    await iterator.return?.();
    await waitFor(() => live.watchers === before, `${method} to end on the server`);
    return items;
  }

  it('WatchEpochs sends the current epoch at once, then each new epoch', async () => {
    const iterator = grpc.stream<bigint>('oasis-core.Beacon', 'WatchEpochs')[Symbol.asyncIterator]();
    assert.equal(BigInt((await iterator.next()).value!), 0n);
    const next = iterator.next();
    await waitFor(() => live.watchers === 1, 'WatchEpochs to subscribe');
    while (chain.height <= EPOCH_INTERVAL) live.block();
    assert.equal(BigInt((await next).value!), 1n);
    await iterator.return?.();
    await waitFor(() => live.watchers === 0, 'WatchEpochs to end on the server');
  });

  it('WaitEpoch (official client) returns once the epoch is reached', async () => {
    let done = false;
    const waiting = nic.beaconWaitEpoch(2).then(() => (done = true));
    await waitFor(() => live.watchers === 1, 'WaitEpoch to subscribe');
    assert.equal(done, false);
    while (chain.height <= 2 * EPOCH_INTERVAL) live.block();
    await waiting;
    await nic.beaconWaitEpoch(1); // already reached: at once
    assert.equal(live.watchers, 0);
  });

  it('Registry WatchEntities, WatchNodes and WatchNodeList, Staking WatchEvents', async () => {
    const [entity] = (await take('oasis-core.Registry', 'WatchEntities', 1, () => {
      const res = live.block([chain.sign(key(3), RegistryMethods.registerEntity, signedEntity(3))])
        .results[0]!;
      assert.equal(res.error, undefined, res.error?.message);
    })) as Array<{ entity: { id: Uint8Array }; is_registration: boolean }>;
    assert.deepEqual(entity!.entity.id, key(3).publicKey);
    assert.equal(entity!.is_registration, true);

    const [list] = (await take('oasis-core.Registry', 'WatchNodeList', 1, () => {
      const next = (Math.floor(chain.height / EPOCH_INTERVAL) + 1) * EPOCH_INTERVAL;
      while (chain.height <= next) live.block();
    })) as Array<{ nodes: unknown[] }>;
    assert.equal(list!.nodes.length, 2);

    const desc = nodeDescriptor(1, 1, { expiration: chain.epoch + 2n });
    const [node] = (await take('oasis-core.Registry', 'WatchNodes', 1, () => {
      const res = live.block([chain.sign(key(101), RegistryMethods.registerNode, signedNode(desc, 1))])
        .results[0]!;
      assert.equal(res.error, undefined, res.error?.message);
    })) as Array<{ node: { id: Uint8Array; expiration: bigint | number }; is_registration: boolean }>;
    assert.deepEqual(node!.node.id, desc.id);
    assert.equal(BigInt(node!.node.expiration), chain.epoch + 2n);
    assert.equal(node!.is_registration, true);

    const transfer = BodyEncoders.transfer({ to: addr(3), amount: 5n });
    const [event] = (await take('oasis-core.Staking', 'WatchEvents', 1, () =>
      live.block([chain.sign(key(1), StakingMethods.transfer, transfer)]),
    )) as Array<{ height: number; transfer: { to: Uint8Array } }>;
    assert.equal(Number(event!.height), chain.height - 1);
    assert.deepEqual(event!.transfer.to, addr(3));
  });

  it('cuts off a caller that falls more than the bound behind', async () => {
    const push: Array<(n: number) => void> = [];
    const ac = new AbortController();
    const stream = subscriptionStream<number>(
      (p) => {
        push.push(p);
        return () => {};
      },
      ac.signal,
      2,
    )[Symbol.asyncIterator]();
    const first = stream.next();
    for (const n of [1, 2, 3]) push[0]!(n);
    assert.equal((await first).value, 1);
    assert.equal((await stream.next()).value, 2);
    await assert.rejects(
      stream.next(),
      (e) => e instanceof GrpcError && e.status === GrpcStatus.resourceExhausted,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../../src/codec/bytes.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import { ServiceContext } from '../../../src/services/mux/context.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import { suspendRuntime } from '../../../src/services/registry/suspension.ts';
import {
  addr,
  computeRuntime,
  key,
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from './fixture.ts';
import { expectOk } from './helpers.ts';

describe('registry epoch maintenance', () => {
  it('announces an expired node once, keeps it for the debonding interval, then removes it and its claim', () => {
    // debonding interval 2 epochs (staking test parameters); epochs of 5 blocks.
    const c = new RegistryChain(
      stakedGenesis([
        [1, 1000n, 1000n],
        [101, 1000n, 0n],
      ]),
      registryGenesis({ entities: [signedEntity(1, [1])] }),
    );
    const desc = nodeDescriptor(1, 1, { expiration: 1n });
    expectOk(c.run(key(101), RegistryMethods.registerNode, signedNode(desc, 1)));
    const claim = `registry.RegisterNode.${toBase64(desc.id)}`;
    const nodeEvents = (blocks: ReturnType<RegistryChain['advanceToEpoch']>) =>
      blocks.flatMap((b) => b.events).filter((e) => e.module === 'registry' && e.kind === 'node');

    // Epoch 1: expiration 1 is not yet past.
    assert.equal(nodeEvents(c.advanceToEpoch(1n)).length, 0);
    assert.equal(c.registry.nodeStatus(desc.id).expiration_processed, false);
    // Epoch 2: expired, announced once.
    const expired = nodeEvents(c.advanceToEpoch(2n));
    assert.equal(expired.length, 1);
    assert.equal((expired[0]!.value as { is_registration: boolean }).is_registration, false);
    assert.equal(c.registry.nodeStatus(desc.id).expiration_processed, true);
    // Epoch 3: still kept (1 + 2 is not < 3), not announced again.
    assert.equal(nodeEvents(c.advanceToEpoch(3n)).length, 0);
    assert.notEqual(c.registry.node(desc.id), undefined);
    assert.equal(c.staking.account(addr(1)).escrow.claims.has(claim), true);
    // Epoch 4: removed with its claim and indexes.
    c.advanceToEpoch(4n);
    assert.equal(c.registry.node(desc.id), undefined);
    assert.equal(c.registry.nodeIdBySubKey(desc.consensus.id), undefined);
    assert.equal(c.registry.hasEntityNodes(key(1).publicKey), false);
    assert.equal(c.staking.account(addr(1)).escrow.claims.has(claim), false);
    // The entity can now leave.
    expectOk(c.run(key(1), RegistryMethods.deregisterEntity, undefined));
  });

  it('re-registering an expired node makes it live again', () => {
    const c = new RegistryChain(
      stakedGenesis([
        [1, 1000n, 1000n],
        [101, 1000n, 0n],
      ]),
      registryGenesis({ entities: [signedEntity(1, [1])] }),
    );
    expectOk(
      c.run(key(101), RegistryMethods.registerNode, signedNode(nodeDescriptor(1, 1, { expiration: 1n }), 1)),
    );
    c.advanceToEpoch(2n);
    const renewed = nodeDescriptor(1, 1, { expiration: 4n });
    const res = c.run(key(101), RegistryMethods.registerNode, signedNode(renewed, 1));
    expectOk(res);
    assert.equal(res.gasUsed, 0n); // no runtimes: no maintenance fee
    assert.equal(c.registry.nodeStatus(renewed.id).expiration_processed, false);
    c.advanceToEpoch(5n);
    assert.notEqual(c.registry.node(renewed.id), undefined);
  });
});

describe('runtime suspension', () => {
  it('suspends with an event, and a node paying for the runtime resumes it', () => {
    const c = new RegistryChain(
      stakedGenesis([
        [1, 1000n, 1000n],
        [101, 1000n, 0n],
      ]),
      registryGenesis({ entities: [signedEntity(1, [1])], runtimes: [computeRuntime(1, 1)] }),
    );
    c.block();
    const block = c.mux.newBlock(c.state, {
      height: c.height,
      time: 0,
      proposer: new Uint8Array(0),
      lastCommit: [],
      misbehavior: [],
    });
    const ctx = new ServiceContext({ mode: 'begin', block, state: c.state, epochs: new BeaconService() });
    suspendRuntime(ctx, runtimeId(1));
    assert.deepEqual(
      ctx.events.map((e) => [e.kind, (e.value as { runtime_id: Uint8Array }).runtime_id]),
      [['runtime_suspended', runtimeId(1)]],
    );
    assert.equal(c.registry.runtime(runtimeId(1)), undefined);
    assert.throws(() => suspendRuntime(ctx, runtimeId(1)), /no such runtime/);
    const compute = nodeDescriptor(1, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(1)] });
    const res = c.run(key(101), RegistryMethods.registerNode, signedNode(compute, 1));
    expectOk(res);
    assert.ok(res.events.some((e) => e.kind === 'runtime_started'));
    assert.notEqual(c.registry.runtime(runtimeId(1)), undefined);
  });
});

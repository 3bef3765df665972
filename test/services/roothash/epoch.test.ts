import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import { HeaderType } from '../../../src/services/roothash/api/block.ts';
import { stakingMessage } from '../../../src/services/roothash/api/messages.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { RoothashQueries } from '../../../src/services/roothash/api/queries.ts';
import { RoothashStateReader } from '../../../src/services/roothash/state.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';
import { addr, key, nodeDescriptor, nodeKeys, signedNode } from '../registry/fixture.ts';
import { expectFailure, expectOk } from '../registry/helpers.ts';
import {
  COMPUTE_NODES,
  commitBody,
  commitment,
  committeeNodes,
  latestHeader,
  nextScheduler,
  RUNTIME,
  RUNTIME_ADDRESS,
  roothashChain,
  roots,
  submit,
} from './fixture.ts';

const escrowOf = (c: ReturnType<typeof roothashChain>, n: number) =>
  c.staking.account(addressFromPublicKey(key(COMPUTE_NODES.get(n)!).publicKey)).escrow.active.balance;

/** Runs one agreed round with every worker committing in one transaction. */
function agreedRound(c: ReturnType<typeof roothashChain>, variant: string): void {
  const { workers } = committeeNodes(c);
  const scheduler = nextScheduler(c);
  expectOk(
    submit(
      c,
      workers.map((w) => commitment(c, w, { scheduler, variant })),
    ).results[0]!,
  );
}

describe('roothash epochs', () => {
  it('suspends a runtime without a committee and refuses its commitments, then resumes it', () => {
    const c = roothashChain();
    c.advanceToEpoch(1n);
    const commit = commitment(c, nextScheduler(c));
    // With two of the three compute nodes frozen no committee can form (a node may be worker and backup).
    for (const n of [4, 5]) registryHooks.freezeNode(c.state, nodeKeys(n).node.publicKey, 3n);
    c.advanceToEpoch(2n);
    assert.equal(latestHeader(c).header_type, HeaderType.suspended);
    assert.equal(latestHeader(c).round, 2n);
    expectFailure(c, key(1), RoothashMethods.executorCommit, commitBody([commit]), 'roothash', 5);
    c.closeOpenBlock();
    assert.ok(c.registry.suspendedRuntime(RUNTIME) !== undefined, 'suspended in the registry too');
    // Unfrozen nodes alone do not bring it back; a node registering for it resumes the runtime.
    for (const n of [4, 5]) registryHooks.freezeNode(c.state, nodeKeys(n).node.publicKey, 0n);
    const node = nodeDescriptor(4, 2, {
      roles: NodeRoles.computeWorker,
      runtimes: [RUNTIME],
      expiration: 6n,
    });
    expectOk(c.run(nodeKeys(4).node, RegistryMethods.registerNode, signedNode(node, 4)));
    assert.ok(c.registry.runtime(RUNTIME) !== undefined, 'resumed in the registry');
    c.advanceToEpoch(3n);
    assert.equal(latestHeader(c).header_type, HeaderType.epochTransition);
    assert.equal(latestHeader(c).round, 3n);
    assert.equal(new RoothashStateReader(c.state).runtimeState(RUNTIME)!.suspended, false);
  });

  it('keeps only max_past_roots_stored round roots', () => {
    const c = roothashChain();
    c.advanceToEpoch(1n);
    for (const v of ['a', 'b', 'c', 'd']) agreedRound(c, v);
    assert.equal(latestHeader(c).round, 5n);
    const past = RoothashQueries.getPastRoundRoots(c.state, RUNTIME);
    assert.deepEqual([...past.keys()], [3n, 4n, 5n]);
    assert.deepEqual(past.get(5n), [roots('d').state_root, roots('d').io_root]);
    assert.equal(RoothashQueries.getRoundRoots(c.state, RUNTIME, 2n), null);
  });

  it('faults and slashes a worker that missed the epoch, keeping it off the next committee', () => {
    const c = roothashChain({
      runtime: (rt) => {
        rt.executor.min_live_rounds_percent = 100;
        rt.executor.min_live_rounds_eval = 1n;
        rt.executor.max_liveness_fails = 1;
        rt.staking.slashing.set(SlashReason.runtimeLiveness, { amount: 50n, freeze_interval: 0n });
      },
    });
    c.advanceToEpoch(1n);
    const scheduler = nextScheduler(c);
    const { workers, backups } = committeeNodes(c);
    const absent = workers.find((w) => w !== scheduler)!;
    assert.ok(!backups.includes(absent));
    submit(c, [commitment(c, scheduler)]);
    while (latestHeader(c).round === 1n && c.height < 9) {
      c.block();
      if (new RoothashStateReader(c.state).runtimeState(RUNTIME)!.pool?.discrepancy) break;
    }
    submit(c, [commitment(c, backups[0]!, { scheduler })]);
    assert.equal(latestHeader(c).header_type, HeaderType.normal);
    c.advanceToEpoch(2n);
    const fault = [...c.registry.nodeStatus(nodeKeys(absent).node.publicKey).faults.values()][0];
    assert.equal(fault?.failures, 1);
    assert.equal(fault?.suspended_until, 4n);
    assert.equal(c.registry.nodeStatus(nodeKeys(scheduler).node.publicKey).faults.size, 0);
    assert.equal(escrowOf(c, absent), 950n);
    assert.equal(escrowOf(c, scheduler), 1000n);
    // The scheduler elected epoch 2 before the roothash judged epoch 1; the fault counts from epoch 3.
    c.advanceToEpoch(3n);
    assert.deepEqual(
      committeeNodes(c).workers.concat(committeeNodes(c).backups).includes(absent),
      false,
      'the faulty worker is off the committee',
    );
  });
});

describe('roothash owner stake', () => {
  it('suspends the runtime at the next election when its owner no longer backs the stake claims', () => {
    const c = roothashChain();
    c.advanceToEpoch(1n);
    assert.equal(latestHeader(c).header_type, HeaderType.epochTransition);
    const owner = c.staking.account(addr(1));
    // Claims are entity + validator node + runtime = 300; move all but 150 of the escrow to the general balance.
    owner.general.balance += owner.escrow.active.balance - 150n;
    owner.escrow.active.balance = 150n;
    c.staking.setAccount(addr(1), owner);
    c.advanceToEpoch(2n);
    assert.equal(latestHeader(c).header_type, HeaderType.suspended);
    assert.ok(c.registry.suspendedRuntime(RUNTIME) !== undefined);
  });
});

describe('roothash withdraw messages', () => {
  it('withdraws from an account that allowed the runtime', () => {
    const c = roothashChain();
    const allow = c.run(
      key(2),
      StakingMethods.allow,
      BodyEncoders.allow({ beneficiary: RUNTIME_ADDRESS, negative: false, amountChange: 200n }),
    );
    expectOk(allow);
    c.advanceToEpoch(1n);
    const before = c.staking.account(addr(2)).general.balance;
    const messages = [stakingMessage({ withdraw: { from: addr(2), amount: 150n } })];
    const { workers } = committeeNodes(c);
    const scheduler = nextScheduler(c);
    const res = submit(
      c,
      workers.map((w) => commitment(c, w, w === scheduler ? { messages } : { hashOf: messages })),
    );
    expectOk(res.results[0]!);
    assert.equal(c.staking.account(addr(2)).general.balance, before - 150n);
    assert.equal(c.staking.account(RUNTIME_ADDRESS).general.balance, 1150n);
    assert.equal(c.staking.account(addr(2)).general.allowances.size, 1);
  });
});

/**
 * The upgrade manager driven by real block execution (beacon, staking, registry, scheduler and
 * governance over memory state): a passed upgrade proposal reaches the manager, the node of the old
 * version stops before the first block of the upgrade epoch, and one of the new version executes that
 * block with the handler's consensus stage; a passed cancellation unschedules the upgrade.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../../src/errors.ts';
import { epochOfBlock } from '../../../src/services/beacon/state.ts';
import { Vote } from '../../../src/services/governance/api/proposal.ts';
import type { UpgradeHook } from '../../../src/services/mux/upgrade_hook.ts';
import { upgradeHook } from '../../../src/services/upgrade/consensus_hook.ts';
import type { MigrationHandler } from '../../../src/services/upgrade/handlers.ts';
import { UpgradeManager } from '../../../src/services/upgrade/manager.ts';
import { EPOCH_INTERVAL, GovernanceChain } from '../governance/fixture.ts';
import { expectOk } from '../registry/helpers.ts';
import { descriptor, MemoryUpgradeStore } from './memory_store.ts';

const V7 = { major: 7, minor: 0, patch: 0 };
const V8 = { major: 8, minor: 0, patch: 0 };
const MARK = new Uint8Array([0xfe, 0x01]);

/** A handler that needs a restart and writes a mark key in the upgrade block's EndBlock (counting runs). */
function markingHandler(runs: string[]): Map<string, MigrationHandler> {
  return new Map([
    [
      'mark-state',
      {
        hasStartupUpgrade: true,
        startupUpgrade: () => runs.push('startup'),
        consensusUpgrade: (ctx) => {
          runs.push(`${ctx.mode}@${ctx.height}`);
          if (ctx.mode === 'end') ctx.state.set(MARK, new Uint8Array([runs.length]));
        },
      },
    ],
  ]);
}

/** A chain whose upgrade hook can be swapped (the same state under an old and a new node version). */
function chainWithSwappableHook() {
  const slot: { hook: UpgradeHook | undefined } = { hook: undefined };
  const delegating: UpgradeHook = {
    beginBlock: (ctx) => slot.hook?.beginBlock(ctx),
    endBlock: (ctx) => slot.hook?.endBlock(ctx),
    checkTx: (h) => slot.hook?.checkTx(h),
  };
  return { chain: new GovernanceChain(undefined, { upgrades: delegating }), slot };
}

/** Both validators back proposal `id`; runs blocks until its closing epoch's first block executed. */
function pass(c: GovernanceChain, id: bigint): void {
  expectOk(c.vote(1, id, Vote.yes));
  expectOk(c.vote(2, id, Vote.yes));
  c.advanceToEpoch(c.governance.proposal(id)!.closes_at);
}

/** The check a node runs after committing the last executed block. */
const afterCommit = (c: GovernanceChain, m: UpgradeManager) =>
  m.consensusUpgrade(undefined, epochOfBlock(c.state, c.height), BigInt(c.height - 1));

describe('upgrades through governance and block execution', () => {
  it('a passed upgrade stops the old version before its epoch; the new version runs it in that block', () => {
    const { chain: c, slot } = chainWithSwappableHook();
    const runs: string[] = [];
    const handlers = markingHandler(runs);
    const store = new MemoryUpgradeStore();
    const old = new UpgradeManager({ store, ownVersion: V7, handlers });
    slot.hook = upgradeHook(old);
    const d = descriptor(12n, 8, 'mark-state');
    expectOk(c.submit(1, { upgrade: d }));
    assert.equal(old.pendingUpgrades().length, 0, 'not before the proposal passes');
    pass(c, 1n);
    assert.deepEqual(
      old.pendingUpgrades().map((pu) => pu.descriptor),
      [d],
    );
    assert.deepEqual(
      c.governance.pendingUpgradeProposals().map((p) => p.id),
      [1n],
    );

    // Up to the last block of epoch 11: the node runs on.
    const firstOfEpoch = 12 * EPOCH_INTERVAL;
    while (c.height < firstOfEpoch) {
      afterCommit(c, old);
      c.block();
    }
    assert.throws(
      () => afterCommit(c, old),
      (e) => CodedError.is(e, 'upgrade', 1),
    );
    assert.equal(old.stopping?.upgrade_height, BigInt(firstOfEpoch - 1));
    assert.throws(
      () => slot.hook!.checkTx(firstOfEpoch - 1),
      (e) => CodedError.is(e, 'consensus/transaction', 4),
    );
    // Executing the upgrade block anyway is refused before any service runs.
    assert.throws(
      () => c.block(),
      (e) => CodedError.is(e, 'upgrade', 1),
    );
    c.height--;
    assert.deepEqual(runs, []);

    // The new version over the same record.
    const next = new UpgradeManager({ store, ownVersion: V8, handlers });
    next.startupUpgrade();
    slot.hook = upgradeHook(next);
    afterCommit(c, next);
    c.block();
    assert.deepEqual(runs, ['startup', `begin@${firstOfEpoch}`, `end@${firstOfEpoch}`]);
    assert.deepEqual(c.state.get(MARK), new Uint8Array([3]));
    assert.equal(epochOfBlock(c.state, c.height - 1), 12n);
    assert.deepEqual(c.governance.pendingUpgradeProposals(), [], 'governance drops it once applied');
    afterCommit(c, next);
    c.block();
    assert.deepEqual(next.pendingUpgrades(), []);
    assert.equal(runs.length, 3, 'the handler ran once');
    assert.throws(() => new UpgradeManager({ store, ownVersion: V7, handlers }), /went through upgrade/);
  });

  it('a node that never took up a governance upgrade stops at its epoch', () => {
    const { chain: c, slot } = chainWithSwappableHook();
    expectOk(c.submit(1, { upgrade: descriptor(12n, 7, 'empty') }));
    pass(c, 1n);
    // A manager that missed the proposal (e.g. its state came from elsewhere).
    const blind = new UpgradeManager({ store: new MemoryUpgradeStore(), ownVersion: V7 });
    slot.hook = upgradeHook(blind);
    while (c.height < 12 * EPOCH_INTERVAL) c.block();
    assert.throws(
      () => c.block(),
      /governance upgrade "empty" at epoch 12 \(proposal 1\) is not being applied/,
    );
  });

  it('a passed cancel_upgrade proposal unschedules the upgrade in the manager', () => {
    const { chain: c, slot } = chainWithSwappableHook();
    const m = new UpgradeManager({ store: new MemoryUpgradeStore(), ownVersion: V7 });
    slot.hook = upgradeHook(m);
    expectOk(c.submit(1, { upgrade: descriptor(20n) }));
    pass(c, 1n);
    assert.equal(m.pendingUpgrades().length, 1);
    expectOk(c.submit(1, { cancel_upgrade: { proposal_id: 1n } }));
    pass(c, 2n);
    assert.deepEqual(m.pendingUpgrades(), []);
    assert.deepEqual(c.governance.pendingUpgradeProposals(), []);
    while (c.height <= 20 * EPOCH_INTERVAL + 1) {
      afterCommit(c, m);
      c.block();
    }
    assert.equal(m.stopping, undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../../src/errors.ts';
import { UpgradeStage } from '../../../src/services/upgrade/api/pending.ts';
import type { MigrationHandler } from '../../../src/services/upgrade/handlers.ts';
import { UpgradeManager, UpgradeRefusedError } from '../../../src/services/upgrade/manager.ts';
import { descriptor, MemoryUpgradeStore } from './memory_store.ts';

const V7 = { major: 7, minor: 0, patch: 0 };
const V8 = { major: 8, minor: 3, patch: 1 };
const coded = (module: string, code: number) => (e: unknown) => CodedError.is(e, module, code);

/** Handlers that record their calls. */
function recordingHandlers(calls: string[]): Map<string, MigrationHandler> {
  const make = (name: string, hasStartupUpgrade: boolean): MigrationHandler => ({
    hasStartupUpgrade,
    startupUpgrade: () => calls.push(`${name}:startup`),
    consensusUpgrade: (ctx) => calls.push(`${name}:${ctx.mode}`),
  });
  return new Map([
    ['restart-me', make('restart-me', true)],
    ['in-place', make('in-place', false)],
  ]);
}

/** A context stand-in carrying only the mode the handlers record. */
const ctxOf = (mode: 'begin' | 'end') => ({ mode }) as never;

describe('upgrade manager', () => {
  it('schedules and cancels descriptors with oasis-core codes, and persists them', () => {
    const store = new MemoryUpgradeStore();
    const m = new UpgradeManager({ store, ownVersion: V7 });
    assert.equal(store.value, undefined);
    m.submitDescriptor(descriptor(10n));
    assert.throws(() => m.submitDescriptor(descriptor(10n)), coded('upgrade', 5));
    assert.throws(() => m.submitDescriptor(descriptor(10n, 8, 'x')), coded('upgrade', 8));
    assert.throws(() => m.submitDescriptor(descriptor(0n)), coded('upgrade', 8));
    assert.throws(() => m.submitDescriptor({ ...descriptor(10n), v: 2n }), coded('upgrade', 8));
    assert.throws(() => m.getUpgrade(descriptor(11n)), coded('upgrade', 7));
    m.submitDescriptor(descriptor(20n, 8, 'in-place'));
    assert.equal(m.pendingUpgrades().length, 2);
    // A reopened manager sees the same upgrades.
    assert.equal(new UpgradeManager({ store, ownVersion: V7 }).pendingUpgrades().length, 2);
    m.cancelUpgrade(descriptor(99n)); // unknown: no error
    m.cancelUpgrade(descriptor(20n, 8, 'in-place'));
    assert.deepEqual(
      m.pendingUpgrades().map((pu) => pu.descriptor.epoch),
      [10n],
    );
    m.cancelUpgrade(descriptor(10n));
    assert.equal(store.value, undefined, 'no pending upgrade: nothing stored');
  });

  it('an incompatible node stops at the epoch, cannot cancel then, and its old version refuses to start', () => {
    const store = new MemoryUpgradeStore();
    const m = new UpgradeManager({ store, ownVersion: V7 });
    const stops: bigint[] = [];
    m.onStop((pu) => stops.push(pu.upgrade_height));
    m.submitDescriptor(descriptor(3n));
    m.consensusUpgrade(undefined, 2n, 29n);
    assert.equal(m.stopping === undefined, true);
    assert.equal(m.hasPendingUpgradeAt(29n), false);
    const writes = store.writes;
    m.consensusUpgrade(undefined, 2n, 30n);
    assert.equal(store.writes, writes, 'an unchanged record is not rewritten');
    assert.throws(() => m.consensusUpgrade(undefined, 3n, 39n), coded('upgrade', 1));
    assert.deepEqual(stops, [39n]);
    assert.equal(m.stopping?.upgrade_height, 39n);
    assert.equal(m.hasPendingUpgradeAt(39n), true);
    // Keeps refusing, listeners are told once.
    assert.throws(() => m.consensusUpgrade(undefined, 3n, 39n), coded('upgrade', 1));
    assert.deepEqual(stops, [39n]);
    assert.throws(() => m.cancelUpgrade(descriptor(3n)), coded('upgrade', 6));
    assert.throws(
      () => new UpgradeManager({ store, ownVersion: V7 }),
      (e: unknown) =>
        e instanceof UpgradeRefusedError &&
        /upgrade "__e2e-test-valid" \(consensus protocol 8\.0\.0\) reached at epoch 3, height 39/.test(
          e.message,
        ) &&
        /consensus protocol 8\.x/.test(e.message),
    );
  });

  it('the new version runs the startup stage once, the consensus stage in the upgrade block, then forgets it', () => {
    const store = new MemoryUpgradeStore();
    const calls: string[] = [];
    const handlers = recordingHandlers(calls);
    const old = new UpgradeManager({ store, ownVersion: V7, handlers });
    old.submitDescriptor(descriptor(3n, 8, 'restart-me'));
    assert.throws(() => old.consensusUpgrade(undefined, 3n, 39n), coded('upgrade', 1));

    const next = new UpgradeManager({ store, ownVersion: V8, handlers });
    next.startupUpgrade();
    next.startupUpgrade();
    assert.deepEqual(calls, ['restart-me:startup']);
    assert.equal(next.pendingUpgrades()[0]!.last_completed_stage, UpgradeStage.startup);
    // A restart before the upgrade block does not repeat the startup stage.
    const again = new UpgradeManager({ store, ownVersion: V8, handlers });
    again.startupUpgrade();
    assert.deepEqual(calls, ['restart-me:startup']);
    // Block 40 (lastHeight 39): the post-commit check runs nothing, BeginBlock and EndBlock run the stage.
    again.consensusUpgrade(undefined, 3n, 39n);
    again.consensusUpgrade(ctxOf('begin'), 3n, 39n);
    again.consensusUpgrade(ctxOf('end'), 3n, 39n);
    assert.equal(again.stopping, undefined);
    assert.deepEqual(calls, ['restart-me:startup', 'restart-me:begin', 'restart-me:end']);
    assert.equal(again.hasPendingUpgradeAt(39n), true);
    again.consensusUpgrade(undefined, 3n, 40n);
    assert.deepEqual(again.pendingUpgrades(), []);
    assert.equal(again.hasPendingUpgradeAt(39n), false);
    again.consensusUpgrade(ctxOf('begin'), 3n, 41n);
    assert.equal(calls.length, 3);
    // The data directory now belongs to consensus protocol 8: the old software refuses it for good.
    assert.throws(
      () => new UpgradeManager({ store, ownVersion: V7, handlers }),
      /went through upgrade "restart-me" at height 39 to consensus protocol 8\.0\.0/,
    );
    assert.deepEqual(new UpgradeManager({ store, ownVersion: V8, handlers }).pendingUpgrades(), []);
  });

  it('upgrades in place when compatible with a handler that needs no restart', () => {
    const store = new MemoryUpgradeStore();
    const calls: string[] = [];
    const m = new UpgradeManager({ store, ownVersion: V7, handlers: recordingHandlers(calls) });
    m.submitDescriptor(descriptor(3n, 7, 'in-place'));
    m.consensusUpgrade(undefined, 3n, 39n);
    assert.equal(m.stopping, undefined);
    m.consensusUpgrade(ctxOf('begin'), 3n, 39n);
    m.consensusUpgrade(ctxOf('end'), 3n, 39n);
    m.consensusUpgrade(ctxOf('begin'), 3n, 40n);
    assert.deepEqual(calls, ['in-place:begin', 'in-place:end']);
    assert.deepEqual(m.pendingUpgrades(), []);
  });

  it('stops for a compatible upgrade whose handler needs a restart, or that this software lacks', () => {
    for (const [handler, startsAgain] of [
      ['restart-me', true],
      ['unknown-handler', false],
    ] as const) {
      const store = new MemoryUpgradeStore();
      const handlers = recordingHandlers([]);
      const m = new UpgradeManager({ store, ownVersion: V7, handlers });
      m.submitDescriptor(descriptor(3n, 7, handler));
      assert.throws(() => m.consensusUpgrade(undefined, 3n, 39n), coded('upgrade', 1));
      const restart = () => new UpgradeManager({ store, ownVersion: V7, handlers });
      if (startsAgain) restart().startupUpgrade();
      else assert.throws(restart, /has no handler "unknown-handler"/);
    }
  });
});

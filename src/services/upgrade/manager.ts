/**
 * The node's upgrade manager (oasis-core `go/upgrade`): pending upgrades come from passed governance
 * proposals and from the operator (`NodeController.UpgradeBinary`). When the chain reaches an upgrade's
 * epoch the manager records the height and decides whether this software can carry on in place (it
 * speaks the target consensus protocol major and has the handler, and the handler needs no restart) or
 * must stop. At start it refuses to run software that cannot continue past an upgrade already reached —
 * or past one completed here. The upgraded node runs the handler's startup stage once at start and its
 * consensus stage in the upgrade block; then the upgrade is done and dropped.
 *
 * Every change is written to the store before it is reported, so a crash never forgets a reached height.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import type { ServiceContext } from '../mux/context.ts';
import {
  descriptorProblem,
  formatVersion,
  type ProtocolVersion,
  sameDescriptor,
  type UpgradeDescriptor,
} from './api/descriptor.ts';
import { UpgradeErrors } from './api/errors.ts';
import {
  hasStage,
  INVALID_UPGRADE_HEIGHT,
  isCompleted,
  PENDING_UPGRADE_VERSION,
  type PendingUpgrade,
  UpgradeStage,
} from './api/pending.ts';
import { type UpgradeRecord, upgradeRecordCodec } from './api/record.ts';
import { MIGRATION_HANDLERS, type MigrationHandler } from './handlers.ts';

/** Where the manager keeps its record (a file in the data directory; memory in tests). */
export interface UpgradeStore {
  load(): Uint8Array | undefined;
  /** Writes durably; `undefined` deletes the record. */
  save(value: Uint8Array | undefined): void;
}

/** What the manager reports to the node's log. */
export type UpgradeLog = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;

/** How a manager is made. */
export interface UpgradeManagerOptions {
  store: UpgradeStore;
  /** The consensus protocol version this software speaks. */
  ownVersion: ProtocolVersion;
  handlers?: ReadonlyMap<string, MigrationHandler>;
  log?: UpgradeLog;
}

/** Why software refuses to start on a data directory (a reached or completed upgrade it cannot run). */
export class UpgradeRefusedError extends Error {
  override name = 'UpgradeRefusedError';
}

/** Why this software cannot run upgrade `d` in place, or undefined when it can. */
function cannotRunInPlace(
  d: UpgradeDescriptor,
  own: ProtocolVersion,
  handlers: ReadonlyMap<string, MigrationHandler>,
): 'incompatible' | 'no-handler' | 'restart' | undefined {
  if (d.target.consensus_protocol.major !== own.major) return 'incompatible';
  const handler = handlers.get(d.handler);
  if (handler === undefined) return 'no-handler';
  return handler.hasStartupUpgrade ? 'restart' : undefined;
}

/** The operator's instruction when the node stops for `pu` (why, and what to run next). */
export function stopForUpgradeMessage(
  pu: PendingUpgrade,
  own: ProtocolVersion,
  handlers: ReadonlyMap<string, MigrationHandler> = MIGRATION_HANDLERS,
): string {
  const d = pu.descriptor;
  const target = formatVersion(d.target.consensus_protocol);
  const head = `upgrade "${d.handler}" (consensus protocol ${target}) reached at epoch ${d.epoch}, height ${pu.upgrade_height}: this node stops before the first block of that epoch`;
  switch (cannotRunInPlace(d, own, handlers)) {
    case 'incompatible':
      return `${head}; it runs consensus protocol ${formatVersion(own)}. Start the upgraded software (consensus protocol ${d.target.consensus_protocol.major}.x, with handler "${d.handler}") on the same data directory`;
    case 'no-handler':
      return `${head}; this software has no handler "${d.handler}". Start software that carries it on the same data directory`;
    default:
      return `${head}; the upgrade runs at start. Start this node again on the same data directory`;
  }
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === undefined || b === undefined ? a === b : bytesEqual(a, b);

/** The upgrade manager of one node. */
export class UpgradeManager {
  readonly ownVersion: ProtocolVersion;
  readonly #store: UpgradeStore;
  readonly #handlers: ReadonlyMap<string, MigrationHandler>;
  readonly #log: UpgradeLog;
  #pending: PendingUpgrade[];
  #lastCompleted: PendingUpgrade | undefined;
  #stopping: PendingUpgrade | undefined;
  /** What the store holds (null: not known yet), so unchanged records are not rewritten at every block. */
  #saved: Uint8Array | undefined | null = null;
  readonly #stopListeners: Array<(pu: PendingUpgrade) => void> = [];

  /**
   * Loads the record and checks this software may run on it (oasis-core's `checkStatus`); throws
   * `UpgradeRefusedError` when it may not.
   */
  constructor(o: UpgradeManagerOptions) {
    this.ownVersion = o.ownVersion;
    this.#store = o.store;
    this.#handlers = o.handlers ?? MIGRATION_HANDLERS;
    this.#log = o.log ?? (() => {});
    const raw = this.#store.load();
    const record: UpgradeRecord =
      raw === undefined
        ? { pending: [], last_completed: undefined }
        : upgradeRecordCodec.decode(decodeCanonical(raw), 'upgrade record');
    this.#saved = raw;
    this.#pending = record.pending;
    this.#lastCompleted = record.last_completed;
    this.#checkStatus();
  }

  #checkStatus(): void {
    const done = this.#lastCompleted;
    if (done !== undefined && done.descriptor.target.consensus_protocol.major !== this.ownVersion.major) {
      throw new UpgradeRefusedError(
        `this data directory went through upgrade "${done.descriptor.handler}" at height ${done.upgrade_height} to consensus protocol ${formatVersion(done.descriptor.target.consensus_protocol)}; this software runs consensus protocol ${formatVersion(this.ownVersion)} and cannot continue that chain`,
      );
    }
    for (const pu of this.#pending) {
      if (isCompleted(pu) || pu.upgrade_height === INVALID_UPGRADE_HEIGHT) continue;
      const why = cannotRunInPlace(pu.descriptor, this.ownVersion, this.#handlers);
      if (why === 'incompatible' || why === 'no-handler')
        throw new UpgradeRefusedError(stopForUpgradeMessage(pu, this.ownVersion, this.#handlers));
    }
    this.#flush();
  }

  /** The pending upgrades (copies). */
  pendingUpgrades(): PendingUpgrade[] {
    return this.#pending.map((pu) => structuredClone(pu));
  }

  /** The upgrade this node stops for, once decided. */
  get stopping(): PendingUpgrade | undefined {
    return this.#stopping;
  }

  /** Calls `listener` once, when the node must stop for an upgrade. */
  onStop(listener: (pu: PendingUpgrade) => void): void {
    this.#stopListeners.push(listener);
  }

  /** Schedules an upgrade (`SubmitDescriptor`): upgrade/8 when malformed, upgrade/5 when already pending. */
  submitDescriptor(d: UpgradeDescriptor): void {
    const problem = descriptorProblem(d);
    if (problem !== undefined) throw UpgradeErrors.badDescriptor(`upgrade: bad descriptor: ${problem}`);
    if (this.#pending.some((pu) => sameDescriptor(pu.descriptor, d))) throw UpgradeErrors.alreadyPending();
    this.#pending.push({
      v: PENDING_UPGRADE_VERSION,
      descriptor: structuredClone(d),
      upgrade_height: INVALID_UPGRADE_HEIGHT,
      last_completed_stage: 0n,
    });
    this.#log('info', 'received upgrade descriptor, scheduling shutdown', {
      handler: d.handler,
      epoch: d.epoch,
    });
    this.#flush();
  }

  /**
   * Cancels an upgrade (`CancelUpgrade`): upgrade/6 once its epoch was reached or a stage ran; an
   * unknown descriptor is not an error (as oasis-core).
   */
  cancelUpgrade(d: UpgradeDescriptor): void {
    const match = this.#pending.find((pu) => sameDescriptor(pu.descriptor, d));
    if (match === undefined) return;
    if (match.upgrade_height !== INVALID_UPGRADE_HEIGHT || match.last_completed_stage > 0n)
      throw UpgradeErrors.upgradeInProgress();
    this.#pending = this.#pending.filter((pu) => pu !== match);
    this.#log('info', 'upgrade cancelled', { handler: d.handler, epoch: d.epoch });
    this.#flush();
  }

  /** The pending upgrade with descriptor `d` (`GetUpgrade`); upgrade/7 when there is none. */
  getUpgrade(d: UpgradeDescriptor): PendingUpgrade {
    const match = this.#pending.find((pu) => sameDescriptor(pu.descriptor, d));
    if (match === undefined) throw UpgradeErrors.upgradeNotFound();
    return structuredClone(match);
  }

  /** True while an upgrade reached at `height` has not completed (transactions wait: consensus/transaction 4). */
  hasPendingUpgradeAt(height: bigint): boolean {
    return this.#pending.some((pu) => !isCompleted(pu) && pu.upgrade_height === height);
  }

  /** Runs the startup stage of every reached upgrade not yet started (`StartupUpgrade`), once. */
  startupUpgrade(): void {
    for (const pu of this.#pending) {
      if (pu.upgrade_height === INVALID_UPGRADE_HEIGHT || hasStage(pu, UpgradeStage.startup)) continue;
      const handler = this.#handler(pu);
      this.#log('warn', 'performing startup upgrade', { handler: pu.descriptor.handler });
      handler.startupUpgrade();
      pu.last_completed_stage = UpgradeStage.startup;
    }
    this.#flush();
  }

  /**
   * The consensus part (`ConsensusUpgrade`), at every block: `epoch` is the epoch of the block after
   * `lastHeight`. Reaching an upgrade's epoch records `lastHeight`; when this software cannot carry on in
   * place it throws upgrade/1 (and keeps throwing). With `ctx` (BeginBlock, EndBlock of the upgrade
   * block) the handler's consensus stage runs; without it (the check after a commit) nothing runs.
   */
  consensusUpgrade(ctx: ServiceContext | undefined, epoch: bigint, lastHeight: bigint): void {
    if (this.#stopping !== undefined) throw UpgradeErrors.stopForUpgrade();
    for (const pu of this.#pending) {
      if (pu.upgrade_height === INVALID_UPGRADE_HEIGHT) {
        if (epoch < pu.descriptor.epoch) continue;
        pu.upgrade_height = lastHeight;
        this.#flush();
        if (cannotRunInPlace(pu.descriptor, this.ownVersion, this.#handlers) !== undefined) {
          this.#stop(pu);
          throw UpgradeErrors.stopForUpgrade();
        }
        this.#log('info', 'upgrading in place: no restart needed', { handler: pu.descriptor.handler });
        pu.last_completed_stage = UpgradeStage.startup;
      }
      if (pu.upgrade_height < lastHeight) {
        if (!isCompleted(pu)) pu.last_completed_stage = UpgradeStage.consensus;
        continue;
      }
      if (pu.upgrade_height > lastHeight)
        throw new Error('upgrade: upgrade height is in the future but its epoch was reached');
      if (ctx !== undefined && !hasStage(pu, UpgradeStage.consensus)) {
        this.#log('warn', 'performing consensus upgrade', {
          handler: pu.descriptor.handler,
          stage: ctx.mode,
        });
        this.#handler(pu).consensusUpgrade(ctx);
      }
    }
    this.#flush();
  }

  #stop(pu: PendingUpgrade): void {
    this.#stopping = pu;
    for (const listener of this.#stopListeners) listener(structuredClone(pu));
  }

  #handler(pu: PendingUpgrade): MigrationHandler {
    const handler = this.#handlers.get(pu.descriptor.handler);
    if (handler === undefined) throw new Error(`upgrade: missing migration handler ${pu.descriptor.handler}`);
    return handler;
  }

  /** Drops completed upgrades (remembering the last) and writes the record. */
  #flush(): void {
    for (const pu of this.#pending) if (isCompleted(pu)) this.#lastCompleted = pu;
    for (const pu of this.#pending.filter(isCompleted))
      this.#log('info', 'upgrade completed, removing state', { handler: pu.descriptor.handler });
    this.#pending = this.#pending.filter((pu) => !isCompleted(pu));
    const record: UpgradeRecord = { pending: this.#pending, last_completed: this.#lastCompleted };
    const bytes =
      this.#pending.length === 0 && this.#lastCompleted === undefined
        ? undefined
        : encodeCanonical(upgradeRecordCodec.encode(record));
    if (this.#saved !== null && sameBytes(this.#saved, bytes)) return;
    this.#store.save(bytes);
    this.#saved = bytes;
  }
}

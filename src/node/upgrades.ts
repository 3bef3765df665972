/**
 * The node's upgrade manager, wired: its record in the data directory (`upgrade.cbor`), the startup
 * checks (software that cannot continue past an upgrade already reached refuses to start), the check
 * after every commit (is the next block the first of an upgrade epoch this software cannot run?) and the
 * stop itself: the driver takes no part in that block, the node logs what to run next and, after
 * max(5 s, timeout_commit) + `consensus.upgrade_stop_delay` spent serving its last block to peers that
 * are still catching up, shuts down cleanly.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, replaceFileDurably } from '../durable_fs.ts';
import { CodedError } from '../errors.ts';
import { epochOfBlock } from '../services/beacon/state.ts';
import { GovernanceStateReader } from '../services/governance/state.ts';
import type { UpgradeHook } from '../services/mux/upgrade_hook.ts';
import type { ProtocolVersion } from '../services/upgrade/api/descriptor.ts';
import { UPGRADE_MODULE } from '../services/upgrade/api/errors.ts';
import type { PendingUpgrade } from '../services/upgrade/api/pending.ts';
import { upgradeHook } from '../services/upgrade/consensus_hook.ts';
import {
  stopForUpgradeMessage,
  type UpgradeLog,
  UpgradeManager,
  UpgradeRefusedError,
  type UpgradeStore,
} from '../services/upgrade/manager.ts';
import type { StateReader } from '../state/api.ts';
import type { NodeLogger } from './logging.ts';

/** The upgrade record's file in a data directory. */
export const upgradeRecordPath = (dataDir: string) => join(dataDir, 'upgrade.cbor');

/** The record as a file, replaced atomically and synced (a reached height must survive a crash). */
export function fileUpgradeStore(path: string): UpgradeStore {
  return {
    load: () => (existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined),
    save: (value) => {
      if (value === undefined) {
        rmSync(path, { force: true });
        fsyncDirectory(dirname(path));
        return;
      }
      replaceFileDurably(path, value, 0o600);
    },
  };
}

/** How the node's upgrades are set up. */
export interface NodeUpgradesOptions {
  dataDir: string;
  ownVersion: ProtocolVersion;
  log: NodeLogger;
  /** How long the node keeps serving its last block before it stops (ms). */
  stopDelayMs: number;
  /**
   * An archive node: the data directory's upgrade record is neither checked nor written (the chain is
   * served as it stopped, often at an upgrade this software would refuse to run).
   */
  archive?: boolean;
}

/** The upgrade manager of a running node and what it does to the node. */
export class NodeUpgrades {
  readonly manager: UpgradeManager;
  readonly hook: UpgradeHook;
  readonly #o: NodeUpgradesOptions;
  #stopTimer: NodeJS.Timeout | undefined;

  /** Opens the record; throws `UpgradeRefusedError` when this software may not run on this data directory. */
  constructor(o: NodeUpgradesOptions) {
    this.#o = o;
    const log = o.log.child({ module: 'upgrade' });
    const upgradeLog: UpgradeLog = (level, message, fields) => log[level](fields, message);
    this.manager = new UpgradeManager({
      store: o.archive
        ? { load: () => undefined, save: () => {} }
        : fileUpgradeStore(upgradeRecordPath(o.dataDir)),
      ownVersion: o.ownVersion,
      log: upgradeLog,
    });
    this.hook = upgradeHook(this.manager, upgradeLog);
  }

  /**
   * Before the engine starts, over the latest committed state (none before genesis): takes up governance
   * upgrades this node never saw executed (a state it did not replay), runs the startup stage of a
   * reached upgrade, and refuses to start when the next block is one this software must stop before.
   */
  start(state: StateReader | undefined, lastHeight: number): void {
    if (state !== undefined && lastHeight > 0) {
      for (const p of new GovernanceStateReader(state).pendingUpgradeProposals()) {
        try {
          this.manager.submitDescriptor(p.content.upgrade!);
        } catch (err) {
          if (!CodedError.is(err, UPGRADE_MODULE, 5)) throw err;
        }
      }
    }
    this.manager.startupUpgrade();
    if (state !== undefined && lastHeight > 0) this.afterCommit(state, lastHeight);
    const stopping = this.manager.stopping;
    if (stopping !== undefined)
      throw new UpgradeRefusedError(stopForUpgradeMessage(stopping, this.#o.ownVersion));
  }

  /** After the commit of `height` (`state` is its state): stops when the next block is an upgrade's. */
  afterCommit(state: StateReader, height: number): void {
    try {
      this.manager.consensusUpgrade(undefined, epochOfBlock(state, height + 1), BigInt(height));
    } catch (err) {
      if (!CodedError.is(err, UPGRADE_MODULE, 1)) throw err;
    }
  }

  /** The driver's `haltBefore`: once stopping, the node takes part in no further height. */
  readonly haltBefore = (_height: number): boolean => this.manager.stopping !== undefined;

  /**
   * From now on, stopping for an upgrade logs the operator's instruction and calls `stop` after
   * max(5 s, `timeoutCommitMs`) + the stop delay.
   */
  onStop(timeoutCommitMs: number, stop: () => void): void {
    this.manager.onStop((pu: PendingUpgrade) => {
      const delayMs = Math.max(5000, timeoutCommitMs) + this.#o.stopDelayMs;
      this.#o.log.error(
        {
          module: 'upgrade',
          handler: pu.descriptor.handler,
          epoch: pu.descriptor.epoch,
          upgrade_height: pu.upgrade_height,
          stop_in_ms: delayMs,
        },
        stopForUpgradeMessage(pu, this.#o.ownVersion),
      );
      this.#stopTimer = setTimeout(stop, delayMs);
    });
  }

  /** Cancels a scheduled stop (the node is stopping anyway). */
  close(): void {
    clearTimeout(this.#stopTimer);
  }
}

/**
 * Migration handlers, by the name an upgrade descriptor gives (`go/upgrade/migrations`): what a node of
 * this version does to move the chain across an upgrade. A handler with a startup stage always needs a
 * restart (the node stops at the upgrade epoch even when it could run the new protocol); its consensus
 * stage runs once in the BeginBlock and once in the EndBlock of the first block of the upgrade epoch,
 * as part of that block, so every upgraded node changes the state the same way.
 */

import { consensusParameters, setConsensusParameters } from '../consensus/state.ts';
import type { ServiceContext } from '../mux/context.ts';

/** One migration handler (`migrations.Handler`). */
export interface MigrationHandler {
  /** True when the node must restart to run the upgrade (`HasStartupUpgrade`). */
  readonly hasStartupUpgrade: boolean;
  /** Node-local work when the upgraded node starts, before any block (`StartupUpgrade`). */
  startupUpgrade(): void;
  /** State migration, called with a BeginBlock (`mode` 'begin') then an EndBlock ('end') context. */
  consensusUpgrade(ctx: ServiceContext): void;
}

/** oasis-core's `empty` handler: protocol versions move, the state does not. */
const emptyHandler: MigrationHandler = {
  hasStartupUpgrade: false,
  startupUpgrade: () => {},
  consensusUpgrade: () => {},
};

/**
 * The test upgrade (`__e2e-test-valid`, as oasis-core names it): needs a restart, and in the upgrade
 * block's EndBlock raises `max_tx_size` by one byte — a change tests can see, and that shows the handler
 * ran exactly once.
 */
const testHandler: MigrationHandler = {
  hasStartupUpgrade: true,
  startupUpgrade: () => {},
  consensusUpgrade: (ctx) => {
    if (ctx.mode !== 'end') return;
    const params = consensusParameters(ctx.state);
    setConsensusParameters(ctx.state, { ...params, max_tx_size: params.max_tx_size + 1n });
  },
};

/** Handler names (`migrations.EmptyHandler`, `migrations.DummyUpgradeHandler`). */
export const MigrationHandlerNames = Object.freeze({ empty: 'empty', test: '__e2e-test-valid' });

/** The handlers this version of the node carries. */
export const MIGRATION_HANDLERS: ReadonlyMap<string, MigrationHandler> = new Map([
  [MigrationHandlerNames.empty, emptyHandler],
  [MigrationHandlerNames.test, testHandler],
]);

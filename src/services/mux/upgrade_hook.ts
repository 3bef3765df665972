/**
 * Where a node's upgrade manager meets block execution (oasis-core's mux calls its upgrader the same
 * way): before every service's BeginBlock and after every service's EndBlock — where a handler migrates
 * the state in the upgrade block, or the node refuses to execute a block it must stop before — and at
 * mempool admission, which waits while an upgrade is in progress.
 */
import type { ServiceContext } from './context.ts';

/** The upgrade manager as the mux sees it. */
export interface UpgradeHook {
  /** Before the services' BeginBlock; throws to refuse the block (the node stops for an upgrade). */
  beginBlock(ctx: ServiceContext): void;
  /** After the services' EndBlock (the context holds their events). */
  endBlock(ctx: ServiceContext): void;
  /** Throws consensus/transaction 4 while an upgrade reached after `lastHeight` is in progress. */
  checkTx(lastHeight: number): void;
}

/**
 * What every batch of an SDK-style ParaTime (accounts, EVM) does around its transactions, in runtime-sdk's
 * order: first finish the previous round's consensus messages (credit deposits the consensus layer
 * completed), then credit the incoming consensus messages; at the end, remember the hooks of the messages
 * this batch emitted for the next one.
 */
import type { StateWriter } from '../../../../state/api.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { RuntimeExecuteTxBatchRequest } from '../../../protocol/types.ts';
import { finishMessages, processDeposit } from './consensus_accounts.ts';
import { type MessageBudget, messageBudget } from './dispatch.ts';
import { storeHooks } from './message_hooks.ts';

/** A batch under way: its message budget and the events of the block itself (not of a transaction). */
export interface BatchStart {
  budget: MessageBudget;
  blockEvents: RuntimeEvent[];
}

/** Runs the start of a batch on `state`. */
export function beginBatch(
  state: StateWriter,
  request: RuntimeExecuteTxBatchRequest,
  scalingFactor: bigint,
): BatchStart {
  const blockEvents = finishMessages(state, request.message_results ?? []);
  for (const msg of request.in_msgs) processDeposit(state, msg, scalingFactor);
  return { budget: messageBudget(request.max_messages), blockEvents };
}

/** Runs the end of a batch on `state`. */
export function endBatch(state: StateWriter, start: BatchStart): void {
  storeHooks(state, start.budget.hooks);
}

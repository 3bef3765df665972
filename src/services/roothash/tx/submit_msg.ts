/**
 * `roothash.SubmitMsg` (oasis-core `apps/roothash/transactions.go` submitMsg): queues a message for a
 * runtime. The caller pays `fee + tokens` from its general balance into the runtime's staking account
 * up front (the runtime credits them when it processes the message), so queued value never leaves the
 * ledger. Refused for unknown, suspended or committee-less runtimes, runtimes that take no incoming
 * messages (`txn_scheduler.max_in_messages` 0) or whose queue is full, and fees below the runtime's
 * `staking.min_in_message_fee`. The queue is also capped by the consensus-wide
 * `max_in_runtime_messages` (oasis-core refuses runtime descriptors above it at registration, see
 * `verifyRuntimeParameters`; capping here keeps the bound for descriptors registered without that
 * check). A refusal changes nothing (the mux keeps only the tx fee and nonce).
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { addressFromRuntimeId } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { CommitteeKind } from '../../scheduler/api/committee.ts';
import { SchedulerStateReader } from '../../scheduler/state.ts';
import { transferGeneral } from '../../staking/ledger.ts';
import { StakingState } from '../../staking/state.ts';
import { RoothashErrors } from '../api/errors.ts';
import { decodeRoothashBody, submitMsgBodyCodec } from '../api/incoming.ts';
import { gasCostsOf, RoothashGasOps } from '../api/params.ts';
import { RoothashState } from '../state.ts';

/** Executes `roothash.SubmitMsg`. */
export function submitMsg(ctx: ServiceContext, raw: CborValue | undefined): void {
  const body = decodeRoothashBody(submitMsgBodyCodec, raw);
  if (ctx.isCheckOnly) return;
  const st = new RoothashState(ctx.state);
  const params = st.parameters();
  ctx.gas.useOp(1n, RoothashGasOps.submitMsg, gasCostsOf(params));
  if (ctx.isSimulation) return;

  const rs = st.runtimeState(body.id);
  if (rs === undefined) throw RoothashErrors.invalidRuntime();
  if (rs.suspended) throw RoothashErrors.runtimeSuspended();
  const committee = new SchedulerStateReader(ctx.state).committee(CommitteeKind.computeExecutor, body.id);
  if (committee === undefined) throw RoothashErrors.noCommittee();
  const maxQueued = Math.min(rs.runtime.txn_scheduler.max_in_messages, params.max_in_runtime_messages);
  if (maxQueued === 0) throw RoothashErrors.incomingMessageQueueFull();
  if (body.fee < rs.runtime.staking.min_in_message_fee) throw RoothashErrors.incomingMessageInsufficientFee();

  const caller = ctx.callerAddress;
  const runtimeAccount = addressFromRuntimeId(body.id);
  transferGeneral(ctx, new StakingState(ctx.state), caller, runtimeAccount, body.fee + body.tokens);
  const meta = st.incomingMessageQueueMeta(body.id);
  if (meta.size >= maxQueued) throw RoothashErrors.incomingMessageQueueFull();
  st.enqueueIncomingMessage(body.id, {
    id: meta.next_sequence_number,
    caller,
    tag: body.tag,
    fee: body.fee,
    tokens: body.tokens,
    data: body.data,
  });
}

/**
 * Executing a finalized round's outgoing messages (oasis-core `apps/roothash/messages.go`): each message
 * runs as the staking, registry or governance method it names (escrow operations only under the staking parameter
 * `allow_escrow_messages`) with the runtime's staking account as the caller, in its own write
 * buffer — a failing message leaves nothing behind and is reported by its `{module, code}` — and the
 * round finalizes either way. The runtime's account is also its deposit for consensus fees: each message
 * first pays its method's gas at the consensus `min_gas_price` into the block's fees (the compute node
 * that commits the round pays only for the commitment itself); a runtime that cannot pay gets the
 * message refused with `staking` insufficient balance.
 */
import { encodeCanonical } from '../../codec/cbor.ts';
import { quantityToBytes } from '../../codec/quantity.ts';
import { type Address, addressFromRuntimeId, ReservedAddresses } from '../../crypto/address.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { StateOverlay } from '../../state/overlay.ts';
import { GovernanceGasOps } from '../governance/api/params.ts';
import { type Proposal, type ProposalContent, proposalCodec } from '../governance/api/proposal.ts';
import { GovernanceStateReader } from '../governance/state.ts';
import { castVote } from '../governance/tx/cast_vote.ts';
import { ServiceContext } from '../mux/context.ts';
import { type GasCosts, GasMeter, gasCostsOf, UNLIMITED_GAS } from '../mux/gas.ts';
import { toResultError } from '../mux/result.ts';
import { RegistryGasOps, registryGasCosts } from '../registry/api/params.ts';
import { runtimeCodec } from '../registry/api/runtime.ts';
import { RegistryStateReader } from '../registry/state.ts';
import { registerRuntime } from '../registry/tx/runtime.ts';
import { StakingErrors } from '../staking/api/errors.ts';
import { emitStaking } from '../staking/api/events.ts';
import { GasOps } from '../staking/api/params.ts';
import { BLOCK_FEES_KEY, blockFees } from '../staking/auth.ts';
import { StakingState, StakingStateReader } from '../staking/state.ts';
import { withdraw } from '../staking/tx/allowance.ts';
import { addEscrow, reclaimEscrow } from '../staking/tx/escrow.ts';
import { transfer } from '../staking/tx/transfer.ts';
import type { MessageEvent, RuntimeMessage } from './api/messages.ts';

/** A context whose caller is a runtime's staking account (runtimes have no signing key). */
class RuntimeCallerContext extends ServiceContext {
  readonly #caller: Address;

  constructor(parent: ServiceContext, state: StateWriter, runtimeId: Uint8Array) {
    super({
      mode: 'deliver',
      block: parent.block,
      state,
      epochs: parent.epochs,
      gas: new GasMeter(UNLIMITED_GAS),
      txHash: parent.txHash,
      txSigner: runtimeId,
    });
    this.#caller = addressFromRuntimeId(runtimeId);
  }

  override get callerAddress(): Address {
    return this.#caller;
  }
}

/** Governance's proposal submission (it holds every module's parameter-change validation). */
export type ProposalSubmitter = (ctx: ServiceContext, content: ProposalContent) => Proposal | undefined;

/** The gas op a message costs and the costs table it is priced in (staking's or governance's). */
function messageGas(state: StateReader, m: RuntimeMessage): { op: string; costs: GasCosts } {
  if (m.registry !== undefined) {
    const params = new RegistryStateReader(state).parameters();
    return { op: RegistryGasOps.registerRuntime, costs: registryGasCosts(params) };
  }
  const g = m.governance;
  if (g !== undefined) {
    const op = g.cast_vote !== undefined ? GovernanceGasOps.castVote : GovernanceGasOps.submitProposal;
    return { op, costs: gasCostsOf(new GovernanceStateReader(state).parameters().gas_costs) };
  }
  const s = m.staking!;
  const op =
    s.withdraw !== undefined
      ? GasOps.withdraw
      : s.add_escrow !== undefined
        ? GasOps.addEscrow
        : s.reclaim_escrow !== undefined
          ? GasOps.reclaimEscrow
          : GasOps.transfer;
  return { op, costs: new StakingStateReader(state).parameters().gasCosts };
}

/** Refuses escrow operations by runtimes unless `allow_escrow_messages` (staking/2 forbidden). */
function requireEscrowMessages(ctx: ServiceContext): void {
  if (!new StakingStateReader(ctx.state).parameters().allowEscrowMessages) throw StakingErrors.forbidden();
}

/** Runs one staking message; returns its CBOR result (oasis-core's `*Result` of the operation). */
function dispatchStaking(ctx: RuntimeCallerContext, s: NonNullable<RuntimeMessage['staking']>): Uint8Array {
  const caller = ctx.callerAddress;
  if (s.transfer !== undefined) {
    transfer(ctx, s.transfer);
    return encodeCanonical({ from: caller, to: s.transfer.to, amount: quantityToBytes(s.transfer.amount) });
  }
  if (s.withdraw !== undefined) {
    const w = s.withdraw;
    withdraw(ctx, w);
    return encodeCanonical({ from: w.from, to: caller, amount: quantityToBytes(w.amount) });
  }
  requireEscrowMessages(ctx);
  if (s.add_escrow !== undefined) {
    const e = s.add_escrow;
    const shares = addEscrow(ctx, e);
    return encodeCanonical({
      owner: caller,
      escrow: e.account,
      amount: quantityToBytes(e.amount),
      new_shares: quantityToBytes(shares),
    });
  }
  const r = s.reclaim_escrow!;
  const out = reclaimEscrow(ctx, r)!;
  return encodeCanonical({
    owner: caller,
    escrow: r.account,
    amount: quantityToBytes(out.amount),
    debonding_shares: quantityToBytes(out.debondingShares),
    remaining_shares: quantityToBytes(out.remainingShares),
    debond_end_time: out.debondEndTime,
  });
}

/** Runs one message; returns its CBOR result (a vote has none: CBOR null, as Go marshals nil). */
function dispatch(ctx: RuntimeCallerContext, m: RuntimeMessage, submit: ProposalSubmitter): Uint8Array {
  if (m.registry !== undefined) {
    const rt = m.registry.update_runtime!;
    registerRuntime(ctx, rt);
    return encodeCanonical(runtimeCodec.encode(rt));
  }
  const g = m.governance;
  if (g === undefined) return dispatchStaking(ctx, m.staking!);
  if (g.cast_vote !== undefined) {
    castVote(ctx, g.cast_vote);
    return encodeCanonical(null);
  }
  const proposal = submit(ctx, g.submit_proposal!);
  return encodeCanonical(proposal === undefined ? null : proposalCodec.encode(proposal));
}

/** The consensus fee a message costs the runtime: its gas at the block's minimum gas price. */
export function messageFee(ctx: ServiceContext, m: RuntimeMessage): bigint {
  const { op, costs } = messageGas(ctx.state, m);
  return (costs[op] ?? 0n) * ctx.block.minGasPrice;
}

/** Moves a message's fee from the runtime's account into the block's fees (throws when it cannot pay). */
function payMessageFee(ctx: RuntimeCallerContext, fee: bigint): void {
  if (fee === 0n) return;
  const st = new StakingState(ctx.state);
  const account = st.account(ctx.callerAddress);
  if (account.general.balance < fee) throw StakingErrors.insufficientBalance();
  account.general.balance -= fee;
  st.setAccount(ctx.callerAddress, account);
  emitStaking.transfer(ctx, ctx.callerAddress, ReservedAddresses.feeAccumulator, fee);
}

/** Executes `messages` for `runtimeId` in order; returns one result per message. */
export function executeRuntimeMessages(
  ctx: ServiceContext,
  runtimeId: Uint8Array,
  messages: readonly RuntimeMessage[],
  submit: ProposalSubmitter,
): MessageEvent[] {
  return messages.map((m, index) => {
    const overlay = new StateOverlay(ctx.state);
    const mctx = new RuntimeCallerContext(ctx, overlay, runtimeId);
    try {
      const fee = messageFee(ctx, m);
      payMessageFee(mctx, fee);
      const result = dispatch(mctx, m, submit);
      overlay.commitTo(ctx.state);
      ctx.block.values.set(BLOCK_FEES_KEY, blockFees(ctx.block.values) + fee);
      for (const e of mctx.events) ctx.events.push(e);
      return { module: '', code: 0, index, result };
    } catch (err) {
      const e = toResultError(err);
      return { module: e.module, code: e.code, index, result: new Uint8Array(0) };
    }
  });
}

/**
 * Executing a finalized round's outgoing messages (oasis-core `apps/roothash/messages.go`): each message
 * runs as the staking method it names with the runtime's staking account as the caller, in its own write
 * buffer — a failing message leaves nothing behind and is reported by its `{module, code}` — and the
 * round finalizes either way. The runtime's account is also its deposit for consensus fees: each message
 * first pays its staking gas at the consensus `min_gas_price` into the block's fees (the compute node
 * that commits the round pays only for the commitment itself); a runtime that cannot pay gets the
 * message refused with `staking` insufficient balance.
 */
import { encodeCanonical } from '../../codec/cbor.ts';
import { quantityToBytes } from '../../codec/quantity.ts';
import { type Address, addressFromRuntimeId, ReservedAddresses } from '../../crypto/address.ts';
import type { StateWriter } from '../../state/api.ts';
import { StateOverlay } from '../../state/overlay.ts';
import { ServiceContext } from '../mux/context.ts';
import { GasMeter, UNLIMITED_GAS } from '../mux/gas.ts';
import { toResultError } from '../mux/result.ts';
import { StakingErrors } from '../staking/api/errors.ts';
import { emitStaking } from '../staking/api/events.ts';
import { GasOps } from '../staking/api/params.ts';
import { BLOCK_FEES_KEY, blockFees } from '../staking/auth.ts';
import { StakingState, StakingStateReader } from '../staking/state.ts';
import { withdraw } from '../staking/tx/allowance.ts';
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

/** The staking gas op a message costs (paid by the runtime at the block's minimum gas price). */
export function messageGasOp(m: RuntimeMessage): string {
  return m.staking?.withdraw !== undefined ? GasOps.withdraw : GasOps.transfer;
}

/** Runs one message; returns its CBOR result (`{from, to, amount}` of the tokens moved). */
function dispatch(ctx: RuntimeCallerContext, m: RuntimeMessage): Uint8Array {
  const s = m.staking!;
  if (s.transfer !== undefined) {
    transfer(ctx, s.transfer);
    return encodeCanonical({
      from: ctx.callerAddress,
      to: s.transfer.to,
      amount: quantityToBytes(s.transfer.amount),
    });
  }
  const w = s.withdraw!;
  withdraw(ctx, w);
  return encodeCanonical({ from: w.from, to: ctx.callerAddress, amount: quantityToBytes(w.amount) });
}

/** The consensus fee a message costs the runtime: its staking gas at the block's minimum gas price. */
export function messageFee(ctx: ServiceContext, m: RuntimeMessage): bigint {
  const cost = new StakingStateReader(ctx.state).parameters().gasCosts[messageGasOp(m)] ?? 0n;
  return cost * ctx.block.minGasPrice;
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
): MessageEvent[] {
  return messages.map((m, index) => {
    const overlay = new StateOverlay(ctx.state);
    const mctx = new RuntimeCallerContext(ctx, overlay, runtimeId);
    try {
      const fee = messageFee(ctx, m);
      payMessageFee(mctx, fee);
      const result = dispatch(mctx, m);
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

/**
 * The preamble every staking method shares (oasis-core's handlers all start this way): nothing more is
 * done in CheckTx, gas for the method's op is charged, simulation stops after gas, and the caller's
 * address is derived from the signer.
 */
import type { Address } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { plainError } from '../../mux/result.ts';
import type { StakingParameters } from '../api/params.ts';
import { StakingState } from '../state.ts';

/** What a method body works with once the preamble passed. */
export interface MethodScope {
  st: StakingState;
  params: StakingParameters;
  caller: Address;
}

/** Runs the shared preamble; undefined means "stop here successfully" (CheckTx or simulation). */
export function beginMethod(ctx: ServiceContext, gasOp: string): MethodScope | undefined {
  if (ctx.isCheckOnly) return undefined;
  const st = new StakingState(ctx.state);
  const params = st.parameters();
  ctx.gas.useOp(1n, gasOp, params.gasCosts);
  if (ctx.isSimulation) return undefined;
  if (ctx.txSigner === undefined) throw plainError('staking: method called without a signer');
  return { st, params, caller: ctx.callerAddress };
}

/** True when `from` may transfer under `disable_transfers` (oasis-core `isTransferPermitted`). */
export function isTransferPermitted(params: StakingParameters, fromHex: string): boolean {
  return !params.disableTransfers || params.undisableTransfersFrom.has(fromHex);
}

/**
 * What the registry methods share: the state and parameters they work with, gas charged per operation
 * from the registry parameters, the caller, and the staking state for stake claims.
 */
import { addressFromPublicKey } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { plainError } from '../../mux/result.ts';
import type { StakeThreshold } from '../../staking/api/account.ts';
import { addStakeClaim, removeStakeClaim } from '../../staking/claims.ts';
import { StakingState } from '../../staking/state.ts';
import { type RegistryParameters, registryGasCosts } from '../api/params.ts';
import { RegistryState } from '../state.ts';

/** The state a registry method runs over. */
export interface RegistryScope {
  reg: RegistryState;
  params: RegistryParameters;
  epoch: bigint;
}

/** Opens the registry state of a context. */
export function registryScope(ctx: ServiceContext): RegistryScope {
  const reg = new RegistryState(ctx.state);
  return { reg, params: reg.parameters(), epoch: ctx.currentEpoch() };
}

/** Charges `times` × the cost of `op` from the registry gas costs. */
export function useRegistryGas(
  ctx: ServiceContext,
  params: RegistryParameters,
  op: string,
  times = 1n,
): void {
  ctx.gas.useOp(times, op, registryGasCosts(params));
}

/** The transaction signer (outside genesis every registry method has one). */
export function txSigner(ctx: ServiceContext): Uint8Array {
  if (ctx.txSigner === undefined) throw plainError('registry: method called without a signer');
  return ctx.txSigner;
}

/** Adds (or replaces) a stake claim on the account of `owner` (a public key or an address). */
export function claimStake(
  ctx: ServiceContext,
  owner: Uint8Array,
  claim: string,
  thresholds: readonly StakeThreshold[],
): void {
  const address = owner.length === 32 ? addressFromPublicKey(owner) : owner;
  addStakeClaim(new StakingState(ctx.state), address, claim, thresholds);
}

/** Drops a stake claim from the account of `owner` (a public key or an address). */
export function releaseStake(ctx: ServiceContext, owner: Uint8Array, claim: string): void {
  const address = owner.length === 32 ? addressFromPublicKey(owner) : owner;
  removeStakeClaim(new StakingState(ctx.state), address, claim);
}

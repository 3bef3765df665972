/**
 * `registry.ProveFreshness` (oasis-core `proveFreshness`): a TEE node puts a 32-byte blob on chain so its
 * attestation can prove it saw a recent block. The blob is not inspected and nothing is stored; the
 * method only exists once `tee_features.freshness_proofs` is on (before that it is an invalid argument,
 * so enabling it does not change how earlier blocks execute).
 */
import type { ServiceContext } from '../../mux/context.ts';
import { RegistryErrors } from '../api/errors.ts';
import { RegistryGasOps } from '../api/params.ts';
import { registryScope, useRegistryGas } from './common.ts';

/** Accepts a freshness proof, charging `prove_freshness` gas. */
export function proveFreshness(ctx: ServiceContext, _blob: Uint8Array): void {
  const { params } = registryScope(ctx);
  if (params.tee_features?.freshness_proofs !== true)
    throw RegistryErrors.invalidArgument('freshness proofs disabled');
  useRegistryGas(ctx, params, RegistryGasOps.proveFreshness);
}

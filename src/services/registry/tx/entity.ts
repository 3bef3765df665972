/**
 * `registry.RegisterEntity` and `registry.DeregisterEntity` (oasis-core `registerEntity` /
 * `deregisterEntity`): an entity registers its own signed descriptor, backed by the entity stake claim;
 * it may leave only once it has no nodes and no runtimes.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { Signed } from '../../../crypto/signature.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { ThresholdKind } from '../../staking/api/account.ts';
import { openSignedEntity } from '../api/entity.ts';
import { RegistryErrors } from '../api/errors.ts';
import { emitRegistry } from '../api/events.ts';
import { STAKE_CLAIM_REGISTER_ENTITY } from '../api/methods.ts';
import { RegistryGasOps } from '../api/params.ts';
import { claimStake, registryScope, releaseStake, txSigner, useRegistryGas } from './common.ts';

/** Registers or updates an entity. In genesis (`ctx.mode === 'init'`) there is no signer to match. */
export function registerEntity(ctx: ServiceContext, signed: Signed): void {
  const entity = openSignedEntity(signed);
  if (ctx.isCheckOnly) return;
  const { reg, params } = registryScope(ctx);
  useRegistryGas(ctx, params, RegistryGasOps.registerEntity);
  useRegistryGas(ctx, params, RegistryGasOps.registerNode, BigInt(entity.nodes?.length ?? 0));
  if (ctx.isSimulation) return;
  if (ctx.mode !== 'init' && !bytesEqual(signed.signature.public_key, txSigner(ctx))) {
    throw RegistryErrors.incorrectTxSigner();
  }
  claimStake(ctx, entity.id, STAKE_CLAIM_REGISTER_ENTITY, [{ global: ThresholdKind.entity }]);
  reg.setEntity(entity, signed);
  emitRegistry.entity(ctx, entity, true);
}

/** Deregisters the signer's entity. */
export function deregisterEntity(ctx: ServiceContext): void {
  if (ctx.isCheckOnly) return;
  const { reg, params } = registryScope(ctx);
  useRegistryGas(ctx, params, RegistryGasOps.deregisterEntity);
  if (ctx.isSimulation) return;
  const id = txSigner(ctx);
  if (reg.hasEntityNodes(id)) throw RegistryErrors.entityHasNodes();
  if (reg.hasEntityRuntimes(id)) throw RegistryErrors.entityHasRuntimes();
  const entity = reg.requireEntity(id);
  reg.removeEntity(id);
  releaseStake(ctx, id, STAKE_CLAIM_REGISTER_ENTITY);
  emitRegistry.entity(ctx, entity, false);
}

/**
 * `registry.RegisterRuntime` (oasis-core `registerRuntime`): registers or updates a runtime descriptor.
 * The controlling account (the owner entity under entity governance) signs it and backs the runtime
 * stake claim; runtimes under consensus governance exist only from genesis.
 */

import { bytesEqual } from '../../../codec/bytes.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { verifyRuntimeParameters } from '../../roothash/api/params.ts';
import { RoothashStateReader } from '../../roothash/state.ts';
import { ThresholdKind } from '../../staking/api/account.ts';
import { RegistryErrors } from '../api/errors.ts';
import { emitRegistry } from '../api/events.ts';
import { stakeClaimForRuntime } from '../api/methods.ts';
import { RegistryGasOps } from '../api/params.ts';
import { GovernanceModel, type Runtime, RuntimeKind } from '../api/runtime.ts';
import {
  verifyKeyManagerReference,
  verifyRuntime,
  verifyRuntimeNew,
  verifyRuntimeUpdate,
} from '../verify_runtime.ts';
import { claimStake, registryScope, releaseStake, txSigner, useRegistryGas } from './common.ts';
import { runtimeStakingAddress } from './node.ts';

function checkController(ctx: ServiceContext, controlling: Runtime): void {
  const expected = runtimeStakingAddress(controlling);
  if (expected === undefined)
    throw RegistryErrors.forbidden('consensus-governed runtimes are registered at genesis');
  txSigner(ctx);
  // The caller's address: the signer's, or a runtime's own when its round's message updates it.
  if (bytesEqual(ctx.callerAddress, expected)) return;
  if (controlling.governance_model === GovernanceModel.entity) throw RegistryErrors.incorrectTxSigner();
  throw RegistryErrors.forbidden('caller must be the runtime itself');
}

/** Registers or updates a runtime. In genesis the signer check and registration switches are skipped. */
export function registerRuntime(ctx: ServiceContext, rt: Runtime): void {
  const isGenesis = ctx.mode === 'init';
  const { reg, params, epoch } = registryScope(ctx);
  if (!isGenesis && params.disable_runtime_registration) throw RegistryErrors.forbidden();
  verifyRuntime(rt, params, epoch);
  // At genesis the roothash's parameters come later; its own genesis checks the runtimes then.
  const roothash = new RoothashStateReader(ctx.state).parametersIfSet();
  if (roothash !== undefined) verifyRuntimeParameters(rt, roothash);
  if (!isGenesis && rt.kind === RuntimeKind.keymanager && params.disable_km_runtime_registration) {
    throw RegistryErrors.forbidden();
  }
  verifyKeyManagerReference(rt, reg);
  if (ctx.isCheckOnly) return;
  useRegistryGas(ctx, params, RegistryGasOps.registerRuntime);
  if (ctx.isSimulation) return;

  if (reg.entity(rt.entity_id) === undefined) throw RegistryErrors.badEntityForRuntime();
  const active = reg.runtime(rt.id);
  const suspended = active === undefined ? reg.suspendedRuntime(rt.id) : undefined;
  const existing = active ?? suspended;
  if (existing !== undefined) verifyRuntimeUpdate(existing, rt, epoch);
  else verifyRuntimeNew(rt, params, epoch, isGenesis);
  if (!isGenesis) checkController(ctx, existing ?? rt);

  const owner = runtimeStakingAddress(rt);
  const claim = stakeClaimForRuntime(rt.id);
  if (owner !== undefined) {
    const kind =
      rt.kind === RuntimeKind.compute ? ThresholdKind.runtimeCompute : ThresholdKind.runtimeKeyManager;
    claimStake(ctx, owner, claim, [{ global: kind }]);
    const previous = existing === undefined ? undefined : runtimeStakingAddress(existing);
    if (previous !== undefined && !bytesEqual(previous, owner)) releaseStake(ctx, previous, claim);
  }
  reg.setRuntime(rt, suspended !== undefined, existing?.entity_id);
  if (suspended === undefined) emitRegistry.runtimeStarted(ctx, rt);
}

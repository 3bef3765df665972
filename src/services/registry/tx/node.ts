/**
 * `registry.RegisterNode` and `registry.UnfreezeNode` (oasis-core `registerNode` / `unfreezeNode`).
 * A node registers itself (tx signer = node identity key) for at most `max_node_expiration` epochs, pays
 * `runtime_epoch_maintenance` gas per runtime per newly covered epoch, and its entity must back the
 * node's stake claim; a frozen node's entity unfreezes it once the freeze has ended.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import { addressFromPublicKey, addressFromRuntimeId } from '../../../crypto/address.ts';
import type { MultiSigned } from '../../../crypto/signature.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { type StakeThreshold, ThresholdKind, type ThresholdKindValue } from '../../staking/api/account.ts';
import { checkStakeClaims } from '../../staking/claims.ts';
import { StakingStateReader } from '../../staking/state.ts';
import { verifyAdmission } from '../admission.ts';
import { RegistryErrors } from '../api/errors.ts';
import { emitRegistry } from '../api/events.ts';
import { stakeClaimForNode, type UnfreezeNode } from '../api/methods.ts';
import { type NodeDescriptor, NodeRoles } from '../api/node.ts';
import { RegistryGasOps } from '../api/params.ts';
import { GovernanceModel, type Runtime } from '../api/runtime.ts';
import { EPOCH_INVALID } from '../api/status.ts';
import type { RegistryState } from '../state.ts';
import { isNodeExpired, verifyNodeUpdate, verifyRegisterNode } from '../verify_node.ts';
import { claimStake, registryScope, txSigner, useRegistryGas } from './common.ts';

/** The stake a node claims (oasis-core `StakeThresholdsForNode`). */
export function stakeThresholdsForNode(n: NodeDescriptor, runtimes: readonly Runtime[]): StakeThreshold[] {
  const out: StakeThreshold[] = [];
  if ((n.roles & NodeRoles.validator) !== 0) out.push({ global: ThresholdKind.nodeValidator });
  const roleKinds: Array<[number, ThresholdKindValue]> = [
    [NodeRoles.keyManager, ThresholdKind.nodeKeyManager],
    [NodeRoles.computeWorker, ThresholdKind.nodeCompute],
    [NodeRoles.observer, ThresholdKind.nodeObserver],
  ];
  for (const rt of runtimes) {
    for (const [role, kind] of roleKinds) {
      if ((n.roles & role) === 0) continue;
      out.push({ global: kind });
      const extra = rt.staking.thresholds.get(kind) ?? 0n;
      if (extra > 0n) out.push({ const: extra });
    }
  }
  return out;
}

/** The staking account that backs a runtime, undefined under consensus governance. */
export function runtimeStakingAddress(rt: Runtime): Uint8Array | undefined {
  if (rt.governance_model === GovernanceModel.entity) return addressFromPublicKey(rt.entity_id);
  if (rt.governance_model === GovernanceModel.runtime) return addressFromRuntimeId(rt.id);
  return undefined;
}

/** Registers or renews a node. In genesis the signer, expiry and gas checks are skipped. */
export function registerNode(ctx: ServiceContext, signed: MultiSigned): void {
  if (ctx.isCheckOnly) return;
  const isGenesis = ctx.mode === 'init';
  const { reg, params, epoch } = registryScope(ctx);
  const { node, runtimes } = verifyRegisterNode(reg, params, signed, epoch, isGenesis);
  if (!isGenesis && !bytesEqual(txSigner(ctx), node.id)) throw RegistryErrors.incorrectTxSigner();
  for (const rt of runtimes) verifyAdmission(reg, node, rt, epoch);
  if (!isGenesis && node.expiration <= epoch) throw RegistryErrors.nodeExpired();

  const existing = reg.node(node.id);
  const isLive = existing !== undefined && !isNodeExpired(existing, epoch);
  let additional = node.expiration > epoch ? node.expiration - epoch : 0n;
  if (isLive) {
    const remaining = existing.expiration - epoch;
    additional = additional > remaining ? additional - remaining : 0n;
  }
  useRegistryGas(ctx, params, RegistryGasOps.runtimeEpochMaintenance, BigInt(runtimes.length) * additional);
  if (ctx.isSimulation) return;

  claimStake(ctx, node.entityId, stakeClaimForNode(node.id), stakeThresholdsForNode(node, runtimes));
  if (existing !== undefined) verifyNodeUpdate(reg, existing, node, epoch);
  reg.setNode(existing, node, signed);
  if (!isLive) {
    const status = reg.nodeStatusOrEmpty(node.id);
    status.expiration_processed = false;
    status.election_eligible_after = EPOCH_INVALID;
    reg.setNodeStatus(node.id, status);
  }
  resumePaidRuntimes(ctx, reg, runtimes);
  emitRegistry.node(ctx, node, true);
}

/** Suspended runtimes a node just paid for come back when their owner's stake covers its claims. */
function resumePaidRuntimes(ctx: ServiceContext, reg: RegistryState, runtimes: readonly Runtime[]): void {
  for (const rt of runtimes) {
    if (reg.suspendedRuntime(rt.id) === undefined) continue;
    const owner = runtimeStakingAddress(rt);
    if (owner !== undefined) {
      try {
        checkStakeClaims(new StakingStateReader(ctx.state), owner);
      } catch {
        continue;
      }
    }
    reg.resumeRuntime(rt);
    emitRegistry.runtimeStarted(ctx, rt);
  }
}

/** Unfreezes a node whose freeze period has ended; only its entity may ask. */
export function unfreezeNode(ctx: ServiceContext, body: UnfreezeNode): void {
  if (ctx.isCheckOnly) return;
  const { reg, params, epoch } = registryScope(ctx);
  useRegistryGas(ctx, params, RegistryGasOps.unfreezeNode);
  if (ctx.isSimulation) return;
  const node = reg.requireNode(body.node_id);
  if (!bytesEqual(txSigner(ctx), node.entityId)) throw RegistryErrors.badEntityForNode();
  const status = reg.nodeStatus(node.id);
  if (status.freeze_end_time > epoch) throw RegistryErrors.nodeCannotBeUnfrozen();
  status.freeze_end_time = 0n;
  reg.setNodeStatus(node.id, status);
  emitRegistry.nodeUnfrozen(ctx, node.id);
}

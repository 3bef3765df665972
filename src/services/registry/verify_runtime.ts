/**
 * Runtime descriptor checks (oasis-core `Runtime.ValidateBasic`, `VerifyRuntime`, `ValidateDeployments`,
 * `VerifyRuntimeNew`, `VerifyRuntimeUpdate`): version, kind-specific parameters, admission policy,
 * governance model enabled by the parameters, deployments well ordered with at most one in the future,
 * and what an update may change.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import type { CodedError } from '../../errors.ts';
import { validateAdmissionPolicy } from './admission.ts';
import { RegistryErrors } from './api/errors.ts';
import type { RegistryParameters } from './api/params.ts';
import {
  activeDeployment,
  type Deployment,
  GovernanceModel,
  isKeyManagerRuntimeId,
  isTestRuntimeId,
  RUNTIME_DESCRIPTOR_VERSION,
  type Runtime,
  RuntimeKind,
  TeeHardware,
  versionKey,
} from './api/runtime.ts';
import type { RegistryStateReader } from './state.ts';

const MS = 1_000_000n;
const bad = (msg: string): CodedError => RegistryErrors.invalidArgument(msg);

function checkComputeParameters(rt: Runtime): void {
  const e = rt.executor;
  if (e.group_size === 0) throw bad('bad executor parameters: executor primary group too small');
  if (
    e.allowed_stragglers > e.group_size ||
    (e.group_backup_size > 0 && e.allowed_stragglers > e.group_backup_size)
  ) {
    throw bad('bad executor parameters: number of allowed stragglers too large');
  }
  if (e.round_timeout <= 0n || e.round_timeout >= 1n << 63n)
    throw bad('bad executor parameters: round timeout too small');
  if (e.min_live_rounds_percent > 100)
    throw bad('bad executor parameters: minimum live rounds percentage above 100');
  const t = rt.txn_scheduler;
  if (t.batch_flush_timeout < 50n * MS)
    throw bad('bad txn scheduler parameters: batch flush timeout too small');
  if (t.max_batch_size < 1n) throw bad('bad txn scheduler parameters: max batch size too small');
  if (t.max_batch_size_bytes < 1024n) throw bad('bad txn scheduler parameters: max batch bytes too small');
  if (t.propose_batch_timeout < 1000n * MS)
    throw bad('bad txn scheduler parameters: proposer timeout too small');
  if (t.batch_flush_timeout > t.propose_batch_timeout) {
    throw bad('bad txn scheduler parameters: batch flush timeout greater than proposer timeout');
  }
  const s = rt.storage;
  if (s.checkpoint_interval > 0n) {
    if (s.checkpoint_interval < 10n) throw bad('bad storage parameters: checkpoint interval too small');
    if (s.checkpoint_num_kept === 0n) throw bad('bad storage parameters: checkpoint num kept too small');
    if (s.checkpoint_chunk_size < 1024n * 1024n)
      throw bad('bad storage parameters: checkpoint chunk size too small');
  }
}

function checkBasic(rt: Runtime): void {
  if (rt.v !== RUNTIME_DESCRIPTOR_VERSION) throw bad(`invalid runtime descriptor version ${rt.v}`);
  switch (rt.kind) {
    case RuntimeKind.compute:
      if (isKeyManagerRuntimeId(rt.id)) throw bad('compute runtime ID has the key manager flag set');
      if (rt.key_manager !== undefined && bytesEqual(rt.key_manager, rt.id)) {
        throw bad('compute runtime has self as key manager');
      }
      checkComputeParameters(rt);
      break;
    case RuntimeKind.keymanager:
      if (!isKeyManagerRuntimeId(rt.id))
        throw bad('key manager runtime ID does not have the key manager flag set');
      if (rt.key_manager !== undefined) throw bad('key manager runtime cannot itself have a key manager');
      if (!isTestRuntimeId(rt.id) && rt.tee_hardware !== TeeHardware['intel-sgx'])
        throw bad('non-SGX keymanager runtime');
      break;
    default:
      throw bad(`bad runtime kind ${rt.kind}`);
  }
  validateAdmissionPolicy(rt.admission_policy);
  if (rt.governance_model < GovernanceModel.entity || rt.governance_model > GovernanceModel.consensus) {
    throw bad('unsupported runtime governance model');
  }
  if (rt.deployments.length === 0) throw bad('no deployment information specified');
}

function checkDeployments(rt: Runtime, params: RegistryParameters, epoch: bigint): void {
  const max = Math.max(2, params.max_runtime_deployments);
  if (rt.deployments.length > max) throw bad('too many deployments');
  const sorted = [...rt.deployments].sort((a, b) => (versionKey(a.version) < versionKey(b.version) ? -1 : 1));
  let future = 0;
  sorted.forEach((d, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && versionKey(prev.version) === versionKey(d.version))
      throw bad('duplicate version');
    if (prev !== undefined && prev.valid_from >= d.valid_from) throw bad('versions must increase over time');
    if (d.valid_from > epoch) future++;
    if (rt.tee_hardware === TeeHardware.invalid && d.tee.length > 0) {
      throw bad('TEE constraints when no TEE specified');
    }
    if (rt.tee_hardware === TeeHardware['intel-sgx'] && d.tee.length === 0) {
      throw RegistryErrors.noEnclaveForRuntime();
    }
    if (d.bundle_checksum.length !== 0 && d.bundle_checksum.length !== 32)
      throw bad('invalid bundle checksum');
  });
  if (future > 1) throw bad('more than one future deployment');
}

/** Verifies a descriptor on its own and against the parameters (oasis-core `VerifyRuntime`). */
export function verifyRuntime(rt: Runtime, params: RegistryParameters, epoch: bigint): void {
  checkBasic(rt);
  if (isTestRuntimeId(rt.id) && !params.debug_allow_test_runtimes) throw bad('test runtime not allowed');
  if (params.enable_runtime_governance_models.size === 0) {
    throw RegistryErrors.forbidden('no runtime governance models are enabled');
  }
  if (params.enable_runtime_governance_models.get(rt.governance_model) !== true) {
    throw RegistryErrors.forbidden('runtime governance model is not enabled');
  }
  checkDeployments(rt, params, epoch);
  if (rt.governance_model === GovernanceModel.runtime && rt.kind !== RuntimeKind.compute) {
    throw bad('runtime governance can only be used with compute runtimes');
  }
}

/** A compute runtime's key manager must be a registered key manager runtime. */
export function verifyKeyManagerReference(rt: Runtime, reader: RegistryStateReader): void {
  if (rt.kind !== RuntimeKind.compute || rt.key_manager === undefined) return;
  const km = reader.anyRuntime(rt.key_manager);
  if (km === undefined) throw RegistryErrors.noSuchRuntime(toHex(rt.key_manager));
  if (km.kind !== RuntimeKind.keymanager) throw bad('key manager is not a key manager runtime');
  if (!isTestRuntimeId(rt.id) && rt.tee_hardware !== TeeHardware['intel-sgx']) {
    throw bad('compute runtime without SGX using key manager');
  }
}

/** A new runtime may not be deployed immediately (outside genesis and `debug_deploy_immediately`). */
export function verifyRuntimeNew(
  rt: Runtime,
  params: RegistryParameters,
  epoch: bigint,
  isGenesis: boolean,
): void {
  if (isGenesis || params.debug_deploy_immediately) return;
  if (activeDeployment(rt, epoch) !== undefined)
    throw RegistryErrors.runtimeUpdateNotAllowed('immediate deployment');
}

function sameDeployment(a: Deployment, b: Deployment): boolean {
  return (
    versionKey(a.version) === versionKey(b.version) &&
    a.valid_from === b.valid_from &&
    bytesEqual(a.tee, b.tee) &&
    bytesEqual(a.bundle_checksum, b.bundle_checksum)
  );
}

/**
 * What an update may change (oasis-core `VerifyRuntimeUpdate`): kind, genesis and a set key manager are
 * fixed; the governance model may only move from entity to runtime; deployments that take effect now or
 * earlier may not be added or rewritten, and the deployment in effect must stay the same.
 */
export function verifyRuntimeUpdate(current: Runtime, next: Runtime, epoch: bigint): void {
  const refuse = (why: string) => RegistryErrors.runtimeUpdateNotAllowed(why);
  if (current.kind !== next.kind) throw refuse('kind changed');
  if (
    !bytesEqual(current.genesis.state_root, next.genesis.state_root) ||
    current.genesis.round !== next.genesis.round
  ) {
    throw refuse('genesis changed');
  }
  if (
    current.key_manager !== undefined &&
    (next.key_manager === undefined || !bytesEqual(current.key_manager, next.key_manager))
  ) {
    throw refuse('key manager changed');
  }
  if (
    current.governance_model !== next.governance_model &&
    !(
      current.governance_model === GovernanceModel.entity && next.governance_model === GovernanceModel.runtime
    )
  ) {
    throw refuse('governance model change not allowed');
  }
  for (const d of next.deployments) {
    const old = current.deployments.find((x) => versionKey(x.version) === versionKey(d.version));
    if (old !== undefined && sameDeployment(old, d)) continue;
    if (d.valid_from <= epoch) throw refuse('new or changed deployment must start in the future');
  }
  const active = activeDeployment(current, epoch);
  const nextActive = activeDeployment(next, epoch);
  if ((active === undefined) !== (nextActive === undefined)) throw refuse('deployment in effect changed');
  if (active !== undefined && nextActive !== undefined && !sameDeployment(active, nextActive)) {
    throw refuse('deployment in effect changed');
  }
}

/**
 * Runtime (ParaTime) descriptors, version 3 (`go/registry/api/runtime.go`), as a two-way codec with
 * oasis-core's field names, omitempty rules and JSON renderings (runtime IDs and hashes in hex, keys in
 * base64, enums by name, durations in nanoseconds), so the same type serves transactions, state and the
 * genesis file.
 */

import {
  arrayCodec,
  bytesCodec,
  type Codec,
  enumCodec,
  field,
  hexCodec,
  mapCodec,
  optionalCodec,
  quantityCodec,
  quantityField,
  structCodec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { CodecError } from '../../../errors.ts';
import { SLASH_REASON_NAMES, THRESHOLD_KIND_NAMES } from '../../staking/api/names.ts';
import { NodeRoles } from './node.ts';

/** Runtime descriptor version written and accepted. */
export const RUNTIME_DESCRIPTOR_VERSION = 3;

/** Runtime kinds (`RuntimeKind`). */
export const RuntimeKind = Object.freeze({ invalid: 0, compute: 1, keymanager: 2 });
/** TEE hardware kinds (`TEEHardware`). */
export const TeeHardware = Object.freeze({ invalid: 0, 'intel-sgx': 1 });
/** Runtime governance models (`RuntimeGovernanceModel`). */
export const GovernanceModel = Object.freeze({ invalid: 0, entity: 1, runtime: 2, consensus: 3 });
/** Committee kinds (`scheduler.CommitteeKind`). */
export const CommitteeKindNames = Object.freeze({ invalid: 0, executor: 1 });
/** Committee roles (`scheduler.Role`). */
export const CommitteeRoleNames = Object.freeze({ invalid: 0, worker: 1, 'backup-worker': 2 });
const ROLE_NAMES: ReadonlyArray<[string, number]> = [
  ['compute', NodeRoles.computeWorker],
  ['observer', NodeRoles.observer],
  ['key-manager', NodeRoles.keyManager],
  ['validator', NodeRoles.validator],
  ['storage-rpc', NodeRoles.storageRpc],
];

/** A node roles mask: a CBOR uint, JSON comma-separated role names (Go's `RolesMask` text form). */
export const rolesMaskCodec: Codec<number> = {
  decode: (v, p) => uintCodec.decode(v, p),
  encode: (v) => v,
  fromJson: (v, p) => {
    if (typeof v !== 'string') throw new CodecError(p, 'expected role names');
    let mask = 0;
    for (const name of v.split(',')) {
      const bit = ROLE_NAMES.find(([n]) => n === name.trim())?.[1];
      if (bit === undefined) throw new CodecError(p, `unknown role ${JSON.stringify(name)}`);
      mask |= bit;
    }
    return mask;
  },
  toJson: (v) =>
    ROLE_NAMES.filter(([, bit]) => (v & bit) !== 0)
      .map(([n]) => n)
      .join(','),
  isEmpty: (v) => v === 0,
};

const u64 = (omit = false) => u64Field(omit);
const small = (omit = false) =>
  field(
    withDefault(uintCodec, () => 0),
    omit,
  );

/** Executor committee parameters. */
export const executorParamsCodec = structCodec({
  group_size: small(),
  group_backup_size: small(),
  allowed_stragglers: small(),
  round_timeout: u64(),
  max_messages: small(),
  min_live_rounds_percent: small(true),
  max_missed_proposals_percent: small(true),
  min_live_rounds_eval: u64(true),
  max_liveness_fails: small(true),
});

/** Transaction scheduler parameters (durations in nanoseconds). */
export const txnSchedulerParamsCodec = structCodec({
  batch_flush_timeout: u64(true),
  max_batch_size: u64(true),
  max_batch_size_bytes: u64(true),
  max_in_messages: small(true),
  propose_batch_timeout: u64(true),
});

/** Storage checkpointing parameters. */
export const storageParamsCodec = structCodec({
  checkpoint_interval: u64(),
  checkpoint_num_kept: u64(),
  checkpoint_chunk_size: u64(),
});

const publicKeyCodec = bytesCodec(32);
const limitCodec = structCodec({ limit: small() });

const entityWhitelistConfig = structCodec({
  max_nodes: field(mapCodec(rolesMaskCodec, uintCodec), true),
});
const perRolePolicy = structCodec({
  entity_whitelist: field(
    optionalCodec(
      structCodec({
        entities: field(mapCodec(publicKeyCodec, structCodec({ max_nodes: small(true) }))),
      }),
    ),
    true,
  ),
});

/** Who may register nodes for the runtime (`RuntimeAdmissionPolicy`). */
export const admissionPolicyCodec = structCodec({
  any_node: field(optionalCodec(structCodec({})), true),
  entity_whitelist: field(
    optionalCodec(structCodec({ entities: field(mapCodec(publicKeyCodec, entityWhitelistConfig)) })),
    true,
  ),
  per_role: field(mapCodec(rolesMaskCodec, perRolePolicy), true),
});

/** Scheduling constraints for one committee role. */
export const schedulingConstraintsCodec = structCodec({
  validator_set: field(optionalCodec(structCodec({})), true),
  max_nodes: field(optionalCodec(limitCodec), true),
  min_pool_size: field(optionalCodec(limitCodec), true),
});

const slashCodec = structCodec({
  amount: quantityField(false),
  freeze_interval: u64(),
});

/** Runtime staking parameters. */
export const runtimeStakingCodec = structCodec({
  thresholds: field(mapCodec(enumCodec(THRESHOLD_KIND_NAMES), quantityCodec), true),
  slashing: field(mapCodec(enumCodec(SLASH_REASON_NAMES), slashCodec), true),
  reward_equivocation: small(true),
  reward_bad_results: small(true),
  min_in_message_fee: quantityField(),
});

/** A software version `{major?, minor?, patch?}` (`go/common/version.Version`). */
export const versionCodec = structCodec({ major: small(true), minor: small(true), patch: small(true) });

/** One deployment (version) of a runtime. */
export const deploymentCodec = structCodec({
  version: field(withDefault(versionCodec, () => ({ major: 0, minor: 0, patch: 0 }))),
  valid_from: u64(),
  tee: field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  ),
  bundle_checksum: field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  ),
});

/**
 * A struct field tagged omitempty in Go. The Go CBOR encoder omits a struct only when every one of its
 * fields is itself omitempty and empty, so `omitEmpty` is true only for such all-omitempty structs
 * (txn_scheduler, staking); executor and storage are always written. Absent decodes to the zero struct.
 */
function structField<T>(codec: Codec<T>, allFieldsOmitEmpty: boolean) {
  return field(
    withDefault(codec, () => codec.decode(Object.create(null), '')),
    allFieldsOmitEmpty,
  );
}

/** The runtime descriptor. */
export const runtimeCodec = structCodec({
  v: small(),
  id: field(hexCodec(32)),
  entity_id: field(publicKeyCodec),
  genesis: field(structCodec({ state_root: field(hexCodec(32)), round: u64() })),
  kind: field(enumCodec(RuntimeKind)),
  tee_hardware: field(withDefault(enumCodec(TeeHardware), () => 0)),
  key_manager: field(optionalCodec(hexCodec(32)), true),
  executor: structField(executorParamsCodec, false),
  txn_scheduler: structField(txnSchedulerParamsCodec, true),
  storage: structField(storageParamsCodec, false),
  admission_policy: field(admissionPolicyCodec),
  constraints: field(
    mapCodec(
      enumCodec(CommitteeKindNames),
      mapCodec(enumCodec(CommitteeRoleNames), schedulingConstraintsCodec),
    ),
    true,
  ),
  staking: structField(runtimeStakingCodec, true),
  governance_model: field(enumCodec(GovernanceModel)),
  deployments: field(arrayCodec(deploymentCodec, 256), true),
});

/** A runtime descriptor (wire field names). */
export type Runtime = ReturnType<typeof runtimeCodec.decode>;
/** A runtime deployment. */
export type Deployment = Runtime['deployments'][number];

/** Flag bits in a runtime ID's first byte (`common.Namespace`). */
const TEST_FLAG = 0x80;
const KEY_MANAGER_FLAG = 0x40;

/** True for a test runtime ID (flag bit 63). */
export function isTestRuntimeId(id: Uint8Array): boolean {
  return (id[0]! & TEST_FLAG) !== 0;
}

/** True for a key manager runtime ID (flag bit 62). */
export function isKeyManagerRuntimeId(id: Uint8Array): boolean {
  return (id[0]! & KEY_MANAGER_FLAG) !== 0;
}

/** The deployment in effect at `epoch`: the latest one whose `valid_from` has passed. */
export function activeDeployment(rt: Runtime, epoch: bigint): Deployment | undefined {
  let active: Deployment | undefined;
  for (const d of rt.deployments) {
    if (d.valid_from > epoch) continue;
    if (active === undefined || active.valid_from < d.valid_from) active = d;
  }
  return active;
}

/** Version as one comparable number (oasis-core `Version.ToU64`). */
export function versionKey(v: { major: number; minor: number; patch: number }): bigint {
  return (BigInt(v.major) << 32n) | (BigInt(v.minor) << 16n) | BigInt(v.patch);
}

/**
 * Runtime admission policies (oasis-core `admission.go`): who may register nodes for a runtime. Either any
 * node, or an entity whitelist (optionally capping each entity's nodes per role), possibly refined per
 * role; a node over a cap or outside a whitelist is refused with registry/16.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { RegistryErrors } from './api/errors.ts';
import type { NodeDescriptor } from './api/node.ts';
import type { Runtime } from './api/runtime.ts';
import type { RegistryStateReader } from './state.ts';
import { isNodeExpired } from './verify_node.ts';

type Policy = Runtime['admission_policy'];

/** Role bits a node may have, one at a time (oasis-core `node.Roles()`). */
const SINGLE_ROLES = [1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 5];

const isSingleRole = (mask: number) => SINGLE_ROLES.includes(mask);

function lookup<V>(m: Map<Uint8Array, V>, id: Uint8Array): V | undefined {
  for (const [k, v] of m) if (bytesEqual(k, id)) return v;
  return undefined;
}

/** Checks a policy's shape (registry/1): exactly one of any-node or whitelist/per-role, single-role keys. */
export function validateAdmissionPolicy(p: Policy): void {
  const restricted = p.entity_whitelist !== undefined || p.per_role.size > 0;
  if ((p.any_node !== undefined) === restricted)
    throw RegistryErrors.invalidArgument('invalid admission policy');
  for (const cfg of p.entity_whitelist?.entities.values() ?? []) {
    for (const role of cfg.max_nodes.keys()) {
      if (!isSingleRole(role)) {
        throw RegistryErrors.invalidArgument('non-single role in entity whitelist max nodes map');
      }
    }
  }
  for (const role of p.per_role.keys()) {
    if (!isSingleRole(role))
      throw RegistryErrors.invalidArgument('non-single role in per-role admission policy');
  }
}

/** registry/16 when the entity already runs `max` live nodes with `role` for the runtime. */
function checkNodeCount(
  reg: RegistryStateReader,
  n: NodeDescriptor,
  rt: Runtime,
  epoch: bigint,
  role: number,
  max: number,
): void {
  let count = 0;
  for (const other of reg.entityNodes(n.entityId)) {
    if (bytesEqual(other.id, n.id) || isNodeExpired(other, epoch)) continue;
    if (!other.runtimes.some((r) => bytesEqual(r.id, rt.id))) continue;
    if ((other.roles & role) !== 0) count++;
    if (count + 1 > max) throw RegistryErrors.forbidden('too many nodes for the runtime');
  }
}

/** Verifies that node `n` may register for runtime `rt` (oasis-core `RuntimeAdmissionPolicy.Verify`). */
export function verifyAdmission(
  reg: RegistryStateReader,
  n: NodeDescriptor,
  rt: Runtime,
  epoch: bigint,
): void {
  const p = rt.admission_policy;
  const roles = SINGLE_ROLES.filter((r) => (n.roles & r) !== 0);
  if (p.entity_whitelist !== undefined) {
    const cfg = lookup(p.entity_whitelist.entities, n.entityId);
    if (cfg === undefined) throw RegistryErrors.forbidden('entity not whitelisted');
    if (cfg.max_nodes.size > 0) {
      for (const role of roles) {
        const max = cfg.max_nodes.get(role);
        if (max === undefined || max === 0) throw RegistryErrors.forbidden('role not whitelisted');
        checkNodeCount(reg, n, rt, epoch, role, max);
      }
    }
  }
  for (const role of roles) {
    const whitelist = p.per_role.get(role)?.entity_whitelist;
    if (whitelist === undefined) continue;
    const cfg = lookup(whitelist.entities, n.entityId);
    if (cfg === undefined) throw RegistryErrors.forbidden('entity not whitelisted for role');
    if (cfg.max_nodes > 0) checkNodeCount(reg, n, rt, epoch, role, cfg.max_nodes);
  }
}

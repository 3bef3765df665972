/**
 * Node registration checks shared by `registry.RegisterNode` and genesis (oasis-core
 * `VerifyRegisterNodeArgs` / `VerifyNodeUpdate`): owning entity known and vouching for the node, exact
 * signer set, expiration bound, registered runtimes compatible with the roles, required and routable
 * addresses, sub-keys not used by another node. TEE attestations are not verified yet, so TEE
 * capabilities are refused outside genesis.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { decodeCanonical } from '../../codec/cbor.ts';
import { bytes, mapEntries } from '../../codec/schema.ts';
import type { MultiSigned } from '../../crypto/signature.ts';
import { checkAddresses } from './addresses.ts';
import { RegistryErrors } from './api/errors.ts';
import { type NodeDescriptor, NodeRoles, openMultiSignedNode } from './api/node.ts';
import type { RegistryParameters } from './api/params.ts';
import { activeDeployment, type Runtime, RuntimeKind, TeeHardware, versionKey } from './api/runtime.ts';
import type { RegistryStateReader } from './state.ts';

const RUNTIMES_REQUIRED_ROLES =
  NodeRoles.computeWorker | NodeRoles.observer | NodeRoles.keyManager | NodeRoles.storageRpc;
const COMPUTE_RUNTIME_ROLES = NodeRoles.computeWorker | NodeRoles.observer;
const P2P_ADDRESS_REQUIRED_ROLES =
  NodeRoles.computeWorker | NodeRoles.keyManager | NodeRoles.validator | NodeRoles.storageRpc;

/** A verified node and the distinct runtimes it registers for. */
export interface VerifiedNode {
  node: NodeDescriptor;
  runtimes: Runtime[];
}

/**
 * A key field (`id` or `entity_id`) of a node descriptor before it is verified (to find the owning
 * entity, or to name the node in errors); registry/1 when it cannot be read.
 */
export function peekNodeKey(signed: MultiSigned, name: 'id' | 'entity_id'): Uint8Array {
  try {
    const raw = decodeCanonical(signed.untrusted_raw_value);
    const field = mapEntries(raw, 'node').find(([k]) => k === name);
    if (field === undefined) throw new Error(`node: missing ${name}`);
    return bytes(32)(field[1], `node.${name}`);
  } catch (err) {
    throw RegistryErrors.invalidArgument((err as Error).message);
  }
}

function checkRuntimes(reader: RegistryStateReader, n: NodeDescriptor, isGenesis: boolean): Runtime[] {
  if (n.runtimes.length === 0) {
    if ((n.roles & RUNTIMES_REQUIRED_ROLES) !== 0) throw RegistryErrors.invalidArgument('missing runtimes');
    return [];
  }
  const seenVersions = new Set<string>();
  const runtimes = new Map<string, Runtime>();
  for (const rt of n.runtimes) {
    const id = toHex(rt.id);
    const versionId = `${id}/${versionKey(rt.version)}`;
    if (seenVersions.has(versionId)) throw RegistryErrors.invalidArgument('duplicate version for runtime');
    seenVersions.add(versionId);
    const registered = reader.anyRuntime(rt.id);
    if (registered === undefined) throw RegistryErrors.noSuchRuntime(id);
    const needsTee = registered.tee_hardware !== TeeHardware.invalid;
    if (!isGenesis && (needsTee || rt.capabilities.tee !== undefined)) {
      throw RegistryErrors.badCapabilitiesTEEHardware('TEE attestation is not supported');
    }
    if (registered.kind === RuntimeKind.keymanager && (n.roles & NodeRoles.keyManager) === 0) {
      throw RegistryErrors.invalidArgument('key manager runtime not allowed');
    }
    if (registered.kind === RuntimeKind.compute && (n.roles & COMPUTE_RUNTIME_ROLES) === 0) {
      throw RegistryErrors.invalidArgument('compute runtime not allowed');
    }
    if (!runtimes.has(id)) runtimes.set(id, registered);
  }
  return [...runtimes.values()];
}

/**
 * Verifies a node registration against the registry as it stands at `epoch`. Errors are registry coded
 * errors: 9 unknown entity, 2 bad signature, 1 bad descriptor, 11 unknown runtime, 7 TEE capabilities.
 */
export function verifyRegisterNode(
  reader: RegistryStateReader,
  params: RegistryParameters,
  signed: MultiSigned,
  epoch: bigint,
  isGenesis: boolean,
): VerifiedNode {
  const entity = reader.requireEntity(peekNodeKey(signed, 'entity_id'));
  const n = openMultiSignedNode(signed);
  if (!(entity.nodes ?? []).some((id) => bytesEqual(id, n.id))) {
    throw RegistryErrors.invalidArgument("node public key not found in entity's node list");
  }
  if (params.max_node_expiration > 0n && n.expiration > epoch + params.max_node_expiration) {
    throw RegistryErrors.invalidArgument('expiration period greater than allowed');
  }
  const runtimes = checkRuntimes(reader, n, isGenesis);
  const consensusRequired = (n.roles & NodeRoles.validator) !== 0;
  checkAddresses(
    params,
    consensusRequired,
    n.consensus.addresses.map((a) => a.address),
    'consensus',
  );
  // Genesis keeps accepting legacy validator descriptors without P2P addresses (as oasis-core).
  const p2pRequired =
    (n.roles & P2P_ADDRESS_REQUIRED_ROLES) !== 0 && !(isGenesis && (n.roles & NodeRoles.validator) !== 0);
  checkAddresses(params, p2pRequired, n.p2p.addresses, 'P2P');
  const names = ['consensus ID', 'P2P ID', 'TLS public key', 'VRF ID'];
  [n.consensus.id, n.p2p.id, n.tls.pubKey, n.vrf.id].forEach((k, i) => {
    const owner = reader.nodeIdBySubKey(k);
    if (owner !== undefined && !bytesEqual(owner, n.id)) {
      throw RegistryErrors.invalidArgument(`duplicate node ${names[i]}`);
    }
  });
  return { node: n, runtimes };
}

/**
 * Runtime changes a live node may make (oasis-core `verifyNodeRuntimeChanges`): it keeps every runtime it
 * served, keeps every version still deployable (at or after the deployment in effect), and does not
 * switch between TEE and non-TEE or change TEE hardware.
 */
function runtimeChangesAllowed(
  reader: RegistryStateReader,
  current: NodeDescriptor,
  next: NodeDescriptor,
  epoch: bigint,
): boolean {
  for (const cur of current.runtimes) {
    const sameId = next.runtimes.filter((r) => bytesEqual(r.id, cur.id));
    if (sameId.length === 0) return false;
    const kept = sameId.find((r) => versionKey(r.version) === versionKey(cur.version));
    if (kept === undefined) {
      const rt = reader.anyRuntime(cur.id);
      if (rt === undefined) return false;
      const active = activeDeployment(rt, epoch);
      const deployed = rt.deployments.some((d) => versionKey(d.version) === versionKey(cur.version));
      if (active !== undefined && versionKey(cur.version) >= versionKey(active.version) && deployed)
        return false;
      continue;
    }
    const [a, b] = [cur.capabilities.tee, kept.capabilities.tee];
    if ((a === undefined) !== (b === undefined)) return false;
    if (a !== undefined && b !== undefined && a.hardware !== b.hardware) return false;
  }
  return true;
}

/**
 * Checks an update of an existing node (oasis-core `VerifyNodeUpdate`): entity and consensus key are
 * fixed; a live node may only add roles and must respect the runtime change rules.
 */
export function verifyNodeUpdate(
  reader: RegistryStateReader,
  current: NodeDescriptor,
  next: NodeDescriptor,
  epoch: bigint,
): void {
  if (!bytesEqual(current.entityId, next.entityId) || !bytesEqual(current.consensus.id, next.consensus.id)) {
    throw RegistryErrors.nodeUpdateNotAllowed();
  }
  if (isNodeExpired(current, epoch)) return;
  if (!runtimeChangesAllowed(reader, current, next, epoch))
    throw RegistryErrors.nodeUpdateNotAllowed('runtime changes');
  if ((next.roles & current.roles) !== current.roles)
    throw RegistryErrors.nodeUpdateNotAllowed('roles removed');
}

/** True when a node's registration has lapsed at `epoch` (oasis-core `Node.IsExpired`). */
export function isNodeExpired(n: NodeDescriptor, epoch: bigint): boolean {
  return n.expiration < epoch;
}

/**
 * Node descriptors (`go/common/node/node.go`, version 3) with oasis-core's CBOR field names and nil/omitempty
 * rules: Go writes empty address and runtime lists as null, `software_version` is omitted when empty,
 * `capabilities` is always present. A descriptor is a `MultiSigned` envelope under
 * `oasis-core/registry: register node` signed by exactly the node identity, consensus, VRF, TLS and P2P
 * keys (`VerifyRegisterNodeArgs`).
 */
import { toHex } from '../../../codec/bytes.ts';
import { type CborValue, encodeCanonical } from '../../../codec/cbor.ts';
import {
  bytesCodec,
  type Codec,
  field,
  intCodec,
  nilSliceCodec,
  nullableCodec,
  optionalCodec,
  structCodec,
  textCodec,
  u64Codec,
  uintCodec,
  viewCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { Contexts } from '../../../crypto/context.ts';
import type { Ed25519KeyPair } from '../../../crypto/ed25519.ts';
import { type MultiSigned, multiSignValue, openMultiSigned } from '../../../crypto/signature.ts';
import { CodecError } from '../../../errors.ts';
import { DescriptorErrors } from './entity.ts';

/** Node descriptor version written and accepted. */
export const NODE_DESCRIPTOR_VERSION = 3;
/** Longest `software_version` oasis-core accepts. */
export const MAX_SOFTWARE_VERSION_LENGTH = 128;

/** Node role bits (`RolesMask`). */
export const NodeRoles = Object.freeze({
  computeWorker: 1 << 0,
  observer: 1 << 1,
  keyManager: 1 << 2,
  validator: 1 << 3,
  storageRpc: 1 << 5,
});
/** Bits that must never be set: the retired consensus-rpc bit 4 and everything above storage-rpc. */
export const RESERVED_ROLE_BITS = (0xffffffff & ~((NodeRoles.storageRpc << 1) - 1)) | (1 << 4);

/** A TCP address as a node descriptor holds it (`IP` 4 or 16 bytes). */
export interface NodeAddress {
  ip: Uint8Array;
  port: number;
  zone: string;
}

/** A consensus address: the peer's key and where to reach it. */
export interface ConsensusAddress {
  id: Uint8Array;
  address: NodeAddress;
}

/** A runtime's TEE capability. */
export interface CapabilityTEE {
  hardware: number;
  rak: Uint8Array;
  rek?: Uint8Array;
  attestation: Uint8Array;
}

/** A runtime the node serves. */
export interface NodeRuntime {
  id: Uint8Array;
  version: { major: number; minor: number; patch: number };
  capabilities: { tee?: CapabilityTEE };
  extraInfo: Uint8Array | null;
}

/** A node descriptor. */
export interface NodeDescriptor {
  v: number;
  id: Uint8Array;
  entityId: Uint8Array;
  expiration: bigint;
  tls: { pubKey: Uint8Array };
  p2p: { id: Uint8Array; addresses: NodeAddress[] };
  consensus: { id: Uint8Array; addresses: ConsensusAddress[] };
  vrf: { id: Uint8Array };
  runtimes: NodeRuntime[];
  roles: number;
  softwareVersion?: string;
}

const key = () => field(bytesCodec(32));

/** A TCP address (`{IP, Port, Zone}`, Go's `net.TCPAddr` field names); IP is 4 or 16 bytes. */
const addressCodec: Codec<NodeAddress> = viewCodec(
  structCodec({ IP: field(bytesCodec()), Port: field(intCodec), Zone: field(textCodec) }),
  (w, path): NodeAddress => {
    if (w.IP.length !== 4 && w.IP.length !== 16) throw new CodecError(`${path}.IP`, 'expected 4 or 16 bytes');
    return { ip: w.IP, port: w.Port, zone: w.Zone };
  },
  (a) => ({ IP: a.ip, Port: a.port, Zone: a.zone }),
);

/** A 16-bit unsigned integer. */
const u16Codec: Codec<number> = {
  ...uintCodec,
  decode: (v, p) => {
    const n = uintCodec.decode(v, p);
    if (n > 0xffff) throw new CodecError(p, 'expected a 16-bit unsigned integer');
    return n;
  },
};
const versionPart = () =>
  field(
    withDefault(u16Codec, () => 0),
    true,
  );

const teeCodec = structCodec({
  hardware: field(uintCodec),
  rak: key(),
  rek: field(optionalCodec(bytesCodec(32)), true),
  attestation: field(bytesCodec()),
});

const runtimeWire = structCodec({
  id: key(),
  version: field(structCodec({ major: versionPart(), minor: versionPart(), patch: versionPart() })),
  capabilities: field(structCodec({ tee: field(optionalCodec(teeCodec), true) })),
  extra_info: field(nullableCodec(bytesCodec())),
});

/** A TEE capability without absent optional fields (`rek` only when present). */
function tee(t: CapabilityTEE): CapabilityTEE {
  const { hardware, rak, rek, attestation } = t;
  return rek === undefined ? { hardware, rak, attestation } : { hardware, rak, rek, attestation };
}

const runtimeCodec: Codec<NodeRuntime> = viewCodec(
  runtimeWire,
  (w): NodeRuntime => ({
    id: w.id,
    version: w.version,
    capabilities: w.capabilities.tee ? { tee: tee(w.capabilities.tee) } : {},
    extraInfo: w.extra_info,
  }),
  (rt) => ({
    id: rt.id,
    version: rt.version,
    capabilities: { tee: rt.capabilities.tee && { ...rt.capabilities.tee, rek: rt.capabilities.tee.rek } },
    extra_info: rt.extraInfo,
  }),
);

const nodeWire = structCodec({
  v: field(uintCodec),
  id: key(),
  entity_id: key(),
  expiration: field(u64Codec),
  tls: field(structCodec({ pub_key: key() })),
  p2p: field(structCodec({ id: key(), addresses: field(nilSliceCodec(addressCodec)) })),
  consensus: field(
    structCodec({
      id: key(),
      addresses: field(nilSliceCodec(structCodec({ id: key(), address: field(addressCodec) }))),
    }),
  ),
  vrf: field(structCodec({ id: key() })),
  runtimes: field(nilSliceCodec(runtimeCodec)),
  roles: field(uintCodec),
  software_version: field(optionalCodec(textCodec), true),
});

/** Version 3, valid roles, bounded software version. */
function nodeFromWire(d: ReturnType<typeof nodeWire.decode>, path: string): NodeDescriptor {
  if (d.v !== NODE_DESCRIPTOR_VERSION)
    throw new CodecError(`${path}.v`, `unsupported node descriptor version ${d.v}`);
  if (d.roles === 0 || d.roles > 0xffffffff || (d.roles & RESERVED_ROLE_BITS) !== 0) {
    throw new CodecError(`${path}.roles`, `invalid roles mask ${d.roles}`);
  }
  if (
    d.software_version !== undefined &&
    Buffer.byteLength(d.software_version) > MAX_SOFTWARE_VERSION_LENGTH
  ) {
    throw new CodecError(`${path}.software_version`, `longer than ${MAX_SOFTWARE_VERSION_LENGTH} bytes`);
  }
  const node: NodeDescriptor = {
    v: d.v,
    id: d.id,
    entityId: d.entity_id,
    expiration: d.expiration,
    tls: { pubKey: d.tls.pub_key },
    p2p: { id: d.p2p.id, addresses: d.p2p.addresses },
    consensus: { id: d.consensus.id, addresses: d.consensus.addresses },
    vrf: { id: d.vrf.id },
    runtimes: d.runtimes,
    roles: d.roles,
  };
  if (d.software_version) node.softwareVersion = d.software_version;
  return node;
}

/**
 * A node descriptor with oasis-core's field names and nil/omitempty rules (empty lists as null,
 * `software_version` omitted when empty, `capabilities` always present); decoding is strict.
 */
export const nodeCodec = viewCodec<
  ReturnType<typeof nodeWire.decode>,
  NodeDescriptor,
  Record<string, unknown>
>(nodeWire, nodeFromWire, (n) => ({
  v: n.v,
  id: n.id,
  entity_id: n.entityId,
  expiration: n.expiration,
  tls: { pub_key: n.tls.pubKey },
  p2p: { id: n.p2p.id, addresses: n.p2p.addresses },
  consensus: { id: n.consensus.id, addresses: n.consensus.addresses },
  vrf: { id: n.vrf.id },
  runtimes: n.runtimes,
  roles: n.roles,
  software_version: n.softwareVersion ? n.softwareVersion : undefined,
}));

/** Canonical CBOR of a node descriptor. */
export function encodeNode(n: NodeDescriptor): Uint8Array {
  return encodeCanonical(nodeCodec.encode(n));
}

/** The keys that must sign a node descriptor, in oasis-core's signing order. */
export interface NodeSigners {
  node: Ed25519KeyPair;
  p2p: Ed25519KeyPair;
  consensus: Ed25519KeyPair;
  vrf: Ed25519KeyPair;
  tls: Ed25519KeyPair;
}

/** The public keys a descriptor claims, which must be exactly its signers. */
function expectedSigners(n: NodeDescriptor): Uint8Array[] {
  return [n.id, n.p2p.id, n.consensus.id, n.vrf.id, n.tls.pubKey];
}

/** Multi-signs a node descriptor with its node, P2P, consensus, VRF and TLS keys. */
export function signNode(signers: NodeSigners, n: NodeDescriptor): MultiSigned {
  const keys = [signers.node, signers.p2p, signers.consensus, signers.vrf, signers.tls];
  const claimed = expectedSigners(n).map(toHex);
  keys.forEach((k, i) => {
    if (toHex(k.publicKey) !== claimed[i]) throw new Error('node signer keys do not match the descriptor');
  });
  return multiSignValue(keys, Contexts.registerNode, nodeCodec.encode(n));
}

/**
 * Verifies a multi-signed node descriptor and decodes it. Every signature must be valid under the
 * register-node context, the consensus, P2P, VRF and TLS keys must be distinct, and the signers must be
 * exactly the node identity, consensus, VRF, TLS and P2P keys: none missing, none extra.
 * Throws registry coded errors (2: bad signature, 1: bad descriptor or signer set).
 */
export function openMultiSignedNode(ms: MultiSigned): NodeDescriptor {
  let raw: CborValue;
  try {
    raw = openMultiSigned(ms, Contexts.registerNode);
  } catch (err) {
    if (err instanceof CodecError) throw DescriptorErrors.invalidArgument(err.message);
    throw DescriptorErrors.invalidSignature((err as Error).message);
  }
  let n: NodeDescriptor;
  try {
    n = nodeCodec.decode(raw, 'node');
  } catch (err) {
    throw DescriptorErrors.invalidArgument((err as Error).message);
  }
  const subKeys = [n.consensus.id, n.p2p.id, n.tls.pubKey, n.vrf.id].map(toHex);
  if (new Set(subKeys).size !== subKeys.length) {
    throw DescriptorErrors.invalidArgument('node consensus, P2P, VRF and TLS keys not unique');
  }
  const expected = new Set(expectedSigners(n).map(toHex));
  const actual = new Set(ms.signatures.map((s) => toHex(s.public_key)));
  const names = ['node identity', 'P2P ID', 'consensus ID', 'VRF ID', 'TLS key'];
  expectedSigners(n).forEach((key, i) => {
    if (!actual.has(toHex(key)))
      throw DescriptorErrors.invalidArgument(`registration not signed by ${names[i]}`);
  });
  for (const signer of actual) {
    if (!expected.has(signer)) throw DescriptorErrors.invalidArgument(`unexpected signer ${signer}`);
  }
  return n;
}

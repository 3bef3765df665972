/**
 * Entity descriptors (`go/common/entity/entity.go`, version 2): `{v, id, nodes?}` — the key that owns
 * stake and nodes, and the node identity keys it vouches for. Registered as a `Signed` envelope under
 * `oasis-core/registry: register entity` (not chain-bound, so the same bytes serve in genesis), signed by
 * the entity key itself.
 */
import { bytesEqual, toBase64, toHex } from '../../../codec/bytes.ts';
import { encodeCanonical } from '../../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, optional, struct, uint } from '../../../codec/schema.ts';
import { Contexts } from '../../../crypto/context.ts';
import { type Ed25519KeyPair, PUBLIC_KEY_SIZE } from '../../../crypto/ed25519.ts';
import { openSigned, type Signed, signValue } from '../../../crypto/signature.ts';
import { type GoJsonValue, JsonReader, parseBase64 } from '../../../crypto/signer/json_files.ts';
import { CodecError, CodedError } from '../../../errors.ts';

/** Entity descriptor version written and accepted. */
export const ENTITY_DESCRIPTOR_VERSION = 2;

/** An entity descriptor. */
export interface Entity {
  v: number;
  /** The entity's public key. */
  id: Uint8Array;
  /** Node identity keys this entity controls (omitted when empty). */
  nodes?: Uint8Array[];
}

/** Error module of the registry (oasis-core `registry`). */
export const REGISTRY_MODULE = 'registry';

/** The registry's coded errors that descriptor verification raises (oasis-core codes 1 and 2). */
export const DescriptorErrors = Object.freeze({
  invalidArgument: (msg: string) => new CodedError(REGISTRY_MODULE, 1, `registry: invalid argument: ${msg}`),
  invalidSignature: (msg: string) =>
    new CodedError(REGISTRY_MODULE, 2, `registry: invalid signature: ${msg}`),
});

/** Decoder of an array that Go may have written as null (a nil slice). */
export function nullableArray<T>(item: Decoder<T>): Decoder<T[]> {
  const array = arrayOf(item);
  return (value, path) => (value === null ? [] : array(value, path));
}

/** Decoder of a 32-byte Ed25519 public key. */
export const publicKeyDecoder: Decoder<Uint8Array> = bytes(PUBLIC_KEY_SIZE);

const entityFields = struct({
  v: uint,
  id: publicKeyDecoder,
  nodes: optional(nullableArray(publicKeyDecoder)),
});

/** Strict decoder of an entity descriptor (version 2 only; node keys unique). */
export const entityDecoder: Decoder<Entity> = (value, path) => {
  const d = entityFields(value, path);
  if (d.v !== ENTITY_DESCRIPTOR_VERSION) {
    throw new CodecError(`${path}.v`, `unsupported entity descriptor version ${d.v}`);
  }
  const entity: Entity = { v: d.v, id: d.id };
  if (d.nodes !== undefined && d.nodes.length > 0) {
    if (new Set(d.nodes.map(toHex)).size !== d.nodes.length) {
      throw new CodecError(`${path}.nodes`, 'duplicate node key');
    }
    entity.nodes = d.nodes;
  }
  return entity;
};

/** CBOR-ready form (`nodes` omitted when empty, as Go's omitempty). */
export function entityToCbor(entity: Entity): Record<string, unknown> {
  const out: Record<string, unknown> = { v: entity.v, id: entity.id };
  if (entity.nodes && entity.nodes.length > 0) out.nodes = entity.nodes;
  return out;
}

/** Canonical CBOR of an entity descriptor. */
export function encodeEntity(entity: Entity): Uint8Array {
  return encodeCanonical(entityToCbor(entity));
}

/** Signs an entity descriptor with its own key (the only key oasis-core accepts for it). */
export function signEntity(signer: Ed25519KeyPair, entity: Entity): Signed {
  if (!bytesEqual(signer.publicKey, entity.id)) {
    throw new Error('an entity descriptor must be signed by the entity key');
  }
  return signValue(signer, Contexts.registerEntity, entityToCbor(entity));
}

/**
 * Verifies a signed entity descriptor and decodes it: the signature must be valid under the register-entity
 * context and made by the entity key. Throws registry coded errors (2: bad signature, 1: bad descriptor).
 */
export function openSignedEntity(signed: Signed): Entity {
  let raw: ReturnType<typeof openSigned>;
  try {
    raw = openSigned(signed, Contexts.registerEntity);
  } catch (err) {
    if (err instanceof CodecError) throw DescriptorErrors.invalidArgument(err.message);
    throw DescriptorErrors.invalidSignature((err as Error).message);
  }
  let entity: Entity;
  try {
    entity = entityDecoder(raw, 'entity');
  } catch (err) {
    throw DescriptorErrors.invalidArgument((err as Error).message);
  }
  if (!bytesEqual(signed.signature.public_key, entity.id)) {
    throw DescriptorErrors.invalidArgument('entity descriptor not signed by the entity key');
  }
  return entity;
}

/** The entity descriptor as oasis-core's entity.json holds it. */
export function entityToJson(entity: Entity): GoJsonValue {
  const out: Record<string, GoJsonValue> = { v: entity.v, id: toBase64(entity.id) };
  if (entity.nodes && entity.nodes.length > 0) out.nodes = entity.nodes.map(toBase64);
  return out;
}

/** Parses entity.json strictly (`where` names the file in errors). */
export function entityFromJson(value: unknown, where: string): Entity {
  const r = new JsonReader(value, where, ['v', 'id', 'nodes']);
  const v = r.uint('v');
  if (v !== ENTITY_DESCRIPTOR_VERSION)
    throw new Error(`${where}.v: unsupported entity descriptor version ${v}`);
  const entity: Entity = { v, id: r.bytes('id', PUBLIC_KEY_SIZE) };
  if (r.has('nodes')) {
    const nodes = r.array('nodes').map((n, i) => parseBase64(n, `${where}.nodes[${i}]`, PUBLIC_KEY_SIZE));
    if (new Set(nodes.map(toHex)).size !== nodes.length)
      throw new Error(`${where}.nodes: duplicate node key`);
    if (nodes.length > 0) entity.nodes = nodes;
  }
  return entity;
}

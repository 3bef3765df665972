/**
 * Entity descriptors (`go/common/entity/entity.go`, version 2): `{v, id, nodes?}` — the key that owns
 * stake and nodes, and the node identity keys it vouches for. Registered as a `Signed` envelope under
 * `oasis-core/registry: register entity` (not chain-bound, so the same bytes serve in genesis), signed by
 * the entity key itself.
 */
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { encodeCanonical } from '../../../codec/cbor.ts';
import { bytes, type Decoder } from '../../../codec/schema.ts';
import {
  arrayCodec,
  bytesCodec,
  field,
  optionalCodec,
  structCodec,
  uintCodec,
  viewCodec,
} from '../../../codec/typed.ts';
import { Contexts } from '../../../crypto/context.ts';
import { type Ed25519KeyPair, PUBLIC_KEY_SIZE } from '../../../crypto/ed25519.ts';
import { openSigned, type Signed, signValue } from '../../../crypto/signature.ts';
import type { GoJsonValue } from '../../../crypto/signer/json_files.ts';
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

/** Decoder of a 32-byte Ed25519 public key. */
export const publicKeyDecoder: Decoder<Uint8Array> = bytes(PUBLIC_KEY_SIZE);

const entityWire = structCodec({
  v: field(uintCodec),
  id: field(bytesCodec(PUBLIC_KEY_SIZE)),
  nodes: field(optionalCodec(arrayCodec(bytesCodec(PUBLIC_KEY_SIZE))), true),
});

/** Version 2 only; node keys unique; `nodes` left out when empty (Go's omitempty). */
function entityFromWire(w: ReturnType<typeof entityWire.decode>, path: string): Entity {
  if (w.v !== ENTITY_DESCRIPTOR_VERSION) {
    throw new CodecError(path ? `${path}.v` : 'v', `unsupported entity descriptor version ${w.v}`);
  }
  const entity: Entity = { v: w.v, id: w.id };
  if (w.nodes !== undefined && w.nodes.length > 0) {
    if (new Set(w.nodes.map(toHex)).size !== w.nodes.length) {
      throw new CodecError(path ? `${path}.nodes` : 'nodes', 'duplicate node key');
    }
    entity.nodes = w.nodes;
  }
  return entity;
}

/**
 * An entity descriptor: CBOR as registered and signed, JSON as oasis-core's entity.json holds it (keys
 * base64). Decoding is strict (version 2 only, unique node keys).
 */
export const entityCodec = viewCodec<ReturnType<typeof entityWire.decode>, Entity, Record<string, unknown>>(
  entityWire,
  entityFromWire,
  (e) => ({
    v: e.v,
    id: e.id,
    nodes: e.nodes && e.nodes.length > 0 ? e.nodes : undefined,
  }),
);

/** Canonical CBOR of an entity descriptor. */
export function encodeEntity(entity: Entity): Uint8Array {
  return encodeCanonical(entityCodec.encode(entity));
}

/** Signs an entity descriptor with its own key (the only key oasis-core accepts for it). */
export function signEntity(signer: Ed25519KeyPair, entity: Entity): Signed {
  if (!bytesEqual(signer.publicKey, entity.id)) {
    throw new Error('an entity descriptor must be signed by the entity key');
  }
  return signValue(signer, Contexts.registerEntity, entityCodec.encode(entity));
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
    entity = entityCodec.decode(raw, 'entity');
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
  return entityCodec.toJson(entity) as GoJsonValue;
}

/** Parses entity.json strictly (`where` names the file in errors). */
export function entityFromJson(value: unknown, where: string): Entity {
  return entityCodec.fromJson(value, where);
}

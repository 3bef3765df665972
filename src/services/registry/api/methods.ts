/**
 * Registry transaction methods (`registry.*`), their body decoders and the stake claim names the registry
 * files with staking, as oasis-core names them.
 */
import { toBase64, toHex } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { bytes, struct } from '../../../codec/schema.ts';
import {
  type MultiSigned,
  multiSignedDecoder,
  type Signed,
  signedDecoder,
} from '../../../crypto/signature.ts';
import { publicKeyDecoder } from './entity.ts';
import { RegistryErrors } from './errors.ts';
import { type Runtime, runtimeCodec } from './runtime.ts';

/** Method names. */
export const RegistryMethods = Object.freeze({
  registerEntity: 'registry.RegisterEntity',
  deregisterEntity: 'registry.DeregisterEntity',
  registerNode: 'registry.RegisterNode',
  unfreezeNode: 'registry.UnfreezeNode',
  registerRuntime: 'registry.RegisterRuntime',
  proveFreshness: 'registry.ProveFreshness',
});

/** Body of `registry.UnfreezeNode`. */
export interface UnfreezeNode {
  node_id: Uint8Array;
}

/** Decodes a method body, turning any malformation into registry/1 (as oasis-core's `ExecuteTx`). */
function decodeOr<T>(decode: (v: CborValue, path: string) => T): (body: CborValue | undefined) => T {
  return (body) => {
    if (body === undefined) throw RegistryErrors.invalidArgument('missing body');
    try {
      return decode(body, 'body');
    } catch (err) {
      throw RegistryErrors.invalidArgument((err as Error).message);
    }
  };
}

/** Strict body decoders. */
export const RegistryBodies = Object.freeze({
  registerEntity: decodeOr<Signed>(signedDecoder),
  registerNode: decodeOr<MultiSigned>(multiSignedDecoder),
  unfreezeNode: decodeOr<UnfreezeNode>(struct({ node_id: publicKeyDecoder })),
  registerRuntime: decodeOr<Runtime>(runtimeCodec.decode),
  proveFreshness: decodeOr<Uint8Array>(bytes(32)),
});

/** Stake claim of an entity registration. */
export const STAKE_CLAIM_REGISTER_ENTITY = 'registry.RegisterEntity';

/** Stake claim of a node registration (node ID in base64, as Go prints a public key). */
export function stakeClaimForNode(nodeId: Uint8Array): string {
  return `registry.RegisterNode.${toBase64(nodeId)}`;
}

/** Stake claim of a runtime registration (runtime ID in hex). */
export function stakeClaimForRuntime(runtimeId: Uint8Array): string {
  return `registry.RegisterRuntime.${toHex(runtimeId)}`;
}

/**
 * The genesis `registry` section (oasis-core `registry.Genesis`): parameters, signed entities, runtimes
 * (active and suspended), multi-signed nodes and node statuses, with the signed envelopes' JSON forms.
 */
import { arrayCodec, bytesCodec, field, mapCodec, structCodec } from '../../../codec/typed.ts';
import { registryParametersCodec } from './params.ts';
import { runtimeCodec } from './runtime.ts';
import { nodeStatusCodec } from './status.ts';

const signatureCodec = structCodec({
  public_key: field(bytesCodec(32)),
  signature: field(bytesCodec(64)),
});

/** A `Signed` envelope (JSON: base64 raw value and keys). */
export const signedCodec = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signature: field(signatureCodec),
});

/** A `MultiSigned` envelope. */
export const multiSignedCodec = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signatures: field(arrayCodec(signatureCodec, 64)),
});

/** The registry genesis section (wire field names). */
export const registryGenesisCodec = structCodec({
  params: field(registryParametersCodec),
  entities: field(arrayCodec(signedCodec), true),
  runtimes: field(arrayCodec(runtimeCodec), true),
  suspended_runtimes: field(arrayCodec(runtimeCodec), true),
  nodes: field(arrayCodec(multiSignedCodec), true),
  node_statuses: field(mapCodec(bytesCodec(32), nodeStatusCodec), true),
});

/** The registry genesis section. */
export type RegistryGenesis = ReturnType<typeof registryGenesisCodec.decode>;

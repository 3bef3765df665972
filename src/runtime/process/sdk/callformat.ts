/**
 * runtime-sdk's encrypted call format as the EVM module meets it (sapphire-paratime puts it in the EVM
 * calldata itself): `Call {format: 1, body: {pk, nonce, data, epoch?}}` whose `data` seals
 * `cbor({body: <calldata>})` for the runtime's per-epoch call-data key, and results that come back as
 * `{ok: {nonce, data}}` sealing `cbor({ok: <output>})` for the caller's key. Calldata that is not such an
 * envelope is plain and passes through. Failures are core error 18, as runtime-sdk's `callformat.rs`.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { bytes, optional, struct, u64 } from '../../../codec/schema.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import {
  MRAE_NONCE_SIZE,
  MraeOpenError,
  mraeBoxKey,
  mraeOpen,
  mraeSeal,
  X25519_KEY_SIZE,
} from '../../../crypto/mrae.ts';
import { CoreErrorCode, coreError } from '../../protocol/core_errors.ts';

/** `CallFormat` values. */
export const CallFormat = Object.freeze({ plain: 0, encryptedX25519DeoxysII: 1 });

/** How far back an envelope's epoch may lie (runtime-sdk `MAX_EPHEMERAL_KEY_AGE`). */
export const MAX_EPHEMERAL_KEY_AGE = 5n;

/** The body of an encrypted call. */
export interface CallEnvelope {
  /** The caller's X25519 public key. */
  pk: Uint8Array;
  nonce: Uint8Array;
  /** Sealed `cbor({body})`. */
  data: Uint8Array;
  /** Epoch of the runtime key it was sealed for; absent means "current, or the one before". */
  epoch?: bigint;
}

/** Calldata after unwrapping: plain bytes, or an envelope still to open. */
export type EvmCallData = { format: 0; data: Uint8Array } | { format: 1; envelope: CallEnvelope };

const envelopeDecoder = struct({
  pk: bytes(X25519_KEY_SIZE),
  nonce: bytes(MRAE_NONCE_SIZE),
  data: bytes(),
  epoch: optional(u64),
});
const innerCallDecoder = struct({ body: bytes() });

function isRecord(v: CborValue): v is Record<string, CborValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Recognises an enveloped call in EVM calldata. Bytes that do not decode as a `Call` map are plain (as
 * runtime-sdk's `decode_call_data`); a `Call` with an unknown format or a malformed body is refused.
 */
export function parseEvmCallData(data: Uint8Array): EvmCallData {
  let value: CborValue;
  try {
    value = decodeCanonical(data);
  } catch {
    return { format: 0, data };
  }
  if (
    !isRecord(value) ||
    !('body' in value) ||
    Object.keys(value).some((k) => k !== 'body' && k !== 'format')
  )
    return { format: 0, data };
  const format = value.format ?? 0;
  if (format === CallFormat.plain) {
    if (!(value.body instanceof Uint8Array))
      throw coreError(CoreErrorCode.invalidCallFormat, 'malformed call');
    return { format: 0, data: value.body };
  }
  if (format !== CallFormat.encryptedX25519DeoxysII)
    throw coreError(CoreErrorCode.invalidCallFormat, `unsupported call format ${String(format)}`);
  try {
    const e = envelopeDecoder(value.body ?? null, 'body');
    return {
      format: 1,
      // An explicit epoch 0 names epoch 0's key (a young local network's first key): only an absent
      // epoch means "current, or the one before".
      envelope: {
        pk: e.pk,
        nonce: e.nonce,
        data: e.data,
        ...(e.epoch !== undefined ? { epoch: e.epoch } : {}),
      },
    };
  } catch {
    throw coreError(CoreErrorCode.invalidCallFormat, 'bad call envelope');
  }
}

/** The epochs whose key may have sealed an envelope, in the order to try them. */
export function candidateEpochs(
  envelope: CallEnvelope,
  current: bigint,
  maxAge = MAX_EPHEMERAL_KEY_AGE,
): bigint[] {
  if (envelope.epoch === undefined) return current > 0n ? [current, current - 1n] : [current];
  if (envelope.epoch > current) throw coreError(CoreErrorCode.invalidCallFormat, 'epoch in the future');
  if (envelope.epoch + maxAge < current)
    throw coreError(CoreErrorCode.invalidCallFormat, 'epoch too far in the past');
  return [envelope.epoch];
}

/** An opened call: its calldata and the key its result is sealed with. */
export interface OpenedCall {
  data: Uint8Array;
  boxKey: Uint8Array;
}

/** Opens `envelope` with the runtime's X25519 secret; core 18 when it does not open or is malformed. */
export function openCall(envelope: CallEnvelope, runtimeSecret: Uint8Array): OpenedCall {
  const boxKey = mraeBoxKey(runtimeSecret, envelope.pk);
  let inner: CborValue;
  try {
    inner = decodeCanonical(mraeOpen(boxKey, envelope.nonce, envelope.data));
  } catch (err) {
    if (err instanceof MraeOpenError) throw coreError(CoreErrorCode.invalidCallFormat, 'decryption failed');
    throw coreError(CoreErrorCode.invalidCallFormat, 'malformed call');
  }
  try {
    return { data: innerCallDecoder(inner, 'call').body, boxKey };
  } catch {
    throw coreError(CoreErrorCode.invalidCallFormat, 'malformed call');
  }
}

/** The result nonce of the `index`-th transaction of `round` (runtime-sdk's execute-mode nonce). */
export function txResultNonce(round: bigint, index: number): Uint8Array {
  const nonce = new Uint8Array(MRAE_NONCE_SIZE);
  const view = new DataView(nonce.buffer);
  view.setBigUint64(0, round);
  view.setUint32(8, index);
  return nonce;
}

/**
 * A query's result nonce, derived from the request's own nonce: the caller's key is fresh per request,
 * so the (key, nonce) pair is never reused for different plaintexts, and no randomness is needed.
 */
export function queryResultNonce(requestNonce: Uint8Array): Uint8Array {
  return sha512_256(new TextEncoder().encode('oasis-ts/callformat: query result'), requestNonce).slice(
    0,
    MRAE_NONCE_SIZE,
  );
}

/** The bytes a successful encrypted call returns: `cbor({ok: {nonce, data: seal(cbor({ok: output}))}})`. */
export function sealResult(opened: OpenedCall, nonce: Uint8Array, output: Uint8Array): Uint8Array {
  const data = mraeSeal(opened.boxKey, nonce, encodeCanonical({ ok: output }));
  return encodeCanonical({ ok: { nonce, data } });
}

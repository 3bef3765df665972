/**
 * `CallResult`: the CBOR each executed transaction yields, `{ok: value}` or `{fail: {module, code,
 * message}}`, exactly what `@oasisprotocol/client-rt` decodes from `RuntimeClient/SubmitTx`.
 */
import { type CborValue, encodeCanonical } from '../../../codec/cbor.ts';
import { CodedError } from '../../../errors.ts';
import { CORE_MODULE, CoreErrorCode } from '../../protocol/core_errors.ts';

/** A successful or failed call outcome. */
export type CallOutcome = { ok: CborValue } | { fail: { module: string; code: number; message: string } };

/** The failure outcome of an error (an uncoded error is reported as a core invalid-argument failure). */
export function failOutcome(err: unknown): CallOutcome {
  if (err instanceof CodedError)
    return { fail: { module: err.module, code: err.code, message: err.message } };
  return { fail: { module: CORE_MODULE, code: CoreErrorCode.invalidArgument, message: String(err) } };
}

/** Canonical CBOR of a call outcome. */
export function encodeCallResult(outcome: CallOutcome): Uint8Array {
  return encodeCanonical(outcome);
}

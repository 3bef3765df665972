/**
 * Turning thrown errors into transaction results. Coded errors keep their `{module, code}`; anything else
 * (bad signature, malformed envelope, reserved signer, out of gas) is oasis-core's plain error: `unknown`/1.
 */
import type { ResultError } from '../../consensus/api/application.ts';
import { SIGNATURE_MODULE } from '../../crypto/signature.ts';
import { CODEC_MODULE, CodedError } from '../../errors.ts';
import { UNKNOWN_MODULE } from './gas.ts';

/** Modules whose errors oasis-core reports uncoded. */
const UNCODED_MODULES = new Set([CODEC_MODULE, SIGNATURE_MODULE]);

/** The result error for anything a transaction threw. */
export function toResultError(err: unknown): ResultError {
  if (err instanceof CodedError && !UNCODED_MODULES.has(err.module)) {
    return { module: err.module, code: err.code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { module: UNKNOWN_MODULE, code: 1, message };
}

/** A plain (uncoded) error, as oasis-core's `fmt.Errorf` failures surface to clients. */
export function plainError(message: string): CodedError {
  return new CodedError(UNKNOWN_MODULE, 1, message);
}

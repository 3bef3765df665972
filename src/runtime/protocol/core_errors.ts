/**
 * The runtime-sdk `core` module's error codes, as `@oasisprotocol/client-rt` (core.ts) numbers them, so a
 * failed call decodes in the official client with the module and code it expects.
 */
import { CodedError } from '../../errors.ts';

/** Module name of runtime-sdk core errors. */
export const CORE_MODULE = 'core';

/** runtime-sdk core error codes (the subset this SDK raises). */
export const CoreErrorCode = Object.freeze({
  malformedTransaction: 1,
  invalidTransaction: 2,
  invalidMethod: 3,
  invalidNonce: 4,
  insufficientFeeBalance: 5,
  outOfMessageSlots: 6,
  invalidArgument: 10,
  outOfGas: 12,
  tooManyAuth: 15,
  invalidCallFormat: 18,
  gasPriceTooLow: 20,
  oversizedTransaction: 23,
  expiredTransaction: 24,
  readOnlyTransaction: 25,
  futureNonce: 26,
});

/** A runtime-sdk core error. */
export function coreError(code: number, message: string): CodedError {
  return new CodedError(CORE_MODULE, code, message);
}

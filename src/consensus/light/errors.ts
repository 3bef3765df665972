/**
 * Coded errors of the light client (module `consensus/light`), so a caller (state sync, an operator) can
 * tell a source that lies from one that is merely unreachable, and a trust root that is wrong from one
 * that has expired.
 *
 * | code | meaning |
 * |------|---------|
 * | 1 | the block at the trust height does not have the trusted hash |
 * | 2 | the trusted block is older than the trust period |
 * | 3 | a light block is malformed or inconsistent (heights, chain, hashes) |
 * | 4 | a commit does not verify (signatures or not enough power) |
 * | 5 | not enough of the trusted validators signed: the header cannot be trusted in one step |
 * | 6 | a header's time is not after the trusted one, or too far in the future |
 * | 7 | no source could provide a light block |
 * | 8 | a witness holds a conflicting header that verifies: a light-client attack |
 * | 9 | bad options (trust level, period, height) |
 */
import { CodedError } from '../../errors.ts';

/** Error module of the light client. */
export const LIGHT_MODULE = 'consensus/light';

/** Codes of the light client's errors. */
export const LightErrorCode = Object.freeze({
  trustHashMismatch: 1,
  trustExpired: 2,
  invalidLightBlock: 3,
  invalidCommit: 4,
  notEnoughTrust: 5,
  badTime: 6,
  noSource: 7,
  conflictingHeaders: 8,
  badOptions: 9,
} as const);

/** A coded light-client error. */
export function lightError(kind: keyof typeof LightErrorCode, message: string): CodedError {
  return new CodedError(LIGHT_MODULE, LightErrorCode[kind], `light client: ${message}`);
}

/** True when `err` is the light client's error of `kind`. */
export function isLightError(err: unknown, kind: keyof typeof LightErrorCode): boolean {
  return CodedError.is(err, LIGHT_MODULE, LightErrorCode[kind]);
}

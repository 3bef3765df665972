/** Coded errors of the MKVS (authenticated state): callers tell a pruned version from a corrupt store. */
import { CodedError } from '../../errors.ts';

/** Error module of the MKVS. */
export const MKVS_MODULE = 'storage/mkvs';

/** Error codes, one per failure a caller may want to handle differently. */
export const MkvsErrorCode = Object.freeze({
  /** The version was never committed or has been pruned. */
  versionNotFound: 1,
  /** `commit` was given a version that is not above the latest. */
  badVersion: 2,
  /** A write or commit while a commit is in flight, or use after close. */
  unavailable: 3,
  /** A key, value or proof that cannot be handled (too long, malformed). */
  badInput: 4,
  /** A proof that does not verify against the trusted root or does not cover the key. */
  badProof: 5,
  /** A node referenced by a kept version is missing or malformed in the store. */
  corrupt: 6,
});

/** Builds an MKVS coded error. */
export function mkvsError(code: number, message: string): CodedError {
  return new CodedError(MKVS_MODULE, code, `mkvs: ${message}`);
}

/** Coded errors of checkpoints (oasis-core's module `storage/mkvs/checkpoint`, same numbering). */
import { CodedError } from '../../errors.ts';

/** Error module of checkpoints. */
export const CHECKPOINT_MODULE = 'storage/mkvs/checkpoint';

/** Error codes as oasis-core numbers them (`go/storage/mkvs/checkpoint/checkpoint.go`). */
export const CheckpointErrorCode = Object.freeze({
  checkpointNotFound: 1,
  chunkNotFound: 2,
  restoreAlreadyInProgress: 3,
  noRestoreInProgress: 4,
  chunkAlreadyRestored: 5,
  chunkProofVerificationFailed: 6,
  chunkCorrupted: 7,
});

/** Builds a checkpoint coded error. */
export function checkpointError(code: number, message: string): CodedError {
  return new CodedError(CHECKPOINT_MODULE, code, `checkpoint: ${message}`);
}

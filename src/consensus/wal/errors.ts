/**
 * Coded errors of the consensus write-ahead log (module `consensus/wal`). A node that meets one of these
 * must stop rather than run on: a WAL it cannot trust could replay wrong inputs, or none at all.
 *
 * | code | meaning |
 * |------|---------|
 * | 1 | corruption before the tail (a bad record followed by more data): needs operator repair |
 * | 2 | record larger than `MAX_WAL_RECORD_SIZE` |
 * | 3 | segment full (a single height wrote more than the segment hard cap) |
 * | 4 | the log is closed, crashed or failed an earlier write |
 * | 5 | an I/O error while writing or syncing (the log refuses all further use) |
 */
import { CodedError } from '../../errors.ts';

/** Error module of the consensus WAL. */
export const WAL_MODULE = 'consensus/wal';

/** Constructors of every coded WAL error, so callers and tests can match on `{module, code}`. */
export const WalErrors = Object.freeze({
  corrupt: (message: string) => new CodedError(WAL_MODULE, 1, `corrupted WAL: ${message}`),
  recordTooLarge: (size: number, max: number) =>
    new CodedError(WAL_MODULE, 2, `WAL record of ${size} bytes exceeds the limit of ${max}`),
  segmentFull: (message: string) => new CodedError(WAL_MODULE, 3, `WAL segment full: ${message}`),
  unusable: (why: string) => new CodedError(WAL_MODULE, 4, `WAL not usable: ${why}`),
  io: (message: string) => new CodedError(WAL_MODULE, 5, `WAL I/O failure: ${message}`),
});

/** Codes of `WalErrors`, for matching with `CodedError.is`. */
export const WalErrorCode = Object.freeze({
  corrupt: 1,
  recordTooLarge: 2,
  segmentFull: 3,
  unusable: 4,
  io: 5,
} as const);

/**
 * Coded errors of the privval (module `consensus/privval`), besides `DoubleSignError` itself: a guard
 * that cannot trust its last-sign state must not start, since it could then contradict itself.
 *
 * | code | meaning |
 * |------|---------|
 * | 1 | the last-sign state file exists but cannot be read or decoded |
 * | 2 | the last-sign state was not signed by this key for this chain |
 */
import { CodedError } from '../../errors.ts';

/** Error module of the privval. */
export const PRIVVAL_MODULE = 'consensus/privval';

/** Constructors of the coded privval errors. */
export const PrivvalErrors = Object.freeze({
  unreadableState: (path: string, why: string) =>
    new CodedError(PRIVVAL_MODULE, 1, `last-sign state ${path} unreadable: ${why}`),
  foreignState: (why: string) => new CodedError(PRIVVAL_MODULE, 2, `last-sign state ${why}`),
});

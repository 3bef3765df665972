/**
 * Whether a benchmark's localnet runs the debug invariant checks after every block (`debug.sanity_checks`,
 * a full state scan the development localnet turns on): off unless SANITY_CHECKS=1, as on a production node.
 */
export const SANITY_CHECKS = process.env.SANITY_CHECKS === '1';

/** Transaction methods of the scheduler: none (it elects in BeginBlock/EndBlock; oasis-core has none either). */

/** The methods it executes. */
export const SchedulerMethods: readonly string[] = Object.freeze([]);

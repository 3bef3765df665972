/** Transaction methods of the consensus-parameters service: none (parameters change only at genesis). */

/** The methods it executes. */
export const ConsensusMethods: readonly string[] = Object.freeze([]);

/** Events of the consensus-parameters service: none (it emits nothing; kept so every service looks alike). */

/** The event kinds it emits. */
export const ConsensusEventKinds: readonly string[] = Object.freeze([]);

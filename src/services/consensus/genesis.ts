/** Loads the consensus service's genesis: the chain context and the `consensus` section's parameters. */
import type { StateWriter } from '../../state/api.ts';
import type { ConsensusParameters } from './api/params.ts';
import { setChainContext, setConsensusParameters } from './state.ts';

/** What the consensus service takes from genesis (its section's parameters and the chain context). */
export interface ConsensusGenesis {
  chainContext: string;
  params: ConsensusParameters;
}

/** Writes the consensus genesis into `state`. */
export function loadConsensusGenesis(state: StateWriter, g: ConsensusGenesis): void {
  setChainContext(state, g.chainContext);
  setConsensusParameters(state, g.params);
}

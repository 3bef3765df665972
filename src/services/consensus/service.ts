/**
 * The consensus parameters as a service: at genesis it stores the `consensus` section's parameters (0xF1)
 * and the chain context (0xF0), so the transaction pipeline and queries read the parameters in effect at
 * any height from state, like every other service's parameters.
 */
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { CONSENSUS_MODULE, ConsensusErrors } from './api/errors.ts';
import { ConsensusMethods } from './api/methods.ts';
import { type ConsensusGenesis, loadConsensusGenesis } from './genesis.ts';
import { checkConsensusParameters } from './sanity.ts';

export type { ConsensusGenesis } from './genesis.ts';

/** The `000_consensus` service (no transactions). */
export class ConsensusParametersService implements ConsensusService {
  readonly name = '000_consensus';
  readonly module = CONSENSUS_MODULE;
  readonly priority = 0n;
  readonly methods: readonly string[] = ConsensusMethods;

  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.consensus as ConsensusGenesis | undefined;
    if (!g) throw new Error('genesis: missing consensus section');
    loadConsensusGenesis(ctx.state, g);
  }

  executeTx(): void {
    throw ConsensusErrors.noTransactions();
  }

  sanityCheck(state: StateReader): void {
    checkConsensusParameters(state);
  }
}

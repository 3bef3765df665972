/**
 * The consensus parameters as a service: at genesis it stores the `consensus` section's parameters (0xF1)
 * and the chain context (0xF0), so the transaction pipeline and queries read the parameters in effect at
 * any height from state, like every other service's parameters.
 */
import { encodeCanonical } from '../../codec/cbor.ts';
import { type ConsensusParameters, setConsensusParameters } from '../../genesis/consensus_section.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';

/** The genesis section this service reads. */
export interface ConsensusGenesis {
  chainContext: string;
  params: ConsensusParameters;
}

/** The `000_consensus` service (no transactions). */
export class ConsensusParametersService implements ConsensusService {
  readonly name = '000_consensus';
  readonly module = 'consensus';
  readonly priority = 0n;
  readonly methods: readonly string[] = [];

  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.consensus as ConsensusGenesis | undefined;
    if (!g) throw new Error('genesis: missing consensus section');
    ctx.state.set(makeKey(KeyPrefix.chainContext), encodeCanonical(g.chainContext));
    setConsensusParameters(ctx.state, g.params);
  }

  executeTx(): void {
    throw new Error('consensus: no transactions');
  }
}

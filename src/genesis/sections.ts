/**
 * The genesis document split into what each service's `initChain` takes: every section is already decoded
 * by its service's own codec when the document is read, so this only hands them over (the staking section
 * through its typed view; the consensus service also gets the chain context).
 */
import { stakingGenesisCodec } from '../services/staking/api/genesis.ts';
import type { GenesisDocument } from './document.ts';

/**
 * Each service's genesis section, as its service loads it: a record by service name, which is what the
 * mux's `GenesisSections` is (genesis does not import the mux).
 */
export function genesisSections(
  doc: GenesisDocument,
  chainContext: string,
): Readonly<Record<string, unknown>> {
  return {
    consensus: { chainContext, params: doc.consensus.params },
    beacon: doc.beacon,
    staking: stakingGenesisCodec.fromWire(doc.staking, 'staking'),
    registry: doc.registry,
    scheduler: doc.scheduler,
    roothash: doc.roothash,
    governance: doc.governance,
  };
}

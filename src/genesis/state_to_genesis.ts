/**
 * `StateToGenesis`: a genesis document that recreates the consensus state at a height — every running
 * service's section from its own queries, the sections of services we do not run taken from the original
 * genesis — so a network can be dumped and restarted from where it was.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import type { Codec } from '../codec/typed.ts';
import { beaconGenesisCodec } from '../services/beacon/api/genesis.ts';
import { beaconStateToGenesis } from '../services/beacon/api/queries.ts';
import { ConsensusQueries } from '../services/consensus/api/queries.ts';
import { governanceGenesisCodec } from '../services/governance/api/genesis.ts';
import { GovernanceQueries } from '../services/governance/api/queries.ts';
import { registryGenesisCodec } from '../services/registry/api/genesis.ts';
import { RegistryQueries } from '../services/registry/api/queries.ts';
import { roothashGenesisCodec } from '../services/roothash/api/genesis.ts';
import { RoothashQueries } from '../services/roothash/api/queries.ts';
import { schedulerGenesisCodec } from '../services/scheduler/api/genesis.ts';
import { SchedulerQueries } from '../services/scheduler/api/queries.ts';
import { stakingSectionCodec } from '../services/staking/api/genesis.ts';
import { StakingQueries } from '../services/staking/api/queries.ts';
import type { StateReader } from '../state/api.ts';
import type { GenesisDocument } from './document.ts';

/** One section from the CBOR-ready form a service's `stateToGenesis` query answers. */
function section<T>(codec: Codec<T>, cborReady: unknown, name: string): T {
  return codec.decode(decodeCanonical(encodeCanonical(cborReady)) as CborValue, name);
}

/** The document recreating `state` (committed at `height`, whose block time is `time` unix seconds). */
export function stateToGenesis(
  original: GenesisDocument,
  state: StateReader,
  height: number,
  time: number,
): GenesisDocument {
  return {
    ...original,
    height: BigInt(height + 1),
    genesis_time: time,
    staking: section(stakingSectionCodec, StakingQueries.stateToGenesis(state), 'staking'),
    registry: section(registryGenesisCodec, RegistryQueries.stateToGenesis(state), 'registry'),
    scheduler: section(schedulerGenesisCodec, SchedulerQueries.stateToGenesis(state), 'scheduler'),
    // Runtimes resume at their latest round and state root.
    roothash: section(roothashGenesisCodec, RoothashQueries.stateToGenesis(state), 'roothash'),
    governance: GovernanceQueries.isRunning(state)
      ? section(governanceGenesisCodec, GovernanceQueries.stateToGenesis(state), 'governance')
      : original.governance,
    beacon: section(beaconGenesisCodec, beaconStateToGenesis(state), 'beacon'),
    consensus: { ...original.consensus, params: ConsensusQueries.parameters(state) },
  };
}

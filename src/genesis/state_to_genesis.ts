/**
 * `StateToGenesis`: a genesis document that recreates the consensus state at a height — every running
 * service's section from state, the sections of services we do not run taken from the original genesis —
 * so a network can be dumped and restarted from where it was.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { getEpoch } from '../services/beacon/api/queries.ts';
import { beaconParametersToCbor } from '../services/beacon/api/types.ts';
import { beaconParameters } from '../services/beacon/state.ts';
import { RegistryQueries } from '../services/registry/api/queries.ts';
import { RoothashQueries } from '../services/roothash/api/queries.ts';
import { SchedulerQueries } from '../services/scheduler/api/queries.ts';
import { StakingQueries } from '../services/staking/api/query.ts';
import type { StateReader } from '../state/api.ts';
import { consensusParameters, consensusParamsCodec } from './consensus_section.ts';
import { type GenesisDocument, genesisDocumentCodec } from './document.ts';

const asCbor = (value: unknown): CborValue => decodeCanonical(encodeCanonical(value));

/** The document recreating `state` (committed at `height`, whose block time is `time` unix seconds). */
export function stateToGenesis(
  original: GenesisDocument,
  state: StateReader,
  height: number,
  time: number,
): GenesisDocument {
  const doc = genesisDocumentCodec.encode(original) as Record<string, unknown>;
  doc.height = BigInt(height + 1);
  doc.genesis_time = time;
  doc.staking = StakingQueries.stateToGenesis(state);
  doc.registry = RegistryQueries.stateToGenesis(state);
  doc.scheduler = SchedulerQueries.stateToGenesis(state);
  // Runtimes resume at their latest round and state root.
  doc.roothash = RoothashQueries.stateToGenesis(state);
  doc.beacon = { base: getEpoch(state), params: beaconParametersToCbor(beaconParameters(state)) };
  doc.consensus = {
    ...(doc.consensus as Record<string, unknown>),
    params: consensusParamsCodec.encode(consensusParameters(state)),
  };
  return genesisDocumentCodec.decode(asCbor(doc), 'genesis');
}

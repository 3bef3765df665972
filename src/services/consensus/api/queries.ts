/**
 * Consensus-parameter queries (`oasis-core.Consensus` `GetParameters` reads these), over the state of the
 * requested height.
 */
import type { StateReader } from '../../../state/api.ts';
import { consensusParameters } from '../state.ts';
import { type ConsensusParameters, consensusParamsCodec } from './params.ts';

/** The consensus-parameter query methods. */
export const ConsensusQueries = Object.freeze({
  /** The parameters in effect, typed. */
  parameters: (state: StateReader): ConsensusParameters => consensusParameters(state),
  /** The parameters in effect, CBOR-ready. */
  parametersCbor: (state: StateReader): unknown => consensusParamsCodec.encode(consensusParameters(state)),
});

/** The genesis `consensus` section: the engine backend and the consensus parameters. */
import { type Codec, field, structCodec, textCodec } from '../../../codec/typed.ts';
import { consensusParamsCodec } from './params.ts';

/** The consensus backend name oasis-core writes (our engine implements the same algorithm). */
export const CONSENSUS_BACKEND = 'tendermint';

/** The genesis `consensus` section. */
export const consensusGenesisCodec = structCodec({
  backend: field(textCodec),
  params: field(consensusParamsCodec),
});

/** The genesis `consensus` section, typed. */
export type ConsensusSection = typeof consensusGenesisCodec extends Codec<infer T> ? T : never;

/** The genesis `scheduler` section (`{params}`), as the genesis file and its CBOR carry it. */
import { type Codec, field, structCodec } from '../../../codec/typed.ts';
import { schedulerParametersCodec } from './params.ts';

/** The genesis `scheduler` section. */
export const schedulerGenesisCodec = structCodec({ params: field(schedulerParametersCodec) });

/** The genesis `scheduler` section, typed. */
export type SchedulerGenesis = typeof schedulerGenesisCodec extends Codec<infer T> ? T : never;

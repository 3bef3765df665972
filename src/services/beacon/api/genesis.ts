/** The genesis `beacon` section (`go/beacon/api.Genesis`): the epoch at the genesis height and the parameters. */
import { type Codec, field, structCodec, u64Codec } from '../../../codec/typed.ts';
import { beaconParametersCodec } from './params.ts';

/** The genesis `beacon` section. */
export const beaconGenesisCodec = structCodec({
  base: field(u64Codec),
  params: field(beaconParametersCodec),
});

/** The genesis `beacon` section, typed. */
export type BeaconGenesis = typeof beaconGenesisCodec extends Codec<infer T> ? T : never;

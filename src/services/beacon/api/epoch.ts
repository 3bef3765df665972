/** Epoch-time records the beacon stores (current, future and base epoch): an epoch and its first height. */
import { type Codec, field, structCodec, u64Codec, uintCodec } from '../../../codec/typed.ts';

/** An epoch and the height at which it started (or starts). */
export const epochTimeStateCodec = structCodec({ epoch: field(u64Codec), height: field(uintCodec) });

/** An epoch and the height at which it started (or starts). */
export type EpochTimeState = typeof epochTimeStateCodec extends Codec<infer T> ? T : never;

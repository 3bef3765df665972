/** Beacon transaction methods and bodies (`go/beacon/api`): `beacon.VRFProve`. */
import type { CborValue } from '../../../codec/cbor.ts';
import { bytesCodec, type Codec, field, structCodec, u64Codec } from '../../../codec/typed.ts';
import { VRF_PROOF_SIZE } from '../../../crypto/ecvrf.ts';
import { BeaconErrors } from './errors.ts';

/** Method name of a VRF proof submission. */
export const METHOD_VRF_PROVE = 'beacon.VRFProve';

/** The body of `beacon.VRFProve`: the epoch proven for and the 80-byte proof. */
export const vrfProveCodec = structCodec({ epoch: field(u64Codec), pi: field(bytesCodec()) });

/** The body of `beacon.VRFProve`. */
export type VRFProve = typeof vrfProveCodec extends Codec<infer T> ? T : never;

/** Decodes a `beacon.VRFProve` body; beacon/2 (invalid argument) when malformed or pi is not 80 bytes. */
export function decodeVRFProve(body: CborValue | undefined): VRFProve {
  try {
    const d = vrfProveCodec.decode(body ?? null, 'body');
    if (d.pi.length !== VRF_PROOF_SIZE) throw new Error('pi must be 80 bytes');
    return d;
  } catch (e) {
    throw BeaconErrors.invalidArgument(`beacon: invalid VRFProve body: ${(e as Error).message}`);
  }
}

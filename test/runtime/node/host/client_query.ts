/**
 * A query as `@oasisprotocol/client-rt`'s wrappers build it (method and CBOR argument bytes), sent to a
 * runtime host at one state root and answered as the wrapper decodes it: the round trip a RuntimeClient
 * query takes, without a node around the host.
 */
import * as oasis from '@oasisprotocol/client';
import type * as oasisRT from '@oasisprotocol/client-rt';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import type { RuntimeHost } from '../../../../src/runtime/node/host/host.ts';

/** Sends `q` to `host` at `stateRoot` (as of `round`); the answer decoded as client-rt decodes it. */
export async function clientQuery<A, D>(
  host: RuntimeHost,
  q: oasisRT.wrapper.QueryWrapper<A, D>,
  stateRoot: Uint8Array,
  round: bigint,
): Promise<D> {
  const { method, args } = q.request;
  const res = await host.query({
    round,
    state_root: stateRoot,
    consensus_height: round,
    epoch: 0n,
    method: method!,
    args: decodeCanonical(args!),
  });
  return oasis.misc.fromCBOR(encodeCanonical(res.data)) as D;
}

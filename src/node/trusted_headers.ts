/**
 * Headers state sync may believe. The restore needs the header of the checkpoint height + 1 (its app hash
 * is the checkpoint's state root), verified from the operator's trust root — the port `VerifiedHeaderAt`.
 * The node fills it with the light client (src/consensus/light) over its peers' light protocol: one peer
 * is the primary, up to two others are witnesses, and a failed attempt rebuilds the client over the peers
 * connected then. A trust root that is wrong or expired is a `TrustError`: retrying cannot fix it.
 */
import type { BlockHeader } from '../consensus/api/block.ts';
import { LightClient, type TrustRoot } from '../consensus/light/client.ts';
import { isLightError } from '../consensus/light/errors.ts';
import { namedError } from '../errors.ts';
import type { P2PHost } from '../p2p/api.ts';
import { P2PLightSource } from './light_protocol.ts';

export type { TrustRoot } from '../consensus/light/client.ts';

/** Resolves with the header at `height` once it is verified from the trust root; rejects otherwise. */
export type VerifiedHeaderAt = (height: number) => Promise<BlockHeader>;

/** The trust root cannot be used (wrong hash, expired): state sync must stop, not retry. */
export class TrustError extends namedError('TrustError') {}

/** Witnesses asked beside the primary (oasis-core's state sync uses two). */
const WITNESSES = 2;

/** A `VerifiedHeaderAt` over the light client and the peers connected to `p2p`. */
export function lightClientHeaders(p2p: P2PHost, chainContext: string, trust: TrustRoot): VerifiedHeaderAt {
  let client: LightClient | undefined;
  return async (height) => {
    const peers = p2p.peers();
    if (peers.length === 0) throw new Error('no peers to verify headers with yet');
    client ??= new LightClient({
      chainContext,
      trust,
      primary: new P2PLightSource(p2p, chainContext, peers[0]!),
      witnesses: peers.slice(1, 1 + WITNESSES).map((peer) => new P2PLightSource(p2p, chainContext, peer)),
    });
    try {
      return (await client.verifyHeight(height)).header;
    } catch (err) {
      if (
        isLightError(err, 'trustHashMismatch') ||
        isLightError(err, 'trustExpired') ||
        isLightError(err, 'badOptions')
      )
        throw new TrustError(
          `${(err as Error).message}: check consensus.light_client.trust (height ${trust.height}, hash, period)`,
        );
      client = undefined;
      throw err;
    }
  };
}

/**
 * The light-client side of `oasis-core.Consensus`: `GetLightBlock` (meta = our light block: header, commit,
 * deciding validators; see consensus/api/light_block.ts), `GetParameters` (the consensus parameters in
 * oasis-core's CBOR names; meta = their canonical CBOR) and `SubmitEvidence` (`{meta}` = encoded evidence,
 * verified and pooled for a block). Shapes follow oasis-core's `ConsensusLightBlock`,
 * `ConsensusLightParameters` and `ConsensusEvidence`.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { encodeCanonical } from '../../codec/cbor.ts';
import { bytes, struct } from '../../codec/schema.ts';
import { encodeLightBlock, type LightBlock } from '../../consensus/api/light_block.ts';
import { type ApiMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith, heightOf } from '../queries.ts';

/** What the node provides to the light methods (also served to peers over the p2p light protocol). */
export interface ConsensusLightBackend {
  /**
   * The light block of `height` (0 = latest) and the height it is for; consensus/3 when that height is
   * pruned, not committed yet or its block, commit or validators are not kept.
   */
  lightBlock(height: number): { height: number; block: LightBlock };
  /** Consensus parameters in effect at `height` (0 = latest), CBOR-ready; consensus/3 when not kept. */
  parameters(height: number): { height: number; parameters: CborValue };
  /** Verifies and pools encoded evidence; throws the evidence module's coded error when invalid. */
  submitEvidence(evidence: Uint8Array): void;
}

const SERVICE = 'oasis-core.Consensus';
const evidenceRequest = struct({ meta: bytes() });

/** The light-client methods of the Consensus service. */
export function consensusLightMethods(backend: ConsensusLightBackend): ApiMethod[] {
  return [
    unaryMethod(SERVICE, 'GetLightBlock', async (r) => {
      const { height, block } = backend.lightBlock(heightOf(r));
      return { height, meta: encodeLightBlock(block) };
    }),
    unaryMethod(SERVICE, 'GetParameters', async (r) => {
      const { height, parameters } = backend.parameters(heightOf(r));
      return { height, parameters, meta: encodeCanonical(parameters) };
    }),
    unaryMethod(SERVICE, 'SubmitEvidence', async (r) => {
      backend.submitEvidence(decodeRequestWith(evidenceRequest, r).meta);
      return null;
    }),
  ];
}

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
import { ConsensusErrors } from '../../consensus/api/transaction.ts';
import { type ApiMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith, heightOf, prunedHeightError } from '../queries.ts';

/** What the node provides to the light methods. */
export interface ConsensusLightBackend {
  latestHeight(): number;
  lastRetainedHeight(): number;
  /** The light block of `height`, undefined when its block, commit or validators are not kept. */
  lightBlock(height: number): LightBlock | undefined;
  /** Consensus parameters in effect at `height` (CBOR-ready; throws consensus/3 when not kept). */
  parameters(height: number): CborValue;
  /** Verifies and pools encoded evidence; throws the evidence module's coded error when invalid. */
  submitEvidence(evidence: Uint8Array): void;
}

const SERVICE = 'oasis-core.Consensus';
const evidenceRequest = struct({ meta: bytes() });

/** The light-client methods of the Consensus service. */
export function consensusLightMethods(backend: ConsensusLightBackend): ApiMethod[] {
  const heightFor = (request: CborValue | undefined): number => {
    const latest = backend.latestHeight();
    if (latest === 0) throw ConsensusErrors.noCommittedBlocks();
    const h = heightOf(request) || latest;
    const retained = backend.lastRetainedHeight();
    if (h < retained) throw prunedHeightError(h, retained);
    if (h > latest)
      throw ConsensusErrors.versionNotFound(`height ${h} is not committed yet (latest ${latest})`);
    return h;
  };
  return [
    unaryMethod(SERVICE, 'GetLightBlock', async (r) => {
      const height = heightFor(r);
      const block = backend.lightBlock(height);
      if (block === undefined)
        throw ConsensusErrors.versionNotFound(`light block ${height} is not available`);
      return { height, meta: encodeLightBlock(block) };
    }),
    unaryMethod(SERVICE, 'GetParameters', async (r) => {
      const height = heightFor(r);
      const parameters = backend.parameters(height);
      return { height, parameters, meta: encodeCanonical(parameters) };
    }),
    unaryMethod(SERVICE, 'SubmitEvidence', async (r) => {
      backend.submitEvidence(decodeRequestWith(evidenceRequest, r).meta);
      return null;
    }),
  ];
}

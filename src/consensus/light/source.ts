/**
 * Where a light client gets light blocks: a node's gRPC `GetLightBlock`, a peer over the p2p light
 * protocol, or anything else that can answer by height. The client trusts none of them: every answer is
 * verified, and answers of witnesses are compared with the primary's.
 */
import type { LightBlock } from '../api/light_block.ts';

/** A provider of light blocks (CometBFT's `provider.Provider`). */
export interface LightBlockSource {
  /** Names the source in errors and reports (a peer id, a node address). */
  readonly name: string;
  /** The light block at `height` (0 = the latest it has). Rejects when it cannot answer. */
  lightBlock(height: number, signal: AbortSignal): Promise<LightBlock>;
  /** Hands encoded light-client-attack evidence to the source's node (optional). */
  submitEvidence?(evidence: Uint8Array, signal: AbortSignal): Promise<void>;
}

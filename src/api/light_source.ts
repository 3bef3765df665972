/**
 * A light client's source over a node's gRPC (`Consensus.GetLightBlock`, `SubmitEvidence`): what a node
 * joining by state sync uses when given RPC addresses, and what tests use against a running node. Nothing
 * it returns is trusted: the light client verifies every block.
 */
import { decodeLightBlock, type LightBlock } from '../consensus/api/light_block.ts';
import type { LightBlockSource } from '../consensus/light/source.ts';
import type { NodeClient } from './grpc_client.ts';

const SERVICE = 'oasis-core.Consensus';

/** Deadline of one request when the caller gives none, ms. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A `LightBlockSource` over a `NodeClient`. */
export class GrpcLightSource implements LightBlockSource {
  readonly name: string;
  readonly #client: NodeClient;

  constructor(name: string, client: NodeClient) {
    this.name = name;
    this.#client = client;
  }

  async lightBlock(height: number, signal: AbortSignal): Promise<LightBlock> {
    signal.throwIfAborted();
    const answer = this.#client.call<{ height: number; meta: Uint8Array }>(
      SERVICE,
      'GetLightBlock',
      height,
      REQUEST_TIMEOUT_MS,
    );
    const reply = await abortable(answer, signal);
    return decodeLightBlock(reply.meta);
  }

  async submitEvidence(evidence: Uint8Array, signal: AbortSignal): Promise<void> {
    await abortable(
      this.#client.call(SERVICE, 'SubmitEvidence', { meta: evidence }, REQUEST_TIMEOUT_MS),
      signal,
    );
  }
}

/** `p`, or a rejection as soon as `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

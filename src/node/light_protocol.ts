/**
 * The consensus light protocol between peers (oasis-core `/oasis/<chain context>/light/1.0.0`): a node
 * serves `GetLightBlock`, `GetParameters` and `SubmitEvidence` to peers, so a node joining by state sync
 * can verify headers without any RPC endpoint; `P2PLightSource` is the asking side, one peer per source.
 * Request CBOR `{method, body}`; response `{ok}` or `{error: {module, code, message}}`, as oasis-core's p2p
 * RPC. Errors a peer sends back are answers, not failures of the transport.
 */

import type { ConsensusLightBackend } from '../api/services/consensus_light.ts';
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { anyValue, bytes, optional, struct, text, uint } from '../codec/schema.ts';
import { decodeLightBlock, encodeLightBlock, type LightBlock } from '../consensus/api/light_block.ts';
import type { LightBlockSource } from '../consensus/light/source.ts';
import { CodedError } from '../errors.ts';
import type { P2PHost, PeerKey } from '../p2p/api.ts';

/** The protocol id of one chain's light protocol. */
export function lightProtocolId(chainContext: string): string {
  return `/oasis/${chainContext}/light/1.0.0`;
}

/** Error module and codes of the protocol itself (oasis-core `p2p/rpc`). */
const RPC_MODULE = 'p2p/rpc';
const RpcErrors = { methodNotSupported: 1, badRequest: 2 } as const;

const requestDecoder = struct({ method: text, body: optional(anyValue) });
const replyDecoder = struct({
  ok: optional(anyValue),
  error: optional(struct({ module: optional(text), code: optional(uint), message: optional(text) })),
});
const blockReply = struct({ height: uint, meta: bytes() });

function answer(method: string, body: unknown, backend: ConsensusLightBackend): unknown {
  const height = () => uint(body as never, 'body');
  switch (method) {
    case 'GetLightBlock': {
      const { height: h, block } = backend.lightBlock(height());
      return { height: h, meta: encodeLightBlock(block) };
    }
    case 'GetParameters': {
      const { height: h, parameters } = backend.parameters(height());
      return { height: h, parameters, meta: encodeCanonical(parameters) };
    }
    case 'SubmitEvidence':
      backend.submitEvidence(bytes()(body as never, 'body'));
      return null;
    default:
      throw new CodedError(RPC_MODULE, RpcErrors.methodNotSupported, `method ${method} not supported`);
  }
}

/** Serves the light protocol of `chainContext` on `p2p`. */
export function serveLightProtocol(p2p: P2PHost, chainContext: string, backend: ConsensusLightBackend): void {
  p2p.handle(lightProtocolId(chainContext), async (_from, data) => {
    let request: { method: string; body?: unknown };
    try {
      request = requestDecoder(decodeCanonical(data), 'request');
    } catch (err) {
      const error = { module: RPC_MODULE, code: RpcErrors.badRequest, message: (err as Error).message };
      return encodeCanonical({ error });
    }
    try {
      return encodeCanonical({ ok: answer(request.method, request.body, backend) });
    } catch (err) {
      if (!(err instanceof CodedError)) throw err;
      return encodeCanonical({ error: { module: err.module, code: err.code, message: err.message } });
    }
  });
}

/** A light block source asking one peer over the light protocol. */
export class P2PLightSource implements LightBlockSource {
  readonly name: string;
  readonly #p2p: P2PHost;
  readonly #peer: PeerKey;
  readonly #protocol: string;

  constructor(p2p: P2PHost, chainContext: string, peer: PeerKey) {
    this.name = `peer ${peer.slice(0, 16)}`;
    this.#p2p = p2p;
    this.#peer = peer;
    this.#protocol = lightProtocolId(chainContext);
  }

  async lightBlock(height: number, signal: AbortSignal): Promise<LightBlock> {
    const reply = blockReply(await this.#call('GetLightBlock', height, signal), 'reply');
    try {
      return decodeLightBlock(reply.meta);
    } catch (err) {
      this.#p2p.penalize(this.#peer, 'malformed light block');
      throw err;
    }
  }

  async submitEvidence(evidence: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.#call('SubmitEvidence', evidence, signal);
  }

  async #call(method: string, body: unknown, signal: AbortSignal): Promise<never> {
    signal.throwIfAborted();
    const raw = await this.#p2p.request(this.#peer, this.#protocol, encodeCanonical({ method, body }));
    signal.throwIfAborted();
    const reply = replyDecoder(decodeCanonical(raw), 'reply');
    if (reply.error !== undefined) {
      const { module = 'unknown', code = 1, message = 'error' } = reply.error;
      throw new CodedError(module, code, `${this.name}: ${message}`);
    }
    return reply.ok as never;
  }
}

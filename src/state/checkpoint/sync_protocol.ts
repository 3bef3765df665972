/**
 * The checkpoint part of the state-sync request protocols, declared once for the consensus state
 * (`node/checkpoint_protocol.ts`, which adds `chain_state`) and for runtime states: CBOR requests
 * `{method, version?, index?, height?}` asking for
 * - `checkpoints` → `{manifests: [manifest CBOR…]}`: the newest `MAX_LISTED` checkpoints, or with
 *   `version` only the one of that version (a runtime node may write it on demand);
 * - `chunk` `{version, index}` → `{chunk}`.
 * The transport is the caller's (a request function per peer), so this stays free of p2p.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, optional, struct, text, uint } from '../../codec/schema.ts';
import { CheckpointErrorCode, checkpointError } from './errors.ts';
import { CONSENSUS_NAMESPACE, decodeManifest, encodeManifest, type Manifest } from './manifest.ts';

/** Checkpoints listed per answer (CometBFT's reactor offers 10). */
export const MAX_LISTED = 10;

/** Decodes a request of any state-sync protocol. */
export const syncRequestDecoder = struct({
  method: text,
  version: optional(uint),
  index: optional(uint),
  height: optional(uint),
});
/** A decoded request. */
export type SyncRequest = ReturnType<typeof syncRequestDecoder>;

const manifestsDecoder = struct({ manifests: arrayOf(bytes(), MAX_LISTED) });
const chunkDecoder = struct({ chunk: bytes() });

/** Where checkpoints are answered from. */
export interface CheckpointSource {
  /** Kept checkpoints, by ascending version. */
  list(): Manifest[];
  /** The checkpoint of `version`, if kept (or made now). */
  manifestAt(version: number): Manifest | undefined | Promise<Manifest | undefined>;
  /** Chunk `index` of the checkpoint of `version` (coded errors when not kept). */
  chunk(version: number, index: number): Uint8Array;
}

/** A required request field, or a coded refusal. */
export function requireField<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw checkpointError(CheckpointErrorCode.checkpointNotFound, `${what} is not kept here`);
  return value;
}

/**
 * Answers `checkpoints` and `chunk` from `src`; undefined for any other method (the caller's own, or
 * unknown).
 */
export async function answerCheckpointRequest(
  src: CheckpointSource,
  req: SyncRequest,
  namespace: Uint8Array = CONSENSUS_NAMESPACE,
): Promise<Uint8Array | undefined> {
  switch (req.method) {
    case 'checkpoints': {
      let manifests: Manifest[];
      if (req.version === undefined) manifests = src.list().slice(-MAX_LISTED).reverse();
      else {
        const m = await src.manifestAt(req.version);
        manifests = m === undefined ? [] : [m];
      }
      return encodeCanonical({ manifests: manifests.map((m) => encodeManifest(m, namespace)) });
    }
    case 'chunk':
      return encodeCanonical({
        chunk: src.chunk(
          requireField(req.version, 'request.version'),
          requireField(req.index, 'request.index'),
        ),
      });
    default:
      return undefined;
  }
}

/** Sends one request to a peer and resolves with the answer's bytes (a refusal rejects). */
export type PeerRequest = (peer: string, request: Uint8Array) => Promise<Uint8Array>;

/** The client side of the checkpoint methods: typed requests to one peer, answers decoded strictly. */
export class CheckpointPeers {
  readonly #request: PeerRequest;
  readonly #namespace: Uint8Array;

  constructor(request: PeerRequest, namespace: Uint8Array = CONSENSUS_NAMESPACE) {
    this.#request = request;
    this.#namespace = namespace;
  }

  /** Sends `request` to `peer` and decodes the answer. */
  protected async ask(peer: string, request: Record<string, unknown>): Promise<CborValue> {
    return decodeCanonical(await this.#request(peer, encodeCanonical(request)));
  }

  /** The peer's newest checkpoints, or its one of `version` (malformed manifests are dropped). */
  async checkpoints(peer: string, version?: number): Promise<Manifest[]> {
    const request = version === undefined ? { method: 'checkpoints' } : { method: 'checkpoints', version };
    const { manifests } = manifestsDecoder(await this.ask(peer, request), 'answer');
    const out: Manifest[] = [];
    for (const m of manifests) {
      try {
        out.push(decodeManifest(m, this.#namespace));
      } catch {
        // A manifest we cannot use is no worse than none.
      }
    }
    return out;
  }

  /** Chunk `index` of the checkpoint at `version` (unverified). */
  async chunk(peer: string, version: number, index: number): Promise<Uint8Array> {
    return chunkDecoder(await this.ask(peer, { method: 'chunk', version, index }), 'answer').chunk;
  }
}

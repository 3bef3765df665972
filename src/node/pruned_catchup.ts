/**
 * Catch-up across a pruned history. A node behind the network announces the height it works on and peers
 * answer with the decided block; a pruned peer no longer has old blocks, so instead of staying silent
 * (the lagging node would wait forever without knowing why) it answers with a refusal naming its lowest
 * retained height. The lagging node logs which peer refused and why, and keeps catching up from peers that
 * retain the height. Its own wire format: CBOR `{height, retained}` on a protocol of its own.
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { struct, uint } from '../codec/schema.ts';
import type { ConsensusMessage } from '../consensus/bft/messages.ts';
import type { P2PHost, PeerKey } from '../p2p/api.ts';

/** A refusal: the asked `height` is below the answering peer's lowest retained height `retained`. */
export interface CatchupRefusal {
  height: number;
  retained: number;
}

const refusalDecoder = struct({ height: uint, retained: uint });

/** The refusal protocol of one chain. */
export function prunedCatchupProtocol(chainContext: string): string {
  return `/oasis-ts/${chainContext}/consensus-pruned/1`;
}

/** At most one refusal per peer (sent or logged) per this interval. */
const REFUSAL_INTERVAL_MS = 10_000;

/** What the refusals need from the node. */
export interface PrunedCatchupOptions {
  host: P2PHost;
  chainContext: string;
  /** Our lowest retained height. */
  retainedHeight: () => number;
  /** A peer refused us a height (reported once per interval per peer). */
  onRefused: (peer: PeerKey, refusal: CatchupRefusal) => void;
  now?: () => number;
}

/** Sends and receives catch-up refusals. */
export class PrunedCatchup {
  readonly #o: PrunedCatchupOptions;
  readonly #protocol: string;
  readonly #sent = new Map<PeerKey, number>();
  readonly #heard = new Map<PeerKey, number>();

  constructor(o: PrunedCatchupOptions) {
    this.#o = o;
    this.#protocol = prunedCatchupProtocol(o.chainContext);
    o.host.handle(this.#protocol, async (from, data) => {
      const refusal = refusalDecoder(decodeCanonical(data), 'refusal');
      if (this.#due(this.#heard, from)) this.#o.onRefused(from, refusal);
      return new Uint8Array(0);
    });
  }

  /**
   * Answers a peer's status below our retained height with a refusal; true when it did (the message
   * needs nothing else: we have nothing to send for that height).
   */
  refuse(from: PeerKey, message: ConsensusMessage): boolean {
    if (message.kind !== 'status') return false;
    const retained = this.#o.retainedHeight();
    if (message.height >= retained) return false;
    if (this.#due(this.#sent, from)) {
      const refusal = encodeCanonical({ height: message.height, retained });
      void this.#o.host.request(from, this.#protocol, refusal).catch(() => undefined);
    }
    return true;
  }

  #due(log: Map<PeerKey, number>, peer: PeerKey): boolean {
    const now = (this.#o.now ?? Date.now)();
    const last = log.get(peer);
    if (last !== undefined && now - last < REFUSAL_INTERVAL_MS) return false;
    if (log.size > 10_000) log.clear();
    log.set(peer, now);
    return true;
  }
}

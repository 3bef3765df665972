/**
 * The libp2p implementation of `P2PHost`: TCP + Noise + Yamux, gossipsub for topics, and one stream
 * protocol per request kind with length-prefixed frames. Peers are identified by their Ed25519 P2P key — the
 * same key a node registers as `p2p.id`. Anything oversize or malformed is dropped and counted against the
 * peer that sent it.
 *
 * Gossip messages are not signed by the publisher (gossipsub `StrictNoSign`): everything gossiped carries its
 * own signatures (transactions, votes, proposals), nobody reads the publisher field, and the links are
 * already authenticated by Noise — a second Ed25519 signature per message, verified by every receiver before
 * dropping duplicates, cost more CPU than anything else at an empty height. A message's ID is the SHA-256 of
 * what travels: an 8-byte publish counter (`GOSSIP_NONCE_BYTES`, started at a random value) and then the
 * payload, so a message published again (consensus re-gossip) is new to the network as it was with signed
 * sequence numbers, while copies relayed by several peers are dropped by ID before any validation.
 */

import { hash, randomBytes } from 'node:crypto';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { toHex, utf8 } from '../codec/bytes.ts';
import {
  DEFAULT_P2P_LIMITS,
  type GossipHandler,
  type P2PHost,
  type P2PLimits,
  type PeerKey,
  RequestError,
  type RequestHandler,
} from './api.ts';
import { encodeFrame, FrameError, readFrame } from './frames.ts';
import { type PeerScoreConfig, PeerScores, Penalty } from './peer_scores.ts';

/** Configuration of a libp2p host. */
export interface Libp2pHostConfig {
  /** 32-byte Ed25519 seed of the node's P2P key. */
  p2pSeed: Uint8Array;
  /** Multiaddrs to listen on, e.g. `/ip4/127.0.0.1/tcp/26656`. */
  listen: string[];
  /** Peers to dial at start and redial when the connection drops (multiaddrs with `/p2p/<id>`). */
  persistentPeers?: string[];
  limits?: Partial<P2PLimits>;
  scores?: Partial<PeerScoreConfig>;
  /** Called for notable events (bans, dial failures). */
  onEvent?: (event: string, detail: Record<string, unknown>) => void;
  /**
   * Admission policy for authenticated peers (their P2P key is proven by the Noise handshake): return false
   * to refuse a peer, e.g. one that is not a registered node. Absent: everyone not banned is admitted.
   */
  allowPeer?: (peer: PeerKey) => boolean;
}

/** Bytes of the publish counter in front of every gossip payload (see the header). */
export const GOSSIP_NONCE_BYTES = 8;

/** The ID of a gossip message: SHA-256 of its bytes on the wire (counter and payload). */
function gossipMessageId(data: Uint8Array | undefined): Buffer {
  return hash('sha256', data ?? new Uint8Array(0), 'buffer') as unknown as Buffer;
}

const STATUS_OK = 0;
const STATUS_ERROR = 1;
const REDIAL_MS = 1_000;

function peerKeyOf(peerId: PeerId): PeerKey {
  const raw = peerId.publicKey?.raw;
  return raw ? toHex(raw) : peerId.toString();
}

/** The P2P key (hex) named by a multiaddr's `/p2p/<peer id>` part. */
export function peerKeyOfAddress(address: string): PeerKey {
  const id = multiaddr(address)
    .getComponents()
    .find((c) => c.name === 'p2p')?.value;
  if (!id) throw new Error(`${address}: no /p2p/<peer id> part`);
  return peerKeyOf(peerIdFromString(id));
}

/** A `P2PHost` over libp2p. */
export class Libp2pHost implements P2PHost {
  readonly #config: Libp2pHostConfig;
  readonly #limits: P2PLimits;
  readonly #scores: PeerScores;
  readonly #peerIds = new Map<PeerKey, PeerId>();
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #topics = new Map<string, GossipHandler>();
  #node: Libp2p<{ pubsub: GossipSub }> | undefined;
  #self: PeerKey = '';
  #redialTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #publishCounter = randomBytes(GOSSIP_NONCE_BYTES).readBigUInt64BE();

  constructor(config: Libp2pHostConfig) {
    this.#config = config;
    this.#limits = { ...DEFAULT_P2P_LIMITS, ...config.limits };
    this.#scores = new PeerScores(config.scores);
  }

  get self(): PeerKey {
    return this.#self;
  }

  async start(): Promise<void> {
    const privateKey = await generateKeyPairFromSeed('Ed25519', this.#config.p2pSeed);
    this.#self = toHex(privateKey.publicKey.raw);
    const node = await createLibp2p({
      privateKey,
      addresses: { listen: this.#config.listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: {
        denyDialPeer: async (peerId) => this.#refused(peerKeyOf(peerId)),
        denyInboundEncryptedConnection: async (peerId) => this.#refused(peerKeyOf(peerId)),
      },
      services: {
        identify: identify(),
        pubsub: gossipsub({
          allowPublishToZeroTopicPeers: true,
          emitSelf: false,
          maxInboundDataLength: this.#limits.maxGossipBytes + GOSSIP_NONCE_BYTES,
          globalSignaturePolicy: StrictNoSign,
          msgIdFn: (msg) => gossipMessageId(msg.data),
          fastMsgIdFn: (rpc) => gossipMessageId(rpc.data).toString('base64'),
        }),
      },
    });
    node.addEventListener('peer:connect', (evt) => {
      this.#peerIds.set(peerKeyOf(evt.detail), evt.detail);
      this.#config.onEvent?.('peer connected', { peer: evt.detail.toString() });
    });
    node.addEventListener('peer:disconnect', (evt) => {
      this.#peerIds.delete(peerKeyOf(evt.detail));
      this.#config.onEvent?.('peer disconnected', { peer: evt.detail.toString() });
    });
    for (const [topic, handler] of this.#topics) this.#installTopic(node, topic, handler);
    for (const [protocol, handler] of this.#handlers) await this.#installProtocol(node, protocol, handler);
    this.#node = node;
    await node.start();
    this.#stopped = false;
    await this.#dialPersistent();
    this.#redialTimer = setInterval(() => void this.#dialPersistent(), REDIAL_MS);
    this.#redialTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#redialTimer) clearInterval(this.#redialTimer);
    await this.#node?.stop();
    this.#node = undefined;
    this.#peerIds.clear();
  }

  listenAddresses(): string[] {
    return this.#node ? this.#node.getMultiaddrs().map((a) => a.toString()) : [];
  }

  async connect(address: string): Promise<void> {
    const node = this.#requireNode();
    await node.dial(multiaddr(address));
  }

  peers(): PeerKey[] {
    return [...this.#peerIds.keys()].sort();
  }

  subscribe(topic: string, handler: GossipHandler): void {
    this.#topics.set(topic, handler);
    if (this.#node) this.#installTopic(this.#node, topic, handler);
  }

  async publish(topic: string, data: Uint8Array): Promise<void> {
    if (data.length > this.#limits.maxGossipBytes) {
      throw new RangeError(`gossip message of ${data.length} bytes exceeds ${this.#limits.maxGossipBytes}`);
    }
    const node = this.#requireNode();
    const wire = new Uint8Array(GOSSIP_NONCE_BYTES + data.length);
    this.#publishCounter = BigInt.asUintN(64, this.#publishCounter + 1n);
    new DataView(wire.buffer).setBigUint64(0, this.#publishCounter);
    wire.set(data, GOSSIP_NONCE_BYTES);
    await node.services.pubsub.publish(topic, wire);
  }

  handle(protocol: string, handler: RequestHandler): void {
    this.#handlers.set(protocol, handler);
    if (this.#node) void this.#installProtocol(this.#node, protocol, handler);
  }

  async request(peer: PeerKey, protocol: string, data: Uint8Array): Promise<Uint8Array> {
    const node = this.#requireNode();
    const peerId = this.#peerIds.get(peer);
    if (!peerId) throw new RequestError(`peer ${peer.slice(0, 16)} is not connected`);
    const signal = AbortSignal.timeout(this.#limits.requestTimeoutMs);
    let stream: Stream | undefined;
    try {
      stream = await node.dialProtocol(peerId, protocol, { signal });
      stream.send(encodeFrame(data));
      const reply = await readFrame(stream, this.#limits.maxRequestBytes + 1);
      await stream.close().catch(() => undefined);
      if (reply[0] === STATUS_OK) return reply.subarray(1);
      throw new RequestError(`peer error: ${Buffer.from(reply.subarray(1)).toString('utf8')}`);
    } catch (err) {
      stream?.abort(err as Error);
      if (err instanceof FrameError)
        this.penalize(peer, err.oversize ? 'oversize response' : 'malformed response');
      if (err instanceof RequestError) throw err;
      throw new RequestError(`request ${protocol} to ${peer.slice(0, 16)} failed: ${(err as Error).message}`);
    }
  }

  /** Closes every connection to `peer` (it may come back unless the admission policy now refuses it). */
  disconnect(peer: PeerKey): void {
    const peerId = this.#peerIds.get(peer);
    if (peerId && this.#node) void this.#node.hangUp(peerId).catch(() => undefined);
  }

  penalize(peer: PeerKey, reason: string): void {
    const points = reason.startsWith('oversize') ? Penalty.oversize : Penalty.malformed;
    if (!this.#scores.penalize(peer, points)) return;
    this.#config.onEvent?.('peer banned', { peer, reason });
    this.disconnect(peer);
  }

  #refused(peer: PeerKey): boolean {
    if (this.#scores.isBanned(peer)) return true;
    const allow = this.#config.allowPeer;
    if (allow && !allow(peer)) {
      this.#config.onEvent?.('peer refused', { peer });
      return true;
    }
    return false;
  }

  #installTopic(node: Libp2p<{ pubsub: GossipSub }>, topic: string, handler: GossipHandler): void {
    const pubsub = node.services.pubsub;
    pubsub.topicValidators.set(topic, async (peerId, msg) => {
      const from = peerKeyOf(peerId);
      let verdict: Awaited<ReturnType<GossipHandler>>;
      try {
        if (msg.data.length < GOSSIP_NONCE_BYTES) throw new Error('gossip message without its counter');
        verdict = await handler({ from, topic, data: msg.data.subarray(GOSSIP_NONCE_BYTES) });
      } catch {
        verdict = 'reject';
      }
      if (verdict === 'reject') this.penalize(from, 'invalid gossip');
      return verdict as never;
    });
    pubsub.subscribe(topic);
  }

  async #installProtocol(node: Libp2p, protocol: string, handler: RequestHandler): Promise<void> {
    await node.handle(protocol, async (stream, connection) => {
      const from = peerKeyOf(connection.remotePeer);
      let reply: Uint8Array;
      try {
        const request = await readFrame(stream, this.#limits.maxRequestBytes);
        const answer = await handler(from, request);
        reply = new Uint8Array(1 + answer.length);
        reply[0] = STATUS_OK;
        reply.set(answer, 1);
      } catch (err) {
        if (err instanceof FrameError) {
          this.penalize(from, err.oversize ? 'oversize request' : 'malformed request');
          stream.abort(err);
          return;
        }
        const message = utf8((err as Error).message.slice(0, 512));
        reply = new Uint8Array(1 + message.length);
        reply[0] = STATUS_ERROR;
        reply.set(message, 1);
      }
      stream.send(encodeFrame(reply));
      await stream.close().catch(() => undefined);
    });
  }

  async #dialPersistent(): Promise<void> {
    if (this.#stopped || !this.#node) return;
    for (const address of this.#config.persistentPeers ?? []) {
      const ma = multiaddr(address);
      const id = ma.getComponents().find((c) => c.name === 'p2p')?.value;
      if (id && [...this.#peerIds.values()].some((p) => p.toString() === id)) continue;
      try {
        await this.#node.dial(ma, { signal: AbortSignal.timeout(3_000) });
      } catch (err) {
        this.#config.onEvent?.('dial failed', { address, error: (err as Error).message });
      }
    }
  }

  #requireNode(): Libp2p<{ pubsub: GossipSub }> {
    if (!this.#node) throw new Error('p2p host is not started');
    return this.#node;
  }
}

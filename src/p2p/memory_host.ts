/**
 * An in-memory `P2PHost`: hosts joined to one `MemoryNetwork` reach each other without sockets. Messages
 * are delivered asynchronously (next macrotask) so ordering and re-entrancy match a real network closely
 * enough for in-process multi-node tests. Links can be cut to model partitions.
 */
import { toHex } from '../codec/bytes.ts';
import {
  DEFAULT_P2P_LIMITS,
  type GossipHandler,
  type P2PHost,
  type P2PLimits,
  type PeerKey,
  RequestError,
  type RequestHandler,
} from './api.ts';

/** The shared medium of in-memory hosts. */
export class MemoryNetwork {
  readonly hosts = new Map<PeerKey, MemoryHost>();
  readonly #cut = new Set<string>();

  /** Cuts (or restores) the link between two hosts, both directions. */
  setLink(a: PeerKey, b: PeerKey, up: boolean): void {
    const key = [a, b].sort().join('|');
    if (up) this.#cut.delete(key);
    else this.#cut.add(key);
  }

  /** True when `a` and `b` can currently talk. */
  linked(a: PeerKey, b: PeerKey): boolean {
    return !this.#cut.has([a, b].sort().join('|'));
  }
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A host on a `MemoryNetwork`; `address` is simply its key. */
export class MemoryHost implements P2PHost {
  readonly self: PeerKey;
  readonly #network: MemoryNetwork;
  readonly #limits: P2PLimits;
  readonly #topics = new Map<string, GossipHandler>();
  readonly #handlers = new Map<string, RequestHandler>();
  private readonly connected = new Set<PeerKey>();
  readonly #seen = new Set<string>();
  readonly penalties: Array<{ peer: PeerKey; reason: string }> = [];
  private running = false;

  constructor(network: MemoryNetwork, publicKey: Uint8Array, limits: Partial<P2PLimits> = {}) {
    this.self = toHex(publicKey);
    this.#network = network;
    this.#limits = { ...DEFAULT_P2P_LIMITS, ...limits };
  }

  async start(): Promise<void> {
    this.running = true;
    this.#network.hosts.set(this.self, this);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.#network.hosts.delete(this.self);
    for (const peer of this.connected) this.#network.hosts.get(peer)?.connected.delete(this.self);
    this.connected.clear();
  }

  listenAddresses(): string[] {
    return [this.self];
  }

  async connect(address: string): Promise<void> {
    const other = this.#network.hosts.get(address);
    if (!other?.running) throw new Error(`no host at ${address}`);
    this.connected.add(address);
    other.connected.add(this.self);
  }

  peers(): PeerKey[] {
    return [...this.connected].filter((p) => this.#network.linked(this.self, p)).sort();
  }

  subscribe(topic: string, handler: GossipHandler): void {
    this.#topics.set(topic, handler);
  }

  async publish(topic: string, data: Uint8Array): Promise<void> {
    if (data.length > this.#limits.maxGossipBytes) throw new RangeError('gossip message too large');
    const id = `${topic}|${toHex(data)}`;
    this.#seen.add(id);
    this.#flood(topic, data, id);
  }

  handle(protocol: string, handler: RequestHandler): void {
    this.#handlers.set(protocol, handler);
  }

  async request(peer: PeerKey, protocol: string, data: Uint8Array): Promise<Uint8Array> {
    await nextTick();
    const other = this.#network.hosts.get(peer);
    if (!other || !this.peers().includes(peer))
      throw new RequestError(`peer ${peer.slice(0, 16)} is not connected`);
    const handler = other.#handlers.get(protocol);
    if (!handler) throw new RequestError(`peer does not serve ${protocol}`);
    if (data.length > other.#limits.maxRequestBytes) throw new RequestError('request too large');
    try {
      return await handler(this.self, data);
    } catch (err) {
      throw new RequestError(`peer error: ${(err as Error).message}`);
    }
  }

  penalize(peer: PeerKey, reason: string): void {
    this.penalties.push({ peer, reason });
  }

  #flood(topic: string, data: Uint8Array, id: string): void {
    for (const peer of this.peers()) {
      const other = this.#network.hosts.get(peer);
      if (other) void other.#receive(this.self, topic, data, id);
    }
  }

  async #receive(from: PeerKey, topic: string, data: Uint8Array, id: string): Promise<void> {
    await nextTick();
    if (!this.running || this.#seen.has(id) || !this.#network.linked(this.self, from)) return;
    this.#seen.add(id);
    const handler = this.#topics.get(topic);
    if (!handler) return;
    let verdict: Awaited<ReturnType<GossipHandler>>;
    try {
      verdict = await handler({ from, topic, data });
    } catch {
      verdict = 'reject';
    }
    if (verdict === 'reject') this.penalize(from, 'invalid gossip');
    if (verdict === 'accept') this.#flood(topic, data, id);
  }
}

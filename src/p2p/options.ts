/**
 * The `p2p` section of a node's configuration: where libp2p listens, whom it keeps dialling, how large a
 * gossip message may be, and whether only registered nodes are admitted.
 */
import { nonEmpty, port } from '../codec/config_values.ts';
import { arrayOf, bool, optional, struct, uint } from '../codec/schema.ts';

/** P2P options. */
export interface P2pOptions {
  /** TCP port libp2p listens on (0 picks a free port). */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Multiaddrs (with `/p2p/<peer id>`) dialled at start and whenever the link drops. */
  persistent_peers: string[];
  max_gossip_bytes: number;
  /** Admit only peers whose P2P key belongs to a registered node (or a persistent peer). */
  registered_only: boolean;
}

/** Defaults: a local network on the loopback interface. */
export function defaultP2pOptions(): P2pOptions {
  return {
    port: 26656,
    host: '127.0.0.1',
    persistent_peers: [],
    max_gossip_bytes: 1024 * 1024,
    registered_only: false,
  };
}

/** Decodes a `p2p` section as written in a file (every key optional). */
export const p2pOptionsDecoder = struct({
  port: optional(port, 'TCP port libp2p listens on (0 picks a free port)'),
  host: optional(nonEmpty, 'Interface libp2p listens on (0.0.0.0 for all)'),
  persistent_peers: optional(
    arrayOf(nonEmpty),
    'Multiaddrs with `/p2p/<peer id>` dialled at start and whenever the link drops',
  ),
  max_gossip_bytes: optional(uint, 'Largest gossip message accepted or sent, in bytes'),
  registered_only: optional(
    bool,
    'Admit only peers whose P2P key belongs to a registered node or a persistent peer',
  ),
});

/** The multiaddr to listen on. */
export function listenAddress(o: P2pOptions): string {
  return `/ip4/${o.host}/tcp/${o.port}`;
}

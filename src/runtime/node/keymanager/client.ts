/**
 * A compute node's way to its runtime's key manager (what oasis-core's key manager client does in spirit):
 * the runtime's registry descriptor names the key manager runtime, the registry names the nodes serving it
 * (key-manager role), and the request goes over P2P (Noise-encrypted, the peer authenticated by its
 * registered P2P key) to the first of them that answers. The compute node never holds the master secret,
 * so every compute node of the runtime gets the same keys from the same source. A request every key manager
 * node failed is tried again for a short while: a key manager that just (re)started refuses keys of epochs
 * its consensus state has not reached until it catches up with the chain.
 */
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import type { P2PHost } from '../../../p2p/api.ts';
import { NodeRoles } from '../../../services/registry/api/node.ts';
import type { StateReader } from '../../../state/api.ts';
import { RhpErrorCode, rhpError } from '../../protocol/errors.ts';
import { type KeyPair, keyPairDecoder, type RuntimeKeyRequest } from '../../protocol/keymanager.ts';
import { type KeyManagerRegistryReads, keyManagerProtocol } from './registry_reads.ts';

/** What the client needs from its node. */
export interface KeyManagerClientOptions {
  runtimeId: Uint8Array;
  chainContext: string;
  p2p: P2PHost;
  reads: KeyManagerRegistryReads;
  /** The latest committed consensus state (undefined before the first block). */
  latestState(): StateReader | undefined;
  /** How long a request that every key manager node failed is retried (ms; default 3000, 0: never). */
  retryForMs?: number;
}

const DEFAULT_RETRY_FOR_MS = 3_000;
const RETRY_INTERVAL_MS = 250;

/** Fetches a runtime's keys from its key manager's nodes. */
export class KeyManagerClient {
  readonly #o: KeyManagerClientOptions;

  constructor(o: KeyManagerClientOptions) {
    this.#o = o;
  }

  /**
   * The key pair `request` names, from the first key manager node that answers, asking again (within the
   * retry window) while none does.
   */
  async keyPair(request: RuntimeKeyRequest): Promise<KeyPair> {
    const deadline = Date.now() + (this.#o.retryForMs ?? DEFAULT_RETRY_FOR_MS);
    for (;;) {
      try {
        return await this.#ask(request);
      } catch (err) {
        if (Date.now() + RETRY_INTERVAL_MS > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
      }
    }
  }

  async #ask(request: RuntimeKeyRequest): Promise<KeyPair> {
    const { reads, p2p } = this.#o;
    const state = this.#o.latestState();
    if (state === undefined) throw unavailable('no consensus state yet');
    const keyManagerId = reads.runtime(state, this.#o.runtimeId)?.key_manager;
    if (keyManagerId === undefined) throw unavailable('the runtime has no key manager');
    const peers = reads
      .nodes(state)
      .filter(
        (n) =>
          (n.roles & NodeRoles.keyManager) !== 0 && n.runtimes.some((r) => bytesEqual(r.id, keyManagerId)),
      )
      .map((n) => toHex(n.p2p.id));
    if (peers.length === 0) throw unavailable(`no node serves key manager ${toHex(keyManagerId)}`);
    const connected = new Set(p2p.peers());
    peers.sort((a, b) => Number(connected.has(b)) - Number(connected.has(a)));
    const protocol = keyManagerProtocol(this.#o.chainContext, keyManagerId);
    const body = encodeCanonical({ runtime_id: this.#o.runtimeId, ...request });
    const failures: string[] = [];
    for (const peer of peers) {
      try {
        return keyPairDecoder(decodeCanonical(await p2p.request(peer, protocol, body)), 'key pair');
      } catch (err) {
        failures.push(`${peer.slice(0, 8)}: ${(err as Error).message}`);
      }
    }
    throw unavailable(`key manager unreachable (${failures.join('; ')})`);
  }
}

function unavailable(message: string) {
  return rhpError(RhpErrorCode.unavailable, `key manager: ${message}`);
}

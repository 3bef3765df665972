/**
 * The key manager as a node service (no TEE): answers key requests from compute nodes over P2P with key
 * pairs derived from its master secret. Its policy says which runtimes may query it; a request is served only
 * when the runtime is one of those and names this key manager in its registry descriptor, the asking peer
 * is a node registered as a compute worker of that runtime, and an ephemeral key's epoch is not ahead of the
 * chain (future keys never leave). Where oasis-core would check the caller's enclave attestation against
 * `may_query`, this mode can only check registrations: it is insecure and says so.
 */
import type { Logger } from 'pino';
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { CodedError } from '../../../errors.ts';
import type { P2PHost, PeerKey } from '../../../p2p/api.ts';
import { getEpoch } from '../../../services/beacon/api/queries.ts';
import { NodeRoles } from '../../../services/registry/api/node.ts';
import type { StateReader } from '../../../state/api.ts';
import { type KeyRequest, keyRequestDecoder } from '../../protocol/keymanager.ts';
import type { KeyManagerSecrets } from './kdf.ts';
import { type KeyManagerRegistryReads, keyManagerProtocol } from './registry_reads.ts';

/** Error module of key manager refusals. */
export const KEYMANAGER_MODULE = 'keymanager';

/** Key manager error codes. */
export const KeyManagerErrorCode = Object.freeze({
  notAllowed: 1,
  notReady: 2,
  badRequest: 3,
  futureEpoch: 4,
});

function refuse(code: number, message: string): CodedError {
  return new CodedError(KEYMANAGER_MODULE, code, message);
}

/**
 * Access policy (the fields of oasis-core's `PolicySGX` that apply without a TEE). `mayQuery` lists the
 * runtimes served; enclave identities would sit beside each once a TEE backend exists.
 */
export interface KeyManagerPolicy {
  /** The key manager runtime this node serves. */
  keyManagerId: Uint8Array;
  mayQuery: Uint8Array[];
}

/** What the service needs from its node. */
export interface KeyManagerServiceOptions {
  chainContext: string;
  secrets: KeyManagerSecrets;
  policy: KeyManagerPolicy;
  reads: KeyManagerRegistryReads;
  /** The latest committed consensus state (undefined before the first block). */
  latestState(): StateReader | undefined;
  log: Logger;
}

/** A key manager node's request handler. */
export class KeyManagerService {
  readonly #o: KeyManagerServiceOptions;

  constructor(o: KeyManagerServiceOptions) {
    this.#o = o;
  }

  /** Serves the key manager protocol on `p2p`. */
  serve(p2p: P2PHost): void {
    const protocol = keyManagerProtocol(this.#o.chainContext, this.#o.policy.keyManagerId);
    p2p.handle(protocol, async (peer, data) => encodeCanonical(this.answer(peer, data)));
  }

  /** The key pair `data` asks for, if `peer` may have it; throws a coded refusal otherwise. */
  answer(peer: PeerKey, data: Uint8Array) {
    let request: KeyRequest;
    try {
      request = keyRequestDecoder(decodeCanonical(data), 'request');
    } catch (err) {
      throw refuse(KeyManagerErrorCode.badRequest, `bad key request: ${(err as Error).message}`);
    }
    try {
      this.#authorize(peer, request);
    } catch (err) {
      this.#o.log.warn(
        { peer, runtime: toHex(request.runtime_id), err: (err as Error).message },
        'key request refused',
      );
      throw err;
    }
    return this.#o.secrets.keyPair(request);
  }

  #authorize(peer: PeerKey, request: KeyRequest): void {
    const { policy, reads } = this.#o;
    if (!policy.mayQuery.some((id) => bytesEqual(id, request.runtime_id)))
      throw refuse(KeyManagerErrorCode.notAllowed, 'runtime is not allowed by the key manager policy');
    const state = this.#o.latestState();
    if (state === undefined)
      throw refuse(KeyManagerErrorCode.notReady, 'key manager has no consensus state yet');
    const runtime = reads.runtime(state, request.runtime_id);
    if (runtime?.key_manager === undefined || !bytesEqual(runtime.key_manager, policy.keyManagerId))
      throw refuse(KeyManagerErrorCode.notAllowed, 'runtime does not use this key manager');
    // Insecure: a registration stands in for the attestation of the caller's enclave.
    const node = reads
      .nodes(state)
      .find((n) => toHex(n.p2p.id) === peer && (n.roles & NodeRoles.computeWorker) !== 0);
    if (node === undefined || !node.runtimes.some((r) => bytesEqual(r.id, request.runtime_id)))
      throw refuse(KeyManagerErrorCode.notAllowed, 'peer is not a registered compute node of the runtime');
    if (request.epoch !== undefined && request.epoch > getEpoch(state) + 1n)
      throw refuse(KeyManagerErrorCode.futureEpoch, `epoch ${request.epoch} is ahead of the chain`);
  }
}

/**
 * Transactions a validator submits on its own, signed by its node identity key, each at most once per
 * epoch (and again after a refusal): its VRF beacon proof, and the renewal of its registration before the
 * descriptor expires (an expired node is removed and leaves the validator set, as oasis-node's
 * registration worker prevents). Due transactions of one block get consecutive nonces.
 */
import type { UnsignedTransaction } from '../consensus/api/transaction.ts';
import type { NodeIdentity } from '../crypto/signer/node_identity.ts';
import { getEpoch } from '../services/beacon/api/queries.ts';
import { VRF_PROVE_METHOD, vrfProveBody } from '../services/beacon/prover.ts';
import { signNode } from '../services/registry/api/node.ts';
import { RegistryStateReader } from '../services/registry/state.ts';
import type { StateReader } from '../state/api.ts';
import type { NodeTxSender } from './node_tx_sender.ts';

/** Epochs before expiry at which the node renews its registration. */
export const RENEW_EPOCHS_BEFORE_EXPIRY = 1n;

/** One kind of own transaction: its method and body when due at a state, else undefined. */
interface Duty {
  name: string;
  gas: bigint;
  due(
    state: StateReader,
    identity: NodeIdentity,
    nextHeight: number,
  ): Omit<UnsignedTransaction, 'nonce' | 'fee'> | undefined;
}

/** The registry re-registration, due one epoch before the descriptor expires. */
const renewRegistration: Duty = {
  name: 'node re-registration',
  gas: 20_000n,
  due(state, identity) {
    const registry = new RegistryStateReader(state);
    const current = registry.node(identity.node.publicKey);
    if (!current) return undefined;
    const epoch = getEpoch(state);
    if (current.expiration > epoch + RENEW_EPOCHS_BEFORE_EXPIRY) return undefined;
    const expiration = epoch + registry.parameters().max_node_expiration;
    if (expiration <= current.expiration) return undefined;
    return { method: 'registry.RegisterNode', body: signNode(identity, { ...current, expiration }) };
  },
};

/** The VRF beacon proof, due once per epoch after `submit_after`. */
const proveVrf: Duty = {
  name: 'VRF proof',
  gas: 5_000n,
  due(state, identity, nextHeight) {
    const body = vrfProveBody(
      state,
      { nodeId: identity.node.publicKey, vrfSeed: identity.vrf.seed() },
      nextHeight,
    );
    return body ? { method: VRF_PROVE_METHOD, body: { epoch: body.epoch, pi: body.pi } } : undefined;
  },
};

/** Builds and submits a validator's own transactions after each committed block. */
export class OwnTransactions {
  readonly #identity: NodeIdentity;
  readonly #sender: NodeTxSender;
  readonly #warn: (message: string, err: Error) => void;
  readonly #info: (message: string, fields: Record<string, unknown>) => void;
  /** Epoch in which each duty was last submitted (cleared when the submission is refused). */
  readonly #submitted = new Map<string, bigint>();

  /** `info` hears of each duty done (an operator sees registrations renewed at info level). */
  constructor(
    identity: NodeIdentity,
    sender: NodeTxSender,
    warn: (message: string, err: Error) => void,
    info: (message: string, fields: Record<string, unknown>) => void = () => {},
  ) {
    this.#identity = identity;
    this.#sender = sender;
    this.#warn = warn;
    this.#info = info;
  }

  /** Submits whatever is due at `state` (committed at `height`). */
  afterCommit(state: StateReader, height: number): void {
    const epoch = getEpoch(state);
    for (const duty of [renewRegistration, proveVrf]) {
      try {
        if (this.#submitted.get(duty.name) === epoch) continue;
        const tx = duty.due(state, this.#identity, height + 1);
        if (!tx) continue;
        this.#submitted.set(duty.name, epoch);
        this.#sender.send(state, height, tx, duty.gas).then(
          () => this.#info(`${duty.name} included`, { epoch: epoch.toString() }),
          (err: Error) => {
            this.#submitted.delete(duty.name);
            this.#warn(`${duty.name} not accepted`, err);
          },
        );
      } catch (err) {
        this.#warn(`${duty.name} not built`, err as Error);
      }
    }
  }
}

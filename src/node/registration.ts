/**
 * Keeping the node registered: a node descriptor expires at its `expiration` epoch, and an expired
 * validator drops out of the validator set. Before that happens the node re-signs its current descriptor
 * with the furthest expiration the registry allows and submits `registry.RegisterNode`, signed by its
 * node identity key (as oasis-node's registration worker does).
 */
import { encodeSignedTransaction, signTransaction } from '../consensus/api/transaction.ts';
import { addressFromPublicKey } from '../crypto/address.ts';
import type { NodeIdentity } from '../crypto/signer/node_identity.ts';
import { getEpoch } from '../services/beacon/api/queries.ts';
import { signNode } from '../services/registry/api/node.ts';
import { RegistryStateReader } from '../services/registry/state.ts';
import { StakingStateReader } from '../services/staking/state.ts';
import type { StateReader } from '../state/api.ts';

/** Epochs before expiry at which the node renews its registration. */
export const RENEW_EPOCHS_BEFORE_EXPIRY = 1n;
/** Gas offered for a re-registration (register_node plus the descriptor's bytes, with room to spare). */
export const REGISTER_NODE_GAS = 20_000n;

/**
 * The signed re-registration transaction due at `state` (the latest committed state), or undefined when
 * the node is not registered (nothing to renew) or still far from its expiration.
 */
export function reRegistrationTx(
  state: StateReader,
  identity: NodeIdentity,
  chainContext: string,
): Uint8Array | undefined {
  const registry = new RegistryStateReader(state);
  const current = registry.node(identity.node.publicKey);
  if (!current) return undefined;
  const epoch = getEpoch(state);
  if (current.expiration > epoch + RENEW_EPOCHS_BEFORE_EXPIRY) return undefined;
  const expiration = epoch + registry.parameters().max_node_expiration;
  if (expiration <= current.expiration) return undefined;
  const descriptor = signNode(identity, { ...current, expiration });
  const nonce = new StakingStateReader(state).account(addressFromPublicKey(identity.node.publicKey)).general
    .nonce;
  const tx = signTransaction(
    identity.node,
    { nonce, fee: { amount: 0n, gas: REGISTER_NODE_GAS }, method: 'registry.RegisterNode', body: descriptor },
    chainContext,
  );
  return encodeSignedTransaction(tx);
}

/**
 * What a node does for the VRF beacon, as a pure function of the committed state: once per alpha, in a
 * block above `submit_after`, it proves over the alpha with its VRF key and submits `beacon.VRFProve`
 * signed by its node identity key. The node calls `vrfProveBody` after each committed block and submits
 * whatever it returns (proofs use oasis-core's draft-10 ECVRF variant); everything that would make consensus reject the transaction (backend not VRF,
 * too early, already recorded, node not registered with this VRF key) returns undefined instead.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { vrfProve } from '../../crypto/ecvrf.ts';
import { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import type { StateReader } from '../../state/api.ts';
import { RegistryStateReader } from '../registry/state.ts';
import { METHOD_VRF_PROVE, type VRFProve } from './api/methods.ts';
import { BACKEND_VRF } from './api/params.ts';
import { BEACON_VRF_OPTIONS } from './api/vrf.ts';
import { beaconParameters } from './state.ts';
import { currentAlpha } from './vrf.ts';

/** The transaction method the body is for. */
export const VRF_PROVE_METHOD = METHOD_VRF_PROVE;

/** Who is proving: the node's identity (signs the transaction) and its VRF key seed. */
export interface VrfProver {
  /** The node identity public key (the transaction signer, the registry's node ID). */
  nodeId: Uint8Array;
  /** The 32-byte seed of the VRF key registered in the node descriptor's `vrf.id`. */
  vrfSeed: Uint8Array;
}

/**
 * The `beacon.VRFProve` body to submit for a block at `nextHeight` over `state` (the state after the
 * last committed block), or undefined when there is nothing to submit yet.
 */
export function vrfProveBody(
  state: StateReader,
  prover: VrfProver,
  nextHeight: number,
): VRFProve | undefined {
  if (beaconParameters(state).backend !== BACKEND_VRF) return undefined;
  const current = currentAlpha(state, prover.nodeId);
  if (!current || current.submitted || nextHeight <= current.submitAfter) return undefined;
  const node = new RegistryStateReader(state).node(prover.nodeId);
  const vrfKey = Ed25519KeyPair.fromSeed(prover.vrfSeed).publicKey;
  if (!node || !bytesEqual(node.vrf.id, vrfKey)) return undefined;
  return { epoch: current.epoch, pi: vrfProve(prover.vrfSeed, current.alpha, BEACON_VRF_OPTIONS) };
}

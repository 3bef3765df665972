/**
 * VRF backend shapes (`go/beacon/api/vrf.go`): the state stored under 0x46, the `beacon.VRFProve`
 * transaction body and the `vrf` event. The state's CBOR matches oasis-core's field for field, including
 * `PrevVRFState.Pi`'s mistyped tag, whose CBOR key is literally `"pi.omitempty"` (and, the tag lacking a
 * real omitempty, is always present).
 */
import { fromHex, toHex } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { bool, bytes, type Decoder, mapEntries, optional, struct, u64, uint } from '../../../codec/schema.ts';
import { VRF_PROOF_SIZE, type VrfOptions } from '../../../crypto/ecvrf.ts';
import { BeaconErrors } from './types.ts';

/**
 * The ECVRF variant consensus uses: oasis-core proves and verifies with curve25519-voi's `Prove_v10` /
 * `Verify_v10` (draft-10 challenge, without the public key), not the RFC 9381 one. Betas are the same.
 */
export const BEACON_VRF_OPTIONS: Readonly<VrfOptions> = Object.freeze({ draft10: true });

/** Method name of a VRF proof submission. */
export const METHOD_VRF_PROVE = 'beacon.VRFProve';

/** A stored proof: the VRF key that made it and the 80-byte proof (oasis-core `signature.Proof`). */
export interface VRFProof {
  publicKey: Uint8Array;
  proof: Uint8Array;
}

/** Proofs keyed by the hex node ID that submitted them. */
export type VRFProofs = Map<string, VRFProof>;

/** Previous epoch's proofs, for this epoch's elections. */
export interface PrevVRFState {
  pi: VRFProofs;
  /** The previous alpha was high quality, so committees may be elected from these proofs. */
  canElectCommittees: boolean;
}

/** The VRF backend state. */
export interface VRFState {
  /** Epoch this alpha is for. */
  epoch: bigint;
  /** The VRF input nodes prove over this epoch. */
  alpha: Uint8Array;
  /** Proofs received so far over `alpha`. */
  pi: VRFProofs;
  /** Alpha came from enough proofs for elections to be possible. */
  alphaIsHighQuality: boolean;
  /** Proofs are accepted only in blocks above this height. */
  submitAfter: number;
  prevState?: PrevVRFState;
}

/** The body of `beacon.VRFProve`. */
export interface VRFProve {
  epoch: bigint;
  pi: Uint8Array;
}

const proofDecoder = struct({ public_key: bytes(32), proof: bytes(VRF_PROOF_SIZE) });

function proofsDecoder(value: CborValue, path: string): VRFProofs {
  const out: VRFProofs = new Map();
  if (value === null) return out;
  for (const [k, v] of mapEntries(value, path)) {
    const id = bytes(32)(k, `${path}{key}`);
    const p = proofDecoder(v, `${path}[${toHex(id)}]`);
    out.set(toHex(id), { publicKey: p.public_key, proof: p.proof });
  }
  return out;
}

function proofsToCbor(pi: VRFProofs): Map<Uint8Array, unknown> {
  const out = new Map<Uint8Array, unknown>();
  for (const [id, p] of pi) out.set(fromHex(id), { public_key: p.publicKey, proof: p.proof });
  return out;
}

const prevDecoder = struct({ 'pi.omitempty': proofsDecoder, can_elect: optional(bool) });
const stateFields = struct({
  epoch: optional(u64),
  alpha: optional(bytes()),
  pi: optional(proofsDecoder),
  alpha_hq: optional(bool),
  submit_after: optional(uint),
  prev_state: optional(prevDecoder),
});

/** Strict decoder of the stored VRF state. */
export const vrfStateDecoder: Decoder<VRFState> = (value, path) => {
  const d = stateFields(value, path);
  const state: VRFState = {
    epoch: d.epoch ?? 0n,
    alpha: d.alpha ?? new Uint8Array(0),
    pi: d.pi ?? new Map(),
    alphaIsHighQuality: d.alpha_hq ?? false,
    submitAfter: d.submit_after ?? 0,
  };
  if (d.prev_state) {
    state.prevState = {
      pi: d.prev_state['pi.omitempty'],
      canElectCommittees: d.prev_state.can_elect ?? false,
    };
  }
  return state;
};

/** CBOR-ready VRF state, omitting empty fields as oasis-core's struct tags do. */
export function vrfStateToCbor(s: VRFState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.epoch !== 0n) out.epoch = s.epoch;
  if (s.alpha.length > 0) out.alpha = s.alpha;
  if (s.pi.size > 0) out.pi = proofsToCbor(s.pi);
  if (s.alphaIsHighQuality) out.alpha_hq = true;
  if (s.submitAfter !== 0) out.submit_after = s.submitAfter;
  if (s.prevState) {
    const prev: Record<string, unknown> = { 'pi.omitempty': proofsToCbor(s.prevState.pi) };
    if (s.prevState.canElectCommittees) prev.can_elect = true;
    out.prev_state = prev;
  }
  return out;
}

const proveFields = struct({ epoch: u64, pi: bytes() });

/** Decodes a `beacon.VRFProve` body; beacon/2 (invalid argument) when malformed or pi is not 80 bytes. */
export function decodeVRFProve(body: CborValue | undefined): VRFProve {
  try {
    const d = proveFields(body ?? null, 'body');
    if (d.pi.length !== VRF_PROOF_SIZE) throw new Error('pi must be 80 bytes');
    return d;
  } catch (e) {
    throw BeaconErrors.invalidArgument(`beacon: invalid VRFProve body: ${(e as Error).message}`);
  }
}

/** The `vrf` event: the new alpha and when proofs over it are accepted. */
export function vrfEvent(s: VRFState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.epoch !== 0n) out.epoch = s.epoch;
  if (s.alpha.length > 0) out.alpha = s.alpha;
  out.submit_after = s.submitAfter;
  return out;
}

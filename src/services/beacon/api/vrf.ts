/**
 * VRF backend state (`go/beacon/api/vrf.go`), stored under 0x46. Its CBOR matches oasis-core's field for
 * field, including `PrevVRFState.Pi`'s mistyped tag, whose CBOR key is literally `"pi.omitempty"` (and,
 * the tag lacking a real omitempty, is always present).
 */
import { fromHex, toHex } from '../../../codec/bytes.ts';
import {
  bytesCodec,
  type Codec,
  field,
  flagField,
  mapCodec,
  optionalCodec,
  structCodec,
  u64Field,
  uintCodec,
  viewCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { VRF_PROOF_SIZE, type VrfOptions } from '../../../crypto/ecvrf.ts';

/**
 * The ECVRF variant consensus uses: oasis-core proves and verifies with curve25519-voi's `Prove_v10` /
 * `Verify_v10` (draft-10 challenge, without the public key), not the RFC 9381 one. Betas are the same.
 */
export const BEACON_VRF_OPTIONS: Readonly<VrfOptions> = Object.freeze({ draft10: true });

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

const proofsCodec: Codec<VRFProofs> = viewCodec(
  mapCodec(
    bytesCodec(32),
    structCodec({ public_key: field(bytesCodec(32)), proof: field(bytesCodec(VRF_PROOF_SIZE)) }),
  ),
  (m) => new Map([...m].map(([id, p]) => [toHex(id), { publicKey: p.public_key, proof: p.proof }])),
  (pi) => new Map([...pi].map(([id, p]) => [fromHex(id), { public_key: p.publicKey, proof: p.proof }])),
);

/** Go's nil map: CBOR null decodes as empty (the previous state's proofs may be nil). */
const nullableProofsCodec: Codec<VRFProofs> = {
  ...proofsCodec,
  decode: (v, p) => (v === null ? new Map() : proofsCodec.decode(v, p)),
};

const prevStateWire = structCodec({ 'pi.omitempty': field(nullableProofsCodec), can_elect: flagField() });

const vrfStateWire = structCodec({
  epoch: u64Field(),
  alpha: field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  ),
  pi: field(
    withDefault(nullableProofsCodec, () => new Map()),
    true,
  ),
  alpha_hq: flagField(),
  submit_after: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  prev_state: field(optionalCodec(prevStateWire), true),
});

/** The stored VRF state (omitting empty fields as oasis-core's struct tags do). */
export const vrfStateCodec = viewCodec(
  vrfStateWire,
  (d): VRFState => {
    const state: VRFState = {
      epoch: d.epoch,
      alpha: d.alpha,
      pi: d.pi,
      alphaIsHighQuality: d.alpha_hq,
      submitAfter: d.submit_after,
    };
    if (d.prev_state) {
      state.prevState = { pi: d.prev_state['pi.omitempty'], canElectCommittees: d.prev_state.can_elect };
    }
    return state;
  },
  (s) => ({
    epoch: s.epoch,
    alpha: s.alpha,
    pi: s.pi,
    alpha_hq: s.alphaIsHighQuality,
    submit_after: s.submitAfter,
    prev_state: s.prevState && {
      'pi.omitempty': s.prevState.pi,
      can_elect: s.prevState.canElectCommittees,
    },
  }),
);

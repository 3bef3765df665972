/**
 * `beacon.VRFProve`: a registered node submits its VRF proof over the current alpha, once `submit_after`
 * has passed; the proof is kept for the next transition (see ../vrf.ts).
 */
import { toHex } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { vrfProofToHash, vrfVerify } from '../../../crypto/ecvrf.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { gasCostsOf } from '../../mux/gas.ts';
import { RegistryStateReader } from '../../registry/state.ts';
import { BeaconErrors } from '../api/errors.ts';
import { decodeVRFProve } from '../api/methods.ts';
import { GAS_OP_VRF_PROVE, type VRFParameters } from '../api/params.ts';
import { BEACON_VRF_OPTIONS } from '../api/vrf.ts';
import { setVrfState, vrfState } from '../state.ts';

/** Executes `beacon.VRFProve` (charging `vrf_prove` gas); every rejection is a coded beacon error. */
export function executeVrfProve(
  ctx: ServiceContext,
  body: CborValue | undefined,
  params: VRFParameters,
): void {
  ctx.gas.useOp(1n, GAS_OP_VRF_PROVE, gasCostsOf(params.gas_costs));
  if (ctx.isSimulation) return;
  const state = vrfState(ctx.state);
  if (!state) throw BeaconErrors.beaconNotAvailable('beacon: no VRF state');
  if (ctx.height <= state.submitAfter) throw BeaconErrors.prematureProof();
  const node = ctx.txSigner && new RegistryStateReader(ctx.state).node(ctx.txSigner);
  if (!node) throw BeaconErrors.notANode();
  const prove = decodeVRFProve(body);
  if (prove.epoch !== state.epoch)
    throw BeaconErrors.invalidEpoch(`beacon: proof for invalid epoch: ${prove.epoch}`);
  const beta = vrfVerify(node.vrf.id, prove.pi, state.alpha, BEACON_VRF_OPTIONS);
  if (!beta) throw BeaconErrors.invalidProof();
  const nodeId = toHex(node.id);
  const old = state.pi.get(nodeId);
  if (old && toHex(vrfProofToHash(old.proof)!) !== toHex(beta)) throw BeaconErrors.differentProof();
  if (ctx.isCheckOnly) return;
  state.pi.set(nodeId, { publicKey: node.vrf.id, proof: prove.pi });
  setVrfState(ctx.state, state);
}

/**
 * The VRF beacon backend (oasis-core `backend_vrf.go`). Each epoch has an input, alpha; registered nodes
 * prove over it with their VRF keys (`beacon.VRFProve`) once `submit_after` has passed. At the next
 * transition the collected outputs (betas) become the next alpha:
 *
 *   alpha = TupleHash256("oasis-core:vrf/alpha"; chain context, BE64(epoch), beta₁, …, betaₙ)
 *
 * with betas ordered by node ID — a value no single node can choose, since each beta is fixed by the
 * node's key and the previous alpha, and withholding only removes one's own. With fewer proofs than
 * `alpha_hq_threshold` the alpha is "low quality": the same prefix over block entropy instead, and
 * elections of the following epoch are not allowed to use it. The proofs of the ending epoch move to
 * `prev_state` for the scheduler's elections.
 */
import { toHex, u64be, utf8 } from '../../codec/bytes.ts';
import { vrfProofToHash } from '../../crypto/ecvrf.ts';
import { tupleHash256 } from '../../crypto/tuplehash.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import { EPOCH_INVALID } from '../registry/api/status.ts';
import { RegistryState } from '../registry/state.ts';
import { BEACON_MODULE } from './api/errors.ts';
import { BeaconEventKinds, vrfEvent } from './api/events.ts';
import type { VRFParameters } from './api/params.ts';
import type { VRFProofs, VRFState } from './api/vrf.ts';
import { blockEntropy } from './entropy.ts';
import { chainContextBytes, setVrfState, vrfState } from './state.ts';

const ALPHA_CUSTOMIZATION = utf8('oasis-core:vrf/alpha');

/** Alpha from the proofs of `epoch`'s predecessor: their betas ordered by node ID. */
export function highQualityAlpha(chainContext: Uint8Array, epoch: bigint, pi: VRFProofs): Uint8Array {
  const ids = [...pi.keys()].sort(); // equal-length lowercase hex sorts as the bytes do
  const betas = ids.map((id) => vrfProofToHash(pi.get(id)!.proof)!);
  return tupleHash256(ALPHA_CUSTOMIZATION, [chainContext, u64be(epoch), ...betas]);
}

/** Alpha from block entropy (bootstrap epoch, or too few proofs). */
export function lowQualityAlpha(chainContext: Uint8Array, epoch: bigint, entropy: Uint8Array): Uint8Array {
  return tupleHash256(ALPHA_CUSTOMIZATION, [chainContext, u64be(epoch), entropy]);
}

function entropyOf(ctx: ServiceContext): Uint8Array {
  return blockEntropy(ctx.height, ctx.block.time, ctx.block.proposer);
}

/** The VRF state, created on the backend's first block with a low-quality alpha for the base epoch. */
export function ensureVrfState(ctx: ServiceContext, epoch: bigint, params: VRFParameters): VRFState {
  const existing = vrfState(ctx.state);
  if (existing) return existing;
  const created: VRFState = {
    epoch,
    alpha: lowQualityAlpha(chainContextBytes(ctx.state), epoch, entropyOf(ctx)),
    pi: new Map(),
    alphaIsHighQuality: false,
    submitAfter: ctx.height + Number(params.proof_delay),
  };
  setVrfState(ctx.state, created);
  return created;
}

/**
 * Moves the VRF state to `epoch` at a transition block: rotates the proofs into `prev_state`, derives
 * the new alpha, marks new nodes eligible from `epoch`, emits the `vrf` event. Returns the new alpha.
 */
export function transitionVrf(ctx: ServiceContext, epoch: bigint, params: VRFParameters): Uint8Array {
  const previous = ensureVrfState(ctx, epoch - 1n, params);
  markNewNodesEligible(ctx, epoch);
  const highQuality = BigInt(previous.pi.size) >= params.alpha_hq_threshold;
  const chainContext = chainContextBytes(ctx.state);
  const next: VRFState = {
    epoch,
    alpha: highQuality
      ? highQualityAlpha(chainContext, epoch, previous.pi)
      : lowQualityAlpha(chainContext, epoch, entropyOf(ctx)),
    pi: new Map(),
    alphaIsHighQuality: highQuality,
    submitAfter: ctx.height + Number(params.proof_delay),
    prevState: { pi: previous.pi, canElectCommittees: previous.alphaIsHighQuality },
  };
  setVrfState(ctx.state, next);
  ctx.emit(BEACON_MODULE, BeaconEventKinds.vrf, vrfEvent(next));
  return next.alpha;
}

/** Nodes registered since the last transition (status `election_eligible_after` = never) become eligible. */
function markNewNodesEligible(ctx: ServiceContext, epoch: bigint): void {
  const registry = new RegistryState(ctx.state);
  for (const node of registry.nodes()) {
    const status = registry.nodeStatusOrEmpty(node.id);
    if (status.election_eligible_after !== EPOCH_INVALID) continue;
    registry.setNodeStatus(node.id, { ...status, election_eligible_after: epoch });
  }
}

/** The alpha nodes should prove over now, and whether a proof by `nodeId` is already recorded. */
export function currentAlpha(
  state: StateReader,
  nodeId: Uint8Array,
): { epoch: bigint; alpha: Uint8Array; submitAfter: number; submitted: boolean } | undefined {
  const s = vrfState(state);
  if (!s) return undefined;
  return { epoch: s.epoch, alpha: s.alpha, submitAfter: s.submitAfter, submitted: s.pi.has(toHex(nodeId)) };
}

/** What the scheduler elects from in VRF mode: the previous epoch's betas by node, and whether it may. */
export interface ElectionBetas {
  /** The previous alpha was high quality (oasis-core `PrevState.CanElectCommittees`). */
  canElectCommittees: boolean;
  /** Beta of each node that proved over the previous alpha, keyed by hex node ID, in node ID order. */
  betas: Map<string, Uint8Array>;
}

/** The previous epoch's VRF outputs for this epoch's elections; undefined before the first transition. */
export function electionBetas(state: StateReader): ElectionBetas | undefined {
  const prev = vrfState(state)?.prevState;
  if (!prev) return undefined;
  const betas = new Map<string, Uint8Array>();
  for (const id of [...prev.pi.keys()].sort()) betas.set(id, vrfProofToHash(prev.pi.get(id)!.proof)!);
  return { canElectCommittees: prev.canElectCommittees, betas };
}

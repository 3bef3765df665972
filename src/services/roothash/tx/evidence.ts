/**
 * `roothash.Evidence` (oasis-core `apps/roothash/transactions.go` submitEvidence): valid executor
 * equivocation about a round no older than `max_evidence_age` rounds slashes the node's entity for
 * `runtime-equivocation` (freezing the node), pays the submitter `reward_equivocation` percent of the
 * slashed stake, and is remembered at 0x24 [H(runtime), round, hash] so it counts once.
 */

import { u64be } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { KeyPrefix, makeKey } from '../../../state/keys.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { SlashReason } from '../../staking/api/params.ts';
import { transferFromCommonPool } from '../../staking/ledger.ts';
import { StakingState } from '../../staking/state.ts';
import { RoothashErrors } from '../api/errors.ts';
import { decodeEvidenceBody, evidenceHash, verifyExecutorEquivocation } from '../api/evidence.ts';
import { gasCostsOf, RoothashGasOps } from '../api/params.ts';
import { slashRuntimeNodes } from '../slashing.ts';
import { RoothashState } from '../state.ts';

/** Executes `roothash.Evidence`. */
export function submitEvidence(ctx: ServiceContext, chainContext: string, raw: CborValue | undefined): void {
  const body = decodeEvidenceBody(raw);
  const st = new RoothashState(ctx.state);
  const params = st.parameters();
  ctx.gas.useOp(1n, RoothashGasOps.evidence, gasCostsOf(params));
  if (ctx.isCheckOnly || ctx.isSimulation) return;

  const rs = st.runtimeState(body.id);
  if (rs === undefined) throw RoothashErrors.invalidRuntime();
  const ev = body.equivocation_executor;
  if (ev === undefined) throw RoothashErrors.invalidEvidence();
  const { node, round } = verifyExecutorEquivocation(ev.commit_a, ev.commit_b, body.id, chainContext);
  const latest = rs.last_block.header.round;
  // Expired evidence is invalid evidence to oasis-core (no code of its own).
  if (round + params.max_evidence_age < latest) throw RoothashErrors.invalidEvidence();
  const key = makeKey(
    KeyPrefix.roothashEvidence,
    sha512_256(body.id),
    u64be(round),
    evidenceHash(node, round),
  );
  if (ctx.state.get(key) !== undefined) throw RoothashErrors.duplicateEvidence();
  ctx.state.set(key, new Uint8Array([1]));

  const slashed = slashRuntimeNodes(ctx, rs.runtime, SlashReason.runtimeEquivocation, [node]);
  const reward = (slashed * BigInt(rs.runtime.staking.reward_equivocation)) / 100n;
  if (reward > 0n) transferFromCommonPool(ctx, new StakingState(ctx.state), ctx.callerAddress, reward);
}

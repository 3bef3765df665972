/**
 * The validator side of the scheduler: electing the next set from eligible validator-role nodes (through
 * the pure `electValidators`), and turning a change of set into engine validator updates — keyed by
 * consensus public key, power 0 to remove — as oasis-core's `diffValidators` does.
 */
import { compareBytes, toHex } from '../../codec/bytes.ts';
import type { ValidatorUpdate } from '../../consensus/api/application.ts';
import { NodeRoles } from '../registry/api/node.ts';
import type { SchedulerParameters } from './api/params.ts';
import { electValidators, type ValidatorEntity } from './election.ts';
import type { ElectionView } from './eligibility.ts';
import type { ValidatorSet } from './state.ts';

/** Entities with eligible validator nodes, each with its active escrow. */
export function validatorCandidates(view: ElectionView): ValidatorEntity[] {
  const byEntity = new Map<string, ValidatorEntity>();
  for (const { node } of view.usableNodes()) {
    if ((node.roles & NodeRoles.validator) === 0) continue;
    const k = toHex(node.entityId);
    let entity = byEntity.get(k);
    if (entity === undefined) {
      entity = { entityId: node.entityId, escrow: view.escrowOf(node.entityId), nodes: [] };
      byEntity.set(k, entity);
    }
    entity.nodes.push({ nodeId: node.id, entityId: node.entityId, consensusKey: node.consensus.id });
  }
  return [...byEntity.values()];
}

/** Elects the next validator set; undefined when fewer than `min_validators` qualify. */
export function electValidatorSet(
  view: ElectionView,
  params: SchedulerParameters,
  beacon: Uint8Array,
): ValidatorSet | undefined {
  const elected = electValidators(
    validatorCandidates(view),
    {
      minValidators: params.min_validators,
      maxValidators: params.max_validators,
      maxValidatorsPerEntity: params.max_validators_per_entity,
      votingPowerDistribution: params.voting_power_distribution === 1 ? 1 : 0,
      debugBypassStake: params.debug_bypass_stake,
    },
    beacon,
  );
  if (elected === undefined) return undefined;
  return elected
    .map(
      (v) =>
        [
          v.consensusKey,
          { id: v.nodeId, entity_id: v.entityId, voting_power: v.power },
        ] as ValidatorSet[number],
    )
    .sort((a, b) => compareBytes(a[0], b[0]));
}

/** The whole set as engine updates (the genesis validator set). */
export function validatorUpdatesOf(set: ValidatorSet): ValidatorUpdate[] {
  return set.map(([publicKey, v]) => ({ publicKey, power: v.voting_power }));
}

/** Updates turning `current` into `next`: removals (power 0) first, then additions and power changes. */
export function diffValidators(current: ValidatorSet, next: ValidatorSet): ValidatorUpdate[] {
  const nextByKey = new Map(next.map(([k, v]) => [toHex(k), v]));
  const currentByKey = new Map(current.map(([k, v]) => [toHex(k), v]));
  const removals: ValidatorUpdate[] = current
    .filter(([k]) => !nextByKey.has(toHex(k)))
    .map(([publicKey]) => ({ publicKey, power: 0n }));
  const upserts: ValidatorUpdate[] = next
    .filter(([k, v]) => currentByKey.get(toHex(k))?.voting_power !== v.voting_power)
    .map(([publicKey, v]) => ({ publicKey, power: v.voting_power }));
  const byKey = (a: ValidatorUpdate, b: ValidatorUpdate) => compareBytes(a.publicKey, b.publicKey);
  return [...removals.sort(byKey), ...upserts.sort(byKey)];
}

/**
 * The epoch-signing tally (oasis-core `EpochSigning`): blocks in the epoch and, per entity, how many of
 * their commits it signed. At an epoch change entities at or above `signing_reward_threshold_numerator /
 * denominator` of the blocks earn `reward_factor_epoch_signed`. Stored as {Total, ByEntity} keyed by
 * entity address (oasis-core keys by entity public key; the tally is internal state).
 */
import { compareBytes } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { mapOf, struct, u64 } from '../../codec/schema.ts';
import type { Address } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { type AddressHex, addressDecoder, addressOfHex, compareHex, hexOf } from './api/address.ts';
import { addRewards } from './rewards.ts';
import type { StakingState } from './state.ts';

/** Blocks counted in the epoch and signatures per entity. */
export interface EpochSigning {
  total: bigint;
  byEntity: Map<AddressHex, bigint>;
}

const decoder = struct({ Total: u64, ByEntity: mapOf(addressDecoder, u64) });

/** Loads the tally (empty when absent). */
export function loadEpochSigning(st: StakingState): EpochSigning {
  const raw = st.epochSigningRaw();
  if (raw === undefined) return { total: 0n, byEntity: new Map() };
  const d = decoder(decodeOwnCanonical(raw), 'epoch_signing');
  return { total: d.Total, byEntity: new Map(d.ByEntity.map(([k, v]) => [hexOf(k), v])) };
}

function storeEpochSigning(st: StakingState, es: EpochSigning): void {
  const byEntity = new Map(
    [...es.byEntity].sort((a, b) => compareHex(a[0], b[0])).map(([k, v]) => [addressOfHex(k), v]),
  );
  st.setEpochSigningRaw(encodeCanonical({ Total: es.total, ByEntity: byEntity }));
}

/** BeginBlock: counts one more block and one signature for every signing entity (once per vote). */
export function updateEpochSigning(st: StakingState, signingEntities: readonly Address[]): void {
  const es = loadEpochSigning(st);
  es.total += 1n;
  for (const e of signingEntities) {
    const k = hexOf(e);
    es.byEntity.set(k, (es.byEntity.get(k) ?? 0n) + 1n);
  }
  storeEpochSigning(st, es);
}

/** Entities that signed at least num/den of the epoch's blocks, ascending by address. */
export function eligibleEntities(es: EpochSigning, num: bigint, den: bigint): Address[] {
  const threshold = es.total * num;
  return [...es.byEntity]
    .filter(([, count]) => count * den >= threshold)
    .map(([k]) => addressOfHex(k))
    .sort(compareBytes);
}

/** Epoch change: rewards eligible signers and clears the tally. */
export function rewardEpochSigning(ctx: ServiceContext, st: StakingState, epoch: bigint): void {
  const params = st.parameters();
  const es = loadEpochSigning(st);
  st.setEpochSigningRaw(undefined);
  if (params.signingRewardThresholdDenominator === 0n || es.total === 0n) return;
  const eligible = eligibleEntities(
    es,
    params.signingRewardThresholdNumerator,
    params.signingRewardThresholdDenominator,
  );
  addRewards(ctx, st, epoch, params.rewardFactorEpochSigned, eligible);
}

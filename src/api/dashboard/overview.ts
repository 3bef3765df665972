/**
 * The overview page's data: the chain's head, epoch, validators online, total stake and supply, and a
 * per-block series (time, interval, transactions) for the block-time and tx/s charts.
 */

import { toHex } from '../../codec/bytes.ts';
import { quantityFromBytes } from '../../codec/quantity.ts';
import { getEpoch } from '../../services/beacon/api/queries.ts';
import { SchedulerQueries } from '../../services/scheduler/api/queries.ts';
import { StakingQueries } from '../../services/staking/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { DashboardBackend } from './backend.ts';
import { headerOf, latestState, windowHeights } from './chain_reads.ts';
import { accountAt } from './staking_reads.ts';

/** One block of the chart series. */
export interface BlockPoint {
  height: number;
  /** Block time, unix milliseconds. */
  time: number;
  /** Milliseconds since the previous block (null for the first point without a predecessor). */
  interval_ms: number | null;
  txs: number;
}

/** The overview as `/api/overview` answers it. */
export interface Overview {
  chain_context: string;
  height: number;
  hash: string;
  time: number;
  epoch: string;
  validators: { total: number; online: number };
  token: { symbol: string; exponent: number };
  /** Base units, decimal. */
  total_supply: string;
  total_staked: string;
  series: BlockPoint[];
}

/** Sum of every account's active escrow: the stake that backs the network. */
export function totalStaked(state: StateReader): bigint {
  let sum = 0n;
  for (const address of StakingQueries.addresses(state)) {
    sum += accountAt(state, address).escrow.active.balance;
  }
  return sum;
}

/** The overview at the latest height, with a series over the last `window` blocks. */
export function overview(b: DashboardBackend, window: number): Overview {
  const { height, state } = latestState(b);
  const heights = windowHeights(b, height, window + 1);
  const series: BlockPoint[] = [];
  let previous: number | undefined;
  for (const h of heights) {
    const block = b.block(h);
    if (!block) continue;
    const time = headerOf(block).time;
    series.push({
      height: h,
      time,
      interval_ms: previous === undefined ? null : time - previous,
      txs: block.txs.length,
    });
    previous = time;
  }
  // The extra first block only served as the predecessor of the window's first interval.
  if (series.length > window) series.shift();
  const latest = b.block(height);
  const participation = b.commitParticipation(height);
  return {
    chain_context: b.chainContext,
    height,
    hash: latest ? toHex(latest.hash) : '',
    time: latest ? headerOf(latest).time : 0,
    epoch: getEpoch(state).toString(),
    validators: {
      total: SchedulerQueries.getValidators(state).length,
      online: participation?.signed.length ?? 0,
    },
    token: {
      symbol: StakingQueries.tokenSymbol(state),
      exponent: StakingQueries.tokenValueExponent(state),
    },
    total_supply: quantityFromBytes(StakingQueries.totalSupply(state)).toString(),
    total_staked: totalStaked(state).toString(),
    series,
  };
}

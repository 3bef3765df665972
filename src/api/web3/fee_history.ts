/**
 * `eth_feeHistory`: for up to 1024 blocks ending at a block, the base fee (the runtime's minimum gas price,
 * the base fee it applies to EIP-1559 transactions; one more entry than blocks, as geth), the gas used
 * ratio and, per requested percentile, the priority fee paid, weighted by gas used.
 */
import type { EthTransactionRecord } from '../../runtime/node/client/eth_index.ts';
import type { Web3Backend } from './backend.ts';
import { blockNumberOf, parseBlockParam } from './block_tags.ts';
import { RpcErrors } from './errors.ts';
import { parseQuantity, quantity } from './hex.ts';
import type { RpcMethods } from './method.ts';

const MAX_BLOCKS = 1024n;

function parsePercentiles(v: unknown): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 100)
    throw RpcErrors.invalidArgument(2, 'expected at most 100 percentiles');
  let last = -1;
  return v.map((p) => {
    if (typeof p !== 'number' || p < 0 || p > 100 || p < last)
      throw RpcErrors.invalidArgument(2, 'percentiles must be increasing numbers in [0, 100]');
    last = p;
    return p;
  });
}

/** The tips at `percentiles` of `txs` (tip = effective price − base fee), weighted by gas used. */
export function rewards(txs: EthTransactionRecord[], baseFee: bigint, percentiles: number[]): bigint[] {
  if (txs.length === 0) return percentiles.map(() => 0n);
  const tips = txs
    .map((t) => ({ tip: t.effectiveGasPrice > baseFee ? t.effectiveGasPrice - baseFee : 0n, gas: t.gasUsed }))
    .sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
  const total = tips.reduce((s, t) => s + t.gas, 0n);
  return percentiles.map((p) => {
    const threshold = (Number(total) * p) / 100;
    let sum = 0n;
    for (const t of tips) {
      sum += t.gas;
      if (Number(sum) >= threshold) return t.tip;
    }
    return tips[tips.length - 1]!.tip;
  });
}

/** `eth_feeHistory` over `b`; `baseFee` reads the current minimum gas price. */
export function feeHistoryMethods(b: Web3Backend, baseFee: () => Promise<bigint>): RpcMethods {
  return {
    eth_feeHistory: async ([count, newest, percentiles]) => {
      const n =
        typeof count === 'number' && Number.isSafeInteger(count) && count >= 0
          ? BigInt(count)
          : parseQuantity(count, 0);
      const wanted = parsePercentiles(percentiles);
      const last = blockNumberOf(b, parseBlockParam(newest, 1));
      const earliest = b.index.earliest();
      if (n === 0n || last === undefined || earliest === undefined)
        return { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [] };
      const span = n > MAX_BLOCKS ? MAX_BLOCKS : n;
      const oldest = last - span + 1n > earliest ? last - span + 1n : earliest;
      const fee = await baseFee();
      const baseFees: string[] = [];
      const ratios: number[] = [];
      const reward: string[][] = [];
      for (let i = oldest; i <= last; i++) {
        const blk = b.index.blockByNumber(i);
        baseFees.push(quantity(fee));
        ratios.push(
          blk === undefined || blk.gasLimit === 0n ? 0 : Number(blk.gasUsed) / Number(blk.gasLimit),
        );
        const txs = (blk?.transactions ?? []).flatMap((h) => b.index.transaction(h) ?? []);
        reward.push(rewards(txs, fee, wanted).map(quantity));
      }
      baseFees.push(quantity(fee));
      return {
        oldestBlock: quantity(oldest),
        baseFeePerGas: baseFees,
        gasUsedRatio: ratios,
        ...(wanted.length > 0 ? { reward } : {}),
      };
    },
  };
}

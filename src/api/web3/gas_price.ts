/** The runtime's minimum gas price (`core.MinGasPrice`, native denomination) at the newest indexed block. */
import { quantityFromBytes } from '../../codec/quantity.ts';
import type { Web3Backend } from './backend.ts';
import { stateBlock } from './block_tags.ts';
import { queryError } from './runtime_errors.ts';

/** The minimum price per gas a transaction must pay. */
export async function minGasPrice(b: Web3Backend): Promise<bigint> {
  let prices: unknown;
  try {
    prices = await b.runtimes.query(b.runtimeId, stateBlock(b, { tag: 'latest' }), 'core.MinGasPrice', null);
  } catch (err) {
    throw queryError(err);
  }
  if (prices instanceof Map)
    for (const [denomination, amount] of prices)
      if (denomination instanceof Uint8Array && denomination.length === 0 && amount instanceof Uint8Array)
        return quantityFromBytes(amount);
  return 0n;
}

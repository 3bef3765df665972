/**
 * Gas accounting for consensus transactions. A transaction may use at most `fee.gas` gas, and never more
 * than what is left of the block's `max_block_gas`; running out aborts the method with a plain
 * "out of gas" error (uncoded in oasis-core, so it surfaces as `unknown`/1).
 */
import { type Codec, mapCodec, textCodec, u64Codec } from '../../codec/typed.ts';
import { CodedError } from '../../errors.ts';

/** Gas costs per operation name (`transfer`, `tx_byte`, …), as genesis `gas_costs` maps them. */
export type GasCosts = Readonly<Record<string, bigint>>;

/** The `gas_costs` map of every service's parameters: operation name → gas (JSON object, sorted keys). */
export const gasCostsCodec: Codec<Map<string, bigint>> = mapCodec(textCodec, u64Codec);

/** Gas costs as the gas meter reads them, from their wire map. */
export function gasCostsOf(costs: ReadonlyMap<string, bigint>): GasCosts {
  return Object.fromEntries(costs);
}

/** Error module oasis-core reports for errors without a registered code. */
export const UNKNOWN_MODULE = 'unknown';

/** The uncoded error raised when a transaction exhausts its gas. */
export function outOfGasError(): CodedError {
  return new CodedError(UNKNOWN_MODULE, 1, 'out of gas');
}

/** A gas budget shared by one transaction and, optionally, the block it is in. */
export class GasMeter {
  #used = 0n;
  readonly limit: bigint;
  readonly #block: GasMeter | undefined;

  constructor(limit: bigint, block?: GasMeter) {
    this.limit = limit;
    this.#block = block;
  }

  /** Gas used so far. */
  get used(): bigint {
    return this.#used;
  }

  /** Gas still available (the tighter of this meter and the block's). */
  get remaining(): bigint {
    const own = this.limit - this.#used;
    if (this.#block === undefined) return own;
    const block = this.#block.remaining;
    // biome-ignore lint/complexity/useMathMinMax: bigint operands
    return block < own ? block : own;
  }

  /** Charges `amount` gas; throws "out of gas" (charging nothing) when it does not fit. */
  use(amount: bigint): void {
    if (amount < 0n) throw new RangeError('negative gas');
    if (amount > this.remaining) throw outOfGasError();
    this.#used += amount;
    this.#block?.use(amount);
  }

  /** Charges `times` × the cost of `op` (an op missing from `costs` costs nothing). */
  useOp(times: bigint, op: string, costs: GasCosts): void {
    const cost = costs[op];
    if (cost === undefined || cost === 0n || times === 0n) return;
    this.use(cost * times);
  }
}

/** Largest gas value (u64), the budget of contexts that are not metered. */
export const UNLIMITED_GAS = (1n << 64n) - 1n;

/**
 * runtime-sdk's `consensus` module as the bridging methods use it: the consensus layer counts in base
 * units (9 decimals) while a ParaTime may count finer (the EVM ParaTime in wei, 18 decimals), related by
 * the `consensus_scaling_factor` (a power of ten). An amount moving out must scale down exactly: a
 * remainder is not representable on the consensus layer and is refused with the SDK's error, not rounded.
 */
import { CodedError } from '../../../errors.ts';

/** runtime-sdk `consensus` module. */
export const CONSENSUS_MODULE = 'consensus';

/** Its error codes (runtime-sdk `modules::consensus::Error`). */
export const ConsensusErrorCode = Object.freeze({
  invalidArgument: 1,
  invalidDenomination: 2,
  consensusIncompatibleSigner: 4,
  amountNotRepresentable: 5,
});

/** Decimals of the consensus layer's token (1 token = 10^9 base units). */
export const CONSENSUS_DECIMALS = 9;

/** A `consensus` module error. */
export function consensusError(code: number, message: string): CodedError {
  return new CodedError(CONSENSUS_MODULE, code, message);
}

/** Refuses a scaling factor the SDK refuses (zero, or not a power of ten). */
export function checkScalingFactor(factor: bigint): bigint {
  if (factor <= 0n) throw new RangeError('consensus scaling factor set to zero');
  let rest = factor;
  while (rest % 10n === 0n) rest /= 10n;
  if (rest !== 1n) throw new RangeError('consensus scaling factor is not a power of 10');
  return factor;
}

/** Decimals of a ParaTime's native denomination under `factor` (9 plus the factor's zeros). */
export function runtimeDecimals(factor: bigint): number {
  return CONSENSUS_DECIMALS + checkScalingFactor(factor).toString().length - 1;
}

/** A consensus amount (base units) in runtime units. */
export function amountFromConsensus(amount: bigint, factor: bigint): bigint {
  return amount * factor;
}

/** A runtime amount in consensus base units; consensus/5 when it does not divide exactly. */
export function amountToConsensus(amount: bigint, factor: bigint): bigint {
  if (amount % factor !== 0n)
    throw consensusError(
      ConsensusErrorCode.amountNotRepresentable,
      `amount not representable: ${amount} is not a multiple of ${factor}`,
    );
  return amount / factor;
}

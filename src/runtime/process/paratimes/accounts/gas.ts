/**
 * Gas accounting for one transaction: the signer buys `fee.gas` units up front (paying the fee), the
 * transaction's size and signatures cost gas before the method runs, and the method draws on what is
 * left; running out fails the call with runtime-sdk's core out-of-gas error.
 */
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import type { VerifiedTransaction } from '../../sdk/transaction.ts';
import { GasCosts } from './params.ts';

/** Gas a transaction costs before its method runs: its bytes and its signatures. */
export function intrinsicGas(tx: VerifiedTransaction): bigint {
  return BigInt(tx.size) * GasCosts.txByte + BigInt(tx.signers.length) * GasCosts.authSignature;
}

/** Tracks gas used against the transaction's limit. */
export class GasMeter {
  readonly limit: bigint;
  #used = 0n;

  constructor(limit: bigint) {
    this.limit = limit;
  }

  /** Gas used so far. */
  get used(): bigint {
    return this.#used;
  }

  /** Charges `amount`; throws core/12 when it would exceed the limit (nothing is charged then). */
  use(amount: bigint): void {
    if (this.#used + amount > this.limit) {
      throw coreError(
        CoreErrorCode.outOfGas,
        `out of gas (limit ${this.limit}, wanted ${this.#used + amount})`,
      );
    }
    this.#used += amount;
  }
}

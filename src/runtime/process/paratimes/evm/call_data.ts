/**
 * How an EVM ParaTime reads calldata and hands back results: as they are on a plain EVM, or (on a
 * confidential one) opened from an encrypted envelope with the result sealed for the caller. The EVM
 * paths (transactions, simulations, estimates) take an opener and never know which.
 */

/** Calldata ready to run, and how its successful output is to be returned. */
export interface OpenedCallData {
  data: Uint8Array;
  /** The bytes to return for a successful run's output. */
  seal(output: Uint8Array): Uint8Array;
}

/** Opens calldata; throws a coded error (core 18) when it is a bad envelope. */
export type CallDataOpener = (data: Uint8Array) => Promise<OpenedCallData>;

/** Calldata as it is. */
export const plainCallData: CallDataOpener = async (data) => ({ data, seal: (output) => output });

/** How queries are run on this EVM. */
export interface QueryMode {
  open: CallDataOpener;
  /** Run simulations and estimates with a zero caller whatever `from` says (Sapphire). */
  zeroCaller: boolean;
}

/** A plain EVM's queries. */
export const PLAIN_QUERIES: QueryMode = Object.freeze({ open: plainCallData, zeroCaller: false });

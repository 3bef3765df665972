/**
 * The transaction pipeline, in oasis-core's order (`abci/transaction.go`): size limit → open and verify
 * the envelope → find the method → authenticate and pay the fee (kept even if the method fails) →
 * charge `tx_byte` gas → enforce `min_gas_price` → run the method atomically → (CheckTx) debit the fee
 * in the check state.
 */
import {
  ConsensusErrors,
  type OpenedTransaction,
  openSignedTransaction,
  TxErrors,
} from '../../consensus/api/transaction.ts';
import type { ServiceContext } from './context.ts';
import { GAS_OP_TX_BYTE, type TxPipelineParameters } from './params.ts';
import type { ConsensusService, TransactionAuthHandler } from './service.ts';

/** What the pipeline needs from the mux. */
export interface PipelineDeps {
  chainContext: string;
  servicesByMethod: ReadonlyMap<string, ConsensusService>;
  authHandler: TransactionAuthHandler | undefined;
}

/** Steps 1–2: size check, envelope decode, signature verification, strict tx decode. */
export function decodeTx(
  raw: Uint8Array,
  params: TxPipelineParameters,
  chainContext: string,
): OpenedTransaction {
  if (params.maxTxSize > 0 && raw.length > params.maxTxSize) throw ConsensusErrors.oversizedTx();
  return openSignedTransaction(raw, chainContext);
}

/** Implied gas price: floor(amount / gas), 0 when either is 0 (oasis-core `Fee.GasPrice`). */
export function gasPrice(amount: bigint, gas: bigint): bigint {
  return amount === 0n || gas === 0n ? 0n : amount / gas;
}

/**
 * Steps 3–8 for an opened transaction. `ctx` is the transaction's outer context: auth writes (fee, nonce)
 * go straight into its state; the method runs in a nested context and leaves nothing behind on failure.
 * Returns the service that executed it.
 */
export function processTx(
  ctx: ServiceContext,
  opened: OpenedTransaction,
  rawLength: number,
  params: TxPipelineParameters,
  deps: PipelineDeps,
): ConsensusService {
  const { tx } = opened;
  const service = deps.servicesByMethod.get(tx.method);
  if (service === undefined) throw TxErrors.methodNotSupported(`mux: unknown method: ${tx.method}`);

  deps.authHandler?.authenticateTx(ctx, tx);

  ctx.gas.useOp(BigInt(rawLength), GAS_OP_TX_BYTE, params.gasCosts);

  if (params.minGasPrice > 0n) {
    const price = tx.fee === undefined ? 0n : gasPrice(tx.fee.amount, tx.fee.gas);
    if (tx.fee === undefined || price < params.minGasPrice) throw TxErrors.gasPriceTooLow();
  }

  ctx.nested((inner) => service.executeTx(inner, tx.method, tx.body));

  if (ctx.isCheckOnly) deps.authHandler?.postExecuteTx(ctx, tx);
  return service;
}

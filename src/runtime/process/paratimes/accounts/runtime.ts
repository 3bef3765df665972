/**
 * The accounts ParaTime as a `RuntimeApp`: genesis and chain binding from the handshake, the previous
 * round's message outcomes and incoming consensus messages (deposits) before transactions, then each
 * transaction through the pipeline.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { RhpErrorCode, rhpError } from '../../../protocol/errors.ts';
import type {
  BlockContext,
  CheckTxResult,
  RuntimeExecuteTxBatchRequest,
  RuntimeInfoRequest,
  WriteLogEntry,
} from '../../../protocol/types.ts';
import type { BatchOutcome, RuntimeApp } from '../../sdk/app.ts';
import { runtimeSignatureContext } from '../../sdk/transaction.ts';
import { VerifiedTxCache } from '../../sdk/verify_cache.ts';
import { beginBatch, endBatch } from './batch_bounds.ts';
import { checkTx, executeTx, type TxEnvironment } from './dispatch.ts';
import { accountsGenesis, decodeAccountsConfig } from './genesis.ts';
import { ACCOUNTS_SCALING_FACTOR } from './params.ts';
import { accountsQuery } from './queries.ts';

/** The reference accounts ParaTime. */
export class AccountsRuntime implements RuntimeApp {
  readonly version = Object.freeze({ major: 0, minor: 1 });
  #env: TxEnvironment | null = null;

  init(info: RuntimeInfoRequest): WriteLogEntry[] {
    const config = decodeAccountsConfig(info.local_config);
    this.#env = {
      verifier: new VerifiedTxCache(runtimeSignatureContext(info.runtime_id, info.consensus_chain_context)),
      minGasPrice: config.minGasPrice,
      version: this.version,
      scalingFactor: ACCOUNTS_SCALING_FACTOR,
    };
    return accountsGenesis(config);
  }

  checkTx(state: StateReader, raw: Uint8Array, block: BlockContext): CheckTxResult {
    return checkTx(this.#environment(), state, raw, block);
  }

  executeBatch(state: StateWriter, request: RuntimeExecuteTxBatchRequest): BatchOutcome {
    const env = this.#environment();
    const batch = beginBatch(state, request, env.scalingFactor);
    const outcomes = request.inputs.map((raw) => executeTx(env, state, raw, request.round, batch.budget));
    endBatch(state, batch);
    return {
      results: outcomes.map((o) => o.result),
      events: outcomes.map((o) => o.events),
      blockEvents: batch.blockEvents,
      messages: batch.budget.emitted,
      inMessagesProcessed: request.in_msgs.length,
    };
  }

  query(state: StateReader, method: string, args: CborValue): CborValue {
    return accountsQuery(this.#environment(), state, method, args);
  }

  #environment(): TxEnvironment {
    if (this.#env === null) throw rhpError(RhpErrorCode.handshake, 'runtime not initialized');
    return this.#env;
  }
}

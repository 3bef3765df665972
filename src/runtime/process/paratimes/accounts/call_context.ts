/**
 * What a transaction method runs with, shared by the accounts and consensus-accounts methods: the write
 * buffer, the verified transaction and its caller, the gas meter, the ParaTime's consensus scaling, and
 * the outlets for consensus messages and events.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import type { Decoder } from '../../../../codec/schema.ts';
import type { Address } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateWriter } from '../../../../state/api.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { VerifiedTransaction } from '../../sdk/transaction.ts';
import type { GasMeter } from './gas.ts';
import type { MessageHook } from './message_hooks.ts';

/** What a method may touch. */
export interface CallContext {
  state: StateWriter;
  tx: VerifiedTransaction;
  /** The first signer: who pays and whose tokens move. */
  caller: Address;
  gas: GasMeter;
  /** Runtime units per consensus base unit (runtime-sdk `consensus_scaling_factor`). */
  scalingFactor: bigint;
  /**
   * Emits a consensus message, with the hook that finishes it once the consensus layer has run it; throws
   * core/6 when the transaction or batch has no slot left.
   */
  emitMessage(message: CborValue, hook?: MessageHook): void;
  /** Emits an event (kept only if the call succeeds). */
  emitEvent(event: RuntimeEvent): void;
}

/** A method: decode the body, then act; returns the CallResult `ok` value. */
export type Method = (ctx: CallContext) => CborValue;

/** Decodes a call body; a malformed one is `module`/`code` (the module's invalid-argument error). */
export function decodeBody<T>(decoder: Decoder<T>, body: CborValue, module: string, code: number): T {
  try {
    return decoder(body, 'body');
  } catch (err) {
    throw new CodedError(module, code, `invalid call body: ${(err as Error).message}`);
  }
}

/**
 * What a round must finish once the consensus layer has run the messages it emitted (runtime-sdk's
 * message hooks): a user-signed `consensus.Deposit` emits a staking `withdraw` from the user's consensus
 * account and may credit the user here only after that withdrawal succeeded; a `consensus.Withdraw` holds
 * the tokens in the pending-withdrawal account until the consensus transfer is done (then burns them) or
 * refused (then refunds them). A batch stores one hook per
 * such message, by the message's index; the next batch reads them with the messages' outcomes (the
 * roothash's last round results), acts, and removes them, so each hook runs exactly once.
 */
import { concatBytes, utf8 } from '../../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../../../codec/quantity.ts';
import { arrayOf, bytes, struct, text, u64, uint } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE, type Address } from '../../../../crypto/address.ts';
import type { StateWriter } from '../../../../state/api.ts';
import { CONSENSUS_ACCOUNTS_MODULE } from './params.ts';

/** The hook of a user-signed deposit (runtime-sdk `consensus.WithdrawIntoRuntime`). */
export const DEPOSIT_HOOK = 'consensus.WithdrawIntoRuntime';

/** The hook of a withdrawal (runtime-sdk `consensus.TransferFromRuntime`). */
export const WITHDRAW_HOOK = 'consensus.TransferFromRuntime';

/**
 * A deposit or withdrawal waiting for the consensus layer (runtime-sdk `ConsensusWithdrawContext`,
 * `ConsensusTransferContext`).
 */
export interface MessageHook {
  /** The hook's handler. */
  kind: typeof DEPOSIT_HOOK | typeof WITHDRAW_HOOK;
  /** Where the tokens come from: the consensus account (deposit) or the runtime account (withdrawal). */
  from: Address;
  /** The signer's nonce of the transaction, identifying it in the outcome event. */
  nonce: bigint;
  /** Where they go: the runtime account (deposit) or the consensus account (withdrawal). */
  to: Address;
  /** Runtime units moved. */
  amount: bigint;
}

/** A hook with the index of its message in the batch. */
export interface IndexedHook extends MessageHook {
  index: number;
}

const HOOKS_KEY = concatBytes(utf8(CONSENSUS_ACCOUNTS_MODULE), Uint8Array.of(0x01));

const hooksDecoder = arrayOf(
  struct({
    index: uint,
    kind: text,
    from: bytes(ADDRESS_SIZE),
    nonce: u64,
    to: bytes(ADDRESS_SIZE),
    amount: quantity,
  }),
);

/** Stores the hooks of a batch's messages (none: nothing stored). */
export function storeHooks(state: StateWriter, hooks: readonly IndexedHook[]): void {
  if (hooks.length === 0) return;
  state.set(
    HOOKS_KEY,
    encodeCanonical(
      hooks.map((h) => ({
        index: h.index,
        kind: h.kind,
        from: h.from,
        nonce: h.nonce,
        to: h.to,
        amount: quantityToBytes(h.amount),
      })),
    ),
  );
}

/** Takes (reads and removes) the hooks the previous batch stored. */
export function takeHooks(state: StateWriter): IndexedHook[] {
  const raw = state.get(HOOKS_KEY);
  if (raw === undefined) return [];
  state.remove(HOOKS_KEY);
  return hooksDecoder(decodeCanonical(raw), 'message hooks').map((h) => ({
    ...h,
    kind: h.kind as MessageHook['kind'],
  }));
}

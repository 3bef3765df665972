/**
 * The accounts module's events as runtime-sdk emits them (client-rt decodes them): Transfer and Burn,
 * emitted by transfers, withdrawals and their settlement.
 */
import { quantityToBytes } from '../../../../codec/quantity.ts';
import type { Address } from '../../../../crypto/address.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import { ACCOUNTS_MODULE, AccountsEventCode, NATIVE_DENOMINATION } from './params.ts';

/** `accounts.Transfer {from, to, amount}`. */
export function transferEvent(
  from: Address,
  to: Address,
  amount: bigint,
  denomination: Uint8Array = NATIVE_DENOMINATION,
): RuntimeEvent {
  return {
    module: ACCOUNTS_MODULE,
    code: AccountsEventCode.transfer,
    body: { from, to, amount: [quantityToBytes(amount), denomination] },
  };
}

/** `accounts.Burn {owner, amount}` of native tokens. */
export function burnEvent(owner: Address, amount: bigint): RuntimeEvent {
  return {
    module: ACCOUNTS_MODULE,
    code: AccountsEventCode.burn,
    body: { owner, amount: [quantityToBytes(amount), NATIVE_DENOMINATION] },
  };
}

/**
 * Outgoing runtime messages (`go/roothash/api/message`): what a round asks the consensus layer to do on
 * the runtime's behalf (staking transfers and withdrawals from the runtime's account), the hash the
 * executors commit to, and the per-message results recorded when the round finalizes.
 */
import { type CborValue, encodeCanonical } from '../../../codec/cbor.ts';
import {
  bytesCodec,
  field,
  optionalCodec,
  quantityField,
  structCodec,
  textCodec,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { EMPTY_HASH, sha512_256 } from '../../../crypto/hash.ts';

/** SHA-512/256 of the CBOR list, or of nothing when the list is empty (oasis-core's messages hash). */
export function messagesHash(messages: readonly CborValue[]): Uint8Array {
  return messages.length === 0 ? EMPTY_HASH : sha512_256(encodeCanonical(messages));
}

const transferCodec = structCodec({ to: field(addressCodec), amount: quantityField(false) });
const withdrawCodec = structCodec({ from: field(addressCodec), amount: quantityField(false) });

/** A staking message (`message.StakingMessage`, version 0): exactly one operation. */
export const stakingMessageCodec = structCodec({
  // cbor.Versioned's `v` has no omitempty: a version-0 message carries `v: 0`, and the messages hash
  // the runtime committed to covers it.
  v: field(withDefault(uintCodec, () => 0)),
  transfer: field(optionalCodec(transferCodec), true),
  withdraw: field(optionalCodec(withdrawCodec), true),
});

/** A runtime message (`message.Message`); only staking messages are executed here. */
export const runtimeMessageCodec = structCodec({
  staking: field(optionalCodec(stakingMessageCodec), true),
});

/** A runtime message (wire field names). */
export type RuntimeMessage = ReturnType<typeof runtimeMessageCodec.decode>;

/** True when the message names exactly one known operation. */
export function isWellFormedMessage(m: RuntimeMessage): boolean {
  const s = m.staking;
  if (s === undefined || s.v !== 0) return false;
  return (s.transfer === undefined) !== (s.withdraw === undefined);
}

/** The outcome of one executed message (`roothash.MessageEvent`); success has no module and code 0. */
export const messageEventCodec = structCodec({
  module: field(
    withDefault(textCodec, () => ''),
    true,
  ),
  code: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  index: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  result: field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  ),
});

/** A message result. */
export type MessageEvent = ReturnType<typeof messageEventCodec.decode>;

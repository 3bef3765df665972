/**
 * Outgoing runtime messages (`go/roothash/api/message`): what a round asks the consensus layer to do on
 * the runtime's behalf (staking transfers, withdrawals, escrow and reclaim from the runtime's account;
 * updates of its own descriptor; governance votes and proposals by it), the hash the
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
import { proposalContentCodec, proposalVoteCodec } from '../../governance/api/proposal.ts';
import { type Runtime, runtimeCodec } from '../../registry/api/runtime.ts';

/** SHA-512/256 of the CBOR list, or of nothing when the list is empty (oasis-core's messages hash). */
export function messagesHash(messages: readonly CborValue[]): Uint8Array {
  return messages.length === 0 ? EMPTY_HASH : sha512_256(encodeCanonical(messages));
}

const transferCodec = structCodec({ to: field(addressCodec), amount: quantityField(false) });
const withdrawCodec = structCodec({ from: field(addressCodec), amount: quantityField(false) });
const addEscrowCodec = structCodec({ account: field(addressCodec), amount: quantityField(false) });
const reclaimEscrowCodec = structCodec({ account: field(addressCodec), shares: quantityField(false) });
// cbor.Versioned's `v` has no omitempty: a version-0 message carries `v: 0`, and the messages hash
// the runtime committed to covers it.
const versionField = () => field(withDefault(uintCodec, () => 0));

/** A staking message (`message.StakingMessage`, version 0): exactly one operation. */
export const stakingMessageCodec = structCodec({
  v: versionField(),
  transfer: field(optionalCodec(transferCodec), true),
  withdraw: field(optionalCodec(withdrawCodec), true),
  add_escrow: field(optionalCodec(addEscrowCodec), true),
  reclaim_escrow: field(optionalCodec(reclaimEscrowCodec), true),
});

/** A governance message (`message.GovernanceMessage`, version 0): a vote or a proposal. */
export const governanceMessageCodec = structCodec({
  v: versionField(),
  cast_vote: field(optionalCodec(proposalVoteCodec), true),
  submit_proposal: field(optionalCodec(proposalContentCodec), true),
});

/** A registry message (`message.RegistryMessage`, version 0): the runtime updates its own descriptor. */
export const registryMessageCodec = structCodec({
  v: versionField(),
  update_runtime: field(optionalCodec(runtimeCodec), true),
});

/** A runtime message (`message.Message`): exactly one of staking, registry and governance. */
export const runtimeMessageCodec = structCodec({
  staking: field(optionalCodec(stakingMessageCodec), true),
  registry: field(optionalCodec(registryMessageCodec), true),
  governance: field(optionalCodec(governanceMessageCodec), true),
});

/** A runtime message (wire field names). */
export type RuntimeMessage = ReturnType<typeof runtimeMessageCodec.decode>;

const exactlyOne = (...ops: unknown[]) => ops.filter((o) => o !== undefined).length === 1;

/** True when the message is of exactly one kind and names exactly one known operation of it. */
export function isWellFormedMessage(m: RuntimeMessage): boolean {
  const { staking: s, registry: r, governance: g } = m;
  if (!exactlyOne(s, r, g)) return false;
  if (s !== undefined) return s.v === 0 && exactlyOne(s.transfer, s.withdraw, s.add_escrow, s.reclaim_escrow);
  if (r !== undefined) return r.v === 0 && r.update_runtime !== undefined;
  return g!.v === 0 && exactlyOne(g!.cast_vote, g!.submit_proposal);
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

type StakingMessage = NonNullable<RuntimeMessage['staking']>;
type GovernanceMessage = NonNullable<RuntimeMessage['governance']>;

/** A version-0 staking message with the one operation in `op`. */
export function stakingMessage(op: Partial<Omit<StakingMessage, 'v'>>): RuntimeMessage {
  const none = { transfer: undefined, withdraw: undefined, add_escrow: undefined, reclaim_escrow: undefined };
  return { staking: { v: 0, ...none, ...op }, registry: undefined, governance: undefined };
}

/** A version-0 governance message with the one operation in `op`. */
export function governanceMessage(op: Partial<Omit<GovernanceMessage, 'v'>>): RuntimeMessage {
  return {
    staking: undefined,
    registry: undefined,
    governance: { v: 0, cast_vote: undefined, submit_proposal: undefined, ...op },
  };
}

/** A version-0 registry message updating the runtime's descriptor to `rt`. */
export function updateRuntimeMessage(rt: Runtime): RuntimeMessage {
  return { staking: undefined, registry: { v: 0, update_runtime: rt }, governance: undefined };
}

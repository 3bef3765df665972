/**
 * Incoming message helpers for roothash tests: a chain whose runtime takes incoming messages, SubmitMsg
 * bodies, queuing messages from several callers in one block, and finalizing a round that processed
 * some of them.
 */
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import {
  type IncomingMessage,
  inMessagesHash,
  submitMsgBodyCodec,
} from '../../../src/services/roothash/api/incoming.ts';
import { RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import { addr, key, type RegistryChain } from '../registry/fixture.ts';
import { expectOk } from '../registry/helpers.ts';
import {
  type ChainOptions,
  commitment,
  committeeNodes,
  nextScheduler,
  RUNTIME,
  roothashChain,
  submit,
} from './fixture.ts';

/** The runtime's `staking.min_in_message_fee`. */
export const MIN_FEE = 10n;
/** The `data` every test message carries: an accounts-ParaTime deposit call. */
export const DEPOSIT = encodeCanonical({ method: 'consensus.Deposit', body: { to: addr(2) } });

/** A chain in epoch 1 whose runtime queues at most `maxQueued` incoming messages (fee ≥ MIN_FEE). */
export function queueChain(maxQueued = 3, over: ChainOptions = {}): RegistryChain {
  const c = roothashChain({
    params: { max_in_runtime_messages: 8 },
    runtime: (rt) => {
      rt.txn_scheduler.max_in_messages = maxQueued;
      rt.staking.min_in_message_fee = MIN_FEE;
    },
    ...over,
  });
  c.advanceToEpoch(1n);
  return c;
}

/** The CBOR body of `roothash.SubmitMsg` (defaults: this runtime, no tag, MIN_FEE, 100 tokens). */
export function submitBody(over: { id?: Uint8Array; tag?: bigint; fee?: bigint; tokens?: bigint } = {}) {
  return submitMsgBodyCodec.encode({
    id: over.id ?? RUNTIME,
    tag: over.tag ?? 0n,
    fee: over.fee ?? MIN_FEE,
    tokens: over.tokens ?? 100n,
    data: DEPOSIT,
  });
}

/** Queues one message from each signer (entity numbers) in a single block; tag = position + 1. */
export function queueFrom(c: RegistryChain, signers: number[], tokens = 100n): void {
  const out = c.block(
    signers.map((s, i) =>
      c.sign(key(s), RoothashMethods.submitMsg, submitBody({ tag: BigInt(i + 1), tokens })),
    ),
  );
  for (const r of out.results) expectOk(r);
}

/** What a round that processed `msgs` commits to. */
export const processed = (msgs: IncomingMessage[]) => ({ count: msgs.length, hash: inMessagesHash(msgs) });

/** Commits results that processed `inMsgs` from all workers of the next round (one transaction). */
export function finalizeWith(c: RegistryChain, inMsgs: { count: number; hash: Uint8Array }) {
  const scheduler = nextScheduler(c);
  return submit(
    c,
    committeeNodes(c).workers.map((w) => commitment(c, w, { scheduler, inMsgs })),
  ).results[0]!;
}

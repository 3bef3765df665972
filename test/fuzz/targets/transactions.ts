/**
 * Consensus transactions as they arrive from clients and peers: the signed envelope, the transaction inside
 * it, and every method body the consensus services decode.
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import type { Codec } from '../../../src/codec/typed.ts';
import {
  encodeSignedTransaction,
  encodeTransaction,
  openSignedTransaction,
  signTransaction,
  type Transaction,
  transactionDecoder,
} from '../../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { decodeVRFProve, vrfProveCodec } from '../../../src/services/beacon/api/methods.ts';
import { GovernanceBodies } from '../../../src/services/governance/api/methods.ts';
import { proposalContentCodec, proposalVoteCodec } from '../../../src/services/governance/api/proposal.ts';
import { RegistryBodies } from '../../../src/services/registry/api/methods.ts';
import { decodeEvidenceBody, evidenceBodyCodec } from '../../../src/services/roothash/api/evidence.ts';
import { decodeRoothashBody, submitMsgBodyCodec } from '../../../src/services/roothash/api/incoming.ts';
import {
  decodeExecutorCommitBody,
  executorCommitBodyCodec,
} from '../../../src/services/roothash/api/methods.ts';
import { BodyCodecs, BodyDecoders, decodeBody } from '../../../src/services/staking/api/methods.ts';
import { type FuzzTarget, sameAfterRoundTrip, valueOrOurs } from '../harness.ts';

/** Chain context the envelopes are signed for. */
export const FUZZ_CHAIN = 'fuzz-chain-context';
/** Largest envelope the node accepts from a client (mempool limit order of magnitude). */
const MAX_TX_BYTES = 32 * 1024;

const signer = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
const to = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(8)).publicKey);

function sampleTxs(): Transaction[] {
  return [
    {
      nonce: 0n,
      method: 'staking.Transfer',
      fee: { amount: 10n, gas: 1000n },
      body: { to, amount: quantityToBytes(5n) },
    },
    { nonce: (1n << 64n) - 1n, method: 'staking.Burn', body: { amount: quantityToBytes(1n) } },
    { nonce: 3n, method: 'registry.DeregisterEntity' },
    { nonce: 4n, method: 'governance.CastVote', body: { id: 1n, vote: 1 } },
  ];
}

/** Re-encoding an opened transaction decodes to the same transaction. */
function roundTripTx(tx: Transaction): void {
  sameAfterRoundTrip(tx, transactionDecoder(decodeCanonical(encodeTransaction(tx)), 'tx'), 'transaction');
}

/** The signed envelope, from raw bytes: decoding, signature check, transaction decoding. */
export const txEnvelope: FuzzTarget = {
  name: 'tx-envelope',
  seeds: () => sampleTxs().map((tx) => encodeSignedTransaction(signTransaction(signer, tx, FUZZ_CHAIN))),
  check(data) {
    const opened = valueOrOurs(() => openSignedTransaction(data, FUZZ_CHAIN, MAX_TX_BYTES));
    if (opened !== undefined) roundTripTx(opened.tx);
  },
};

/** The transaction inside an envelope (what a valid signature lets through). */
export const txPayload: FuzzTarget = {
  name: 'tx-payload',
  seeds: () => sampleTxs().map(encodeTransaction),
  check(data) {
    const tx = valueOrOurs(() => transactionDecoder(decodeCanonical(data, MAX_TX_BYTES), 'tx'));
    if (tx !== undefined) roundTripTx(tx);
  },
};

/** A method body decoder as its service calls it, and the codec that re-encodes what it accepted. */
interface BodyDecoder {
  method: string;
  decode(body: CborValue | undefined): unknown;
  codec?: Codec<unknown>;
}

const staking = (method: string, key: keyof typeof BodyCodecs): BodyDecoder => ({
  method,
  decode: (b) => decodeBody(BodyDecoders[key] as (v: CborValue, p: string) => unknown, b),
  codec: BodyCodecs[key] as Codec<unknown>,
});

/** Every consensus method body decoder, in a fixed order (the input's first byte picks one). */
export const BODY_DECODERS: readonly BodyDecoder[] = [
  staking('staking.Transfer', 'transfer'),
  staking('staking.Burn', 'burn'),
  staking('staking.AddEscrow', 'escrow'),
  staking('staking.ReclaimEscrow', 'reclaimEscrow'),
  staking('staking.AmendCommissionSchedule', 'amendCommissionSchedule'),
  staking('staking.Allow', 'allow'),
  staking('staking.Withdraw', 'withdraw'),
  { method: 'registry.RegisterEntity', decode: RegistryBodies.registerEntity },
  { method: 'registry.RegisterNode', decode: RegistryBodies.registerNode },
  { method: 'registry.UnfreezeNode', decode: RegistryBodies.unfreezeNode },
  { method: 'registry.RegisterRuntime', decode: RegistryBodies.registerRuntime },
  { method: 'registry.ProveFreshness', decode: RegistryBodies.proveFreshness },
  {
    method: 'governance.SubmitProposal',
    decode: GovernanceBodies.submitProposal,
    codec: proposalContentCodec as Codec<unknown>,
  },
  {
    method: 'governance.CastVote',
    decode: GovernanceBodies.castVote,
    codec: proposalVoteCodec as Codec<unknown>,
  },
  {
    method: 'roothash.ExecutorCommit',
    decode: decodeExecutorCommitBody,
    codec: executorCommitBodyCodec as Codec<unknown>,
  },
  { method: 'roothash.Evidence', decode: decodeEvidenceBody, codec: evidenceBodyCodec as Codec<unknown> },
  {
    method: 'roothash.SubmitMsg',
    decode: (b) => decodeRoothashBody(submitMsgBodyCodec, b),
    codec: submitMsgBodyCodec as Codec<unknown>,
  },
  { method: 'beacon.VRFProve', decode: decodeVRFProve, codec: vrfProveCodec as Codec<unknown> },
];

/** `[decoder index][canonical CBOR body]`: an empty rest is an absent body. */
export const methodBody: FuzzTarget = {
  name: 'method-body',
  seeds: () => {
    const bodies: [number, unknown][] = [
      [0, { to, amount: quantityToBytes(5n) }],
      [1, { amount: quantityToBytes(0n) }],
      [5, { beneficiary: to, negative: true, amount_change: quantityToBytes(3n) }],
      [11, new Uint8Array(32)],
      [13, { id: 1n, vote: 2 }],
      [16, { id: new Uint8Array(32), tag: 1n }],
      [17, { epoch: 2n, pi: new Uint8Array(80) }],
    ];
    return bodies.map(([i, b]) => Uint8Array.of(i, ...encodeCanonical(b)));
  },
  check(data) {
    if (data.length === 0) return;
    const d = BODY_DECODERS[data[0]! % BODY_DECODERS.length]!;
    const rest = data.subarray(1);
    const body = rest.length === 0 ? undefined : valueOrOurs(() => decodeCanonical(rest, MAX_TX_BYTES));
    if (rest.length > 0 && body === undefined) return;
    const decoded = valueOrOurs(() => d.decode(body));
    if (decoded === undefined || d.codec === undefined) return;
    const reencoded = encodeCanonical(d.codec.encode(decoded));
    sameAfterRoundTrip(decoded, d.decode(decodeCanonical(reencoded)), d.method);
  },
};

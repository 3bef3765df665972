/**
 * staking.Transfer through the full mux pipeline (size check, envelope decode, Ed25519 verification,
 * auth + fee, gas, method in a nested overlay) on one core over the in-memory state, next to the raw
 * Ed25519 verification rate measured in the same run; prints the ratio. Run:
 *   node --import tsx --import ./src/polyfill.ts bench/services/transfer.bench.ts
 * BENCH_TXS (default 20000) and BENCH_BLOCK (default 1000) size the run.
 */
import { performance } from 'node:perf_hooks';
import { toHex, utf8 } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import { encodeSignedTransaction, signTransaction } from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Contexts, fullContext, signerMessage } from '../../src/crypto/context.ts';
import { Ed25519KeyPair, verifyRaw } from '../../src/crypto/ed25519.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { signedDecoder } from '../../src/crypto/signature.ts';
import { fixedIntervalEpochs } from '../../src/services/mux/epoch.ts';
import { ServiceMux } from '../../src/services/mux/mux.ts';
import { staticPipelineParameters } from '../../src/services/mux/params.ts';
import { emptyAccount, THRESHOLD_KINDS } from '../../src/services/staking/api/account.ts';
import { hexOf } from '../../src/services/staking/api/address.ts';
import { defaultStakingParameters } from '../../src/services/staking/api/params.ts';
import { stakingAuthHandler } from '../../src/services/staking/auth.ts';
import { StakingService } from '../../src/services/staking/service.ts';
import { memoryState } from '../../src/state/overlay.ts';
import { reportRow } from '../report.ts';

const TXS = Number(process.env.BENCH_TXS ?? 20_000);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 1000);
const SENDERS = 1000;
const CHAIN = toHex(sha512_256(utf8('oasis-ts transfer bench')));

const keys = Array.from({ length: SENDERS }, (_, i) => {
  const seed = new Uint8Array(32);
  seed.set(sha512_256(utf8(`sender ${i}`)));
  return Ed25519KeyPair.fromSeed(seed);
});

const params = defaultStakingParameters();
for (const k of THRESHOLD_KINDS) params.thresholds.set(k, 1n);
params.gasCosts = { transfer: 1000n };
params.minTransfer = 1n;
params.feeSplitWeightVote = 1n;
params.feeSplitWeightPropose = 1n;
const ledger = new Map(
  keys.map((k) => {
    const a = emptyAccount();
    a.general.balance = 1_000_000_000n;
    return [hexOf(addressFromPublicKey(k.publicKey)), a];
  }),
);
const genesis = {
  params,
  tokenSymbol: 'BENCH',
  tokenValueExponent: 9,
  totalSupply: 1_000_000_000n * BigInt(SENDERS),
  commonPool: 0n,
  lastBlockFees: 0n,
  governanceDeposits: 0n,
  ledger,
  delegations: new Map(),
  debondingDelegations: new Map(),
};

const mux = new ServiceMux({
  services: [new StakingService()],
  authHandler: stakingAuthHandler,
  epochs: fixedIntervalEpochs(1_000_000),
  chainContext: CHAIN,
  parameters: staticPipelineParameters({
    maxTxSize: 32768,
    maxBlockGas: 0n,
    minGasPrice: 0n,
    gasCosts: { tx_byte: 1n },
  }),
});
const state = memoryState();
mux.initChain(state, 0, 0, { staking: genesis });

// Pre-sign (not timed): round-robin senders, increasing nonces, random-ish recipients.
const raws: Uint8Array[] = [];
for (let i = 0; i < TXS; i++) {
  const s = i % SENDERS;
  const to = addressFromPublicKey(keys[(i * 7 + 1) % SENDERS]!.publicKey);
  const tx = {
    nonce: BigInt(Math.floor(i / SENDERS)),
    fee: { amount: 10n, gas: 5000n },
    method: 'staking.Transfer',
    body: { to, amount: quantityToBytes(5n) },
  };
  raws.push(encodeSignedTransaction(signTransaction(keys[s]!, tx, CHAIN)));
}

// Full pipeline.
let failed = 0;
const t0 = performance.now();
for (let i = 0, h = 1; i < TXS; i += BLOCK, h++) {
  const out = mux.executeBlock(state, {
    height: h,
    time: 0,
    proposer: new Uint8Array(32),
    lastCommit: [],
    misbehavior: [],
    txs: raws.slice(i, i + BLOCK),
  });
  for (const r of out.txResults) if (r.error) failed++;
}
const pipelineMs = performance.now() - t0;
if (failed > 0) throw new Error(`${failed} transactions failed`);

// Raw Ed25519 verification of the same signatures (pre-hash computed outside the timed loop).
const ctx = fullContext(Contexts.transaction, CHAIN);
const items = raws.map((raw) => {
  const signed = signedDecoder(decodeCanonical(raw), 's');
  return {
    pk: signed.signature.public_key,
    msg: signerMessage(ctx, signed.untrusted_raw_value),
    sig: signed.signature.signature,
  };
});
const t1 = performance.now();
for (const it of items) if (!verifyRaw(it.pk, it.msg, it.sig)) throw new Error('bad signature');
const verifyMs = performance.now() - t1;

const txRate = (TXS * 1000) / pipelineMs;
const verifyRate = (TXS * 1000) / verifyMs;
console.log(
  `staking.Transfer via mux: ${TXS} txs in ${pipelineMs.toFixed(0)} ms = ${txRate.toFixed(0)} tx/s (blocks of ${BLOCK})`,
);
console.log(
  `raw Ed25519 verify:       ${TXS} sigs in ${verifyMs.toFixed(0)} ms = ${verifyRate.toFixed(0)} verify/s`,
);
console.log(`ratio pipeline/verify:    ${(txRate / verifyRate).toFixed(3)}`);
reportRow({
  bench: 'transfer',
  case: 'staking.Transfer via the mux, one core, in memory',
  perSecond: txRate,
  unit: 'tx/s',
  cpuPerItemUs: (pipelineMs * 1000) / TXS,
  verifyPerSecond: verifyRate,
});
const overheadUs = (pipelineMs - verifyMs) * (1000 / TXS);
console.log(`per-tx cost beyond the signature check: ${overheadUs.toFixed(1)} µs`);

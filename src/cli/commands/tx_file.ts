/**
 * Offline transaction generation shared by every `gen_*` command, as oasis-node's `cmd/common/consensus`:
 * the same flags (`--transaction.file|nonce|fee.gas|fee.amount|unsigned`, `--genesis.file`, `--signer.dir`,
 * `--assume_yes`), the chain context from the genesis file, the entity key as signer, and the signed
 * transaction saved as Go's `json.MarshalIndent` of the `SignedTransaction` (or, with
 * `--transaction.unsigned`, the raw CBOR of the transaction). Also reads those files back for
 * `consensus submit_tx|estimate_gas|show_tx`.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { type CborValue, decodeCanonical } from '../../codec/cbor.ts';
import { goJsonStringify } from '../../codec/json.ts';
import {
  encodeTransaction,
  type Fee,
  signTransaction,
  type Transaction,
  transactionDecoder,
  type UnsignedTransaction,
} from '../../consensus/api/transaction.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import type { Signed } from '../../crypto/signature.ts';
import { loadRoleKey } from '../../crypto/signer/file_signer.ts';
import { parseJsonFile, signedFromJson, signedToJson } from '../../crypto/signer/json_files.ts';
import { chainContextOf, type GenesisDocument, readGenesisFile } from '../../genesis/document.ts';
import { parseUint64Flag } from '../flags.ts';
import { formatAmountWithBase, parseAmount, type TokenInfo } from './amounts.ts';
import { print } from './output.ts';

/** Parsed flag values of a command (commander keeps dotted flag names as keys). */
export type Opts = Record<string, string | boolean | string[] | undefined>;

/** Everything a generator needs before it builds its body. */
export interface TxSetup {
  genesis: GenesisDocument;
  chainContext: string;
  token: TokenInfo;
  nonce: bigint;
  fee: Fee;
}

/** Adds oasis-node's transaction flags to a `gen_*` command. */
export function addTxFlags(cmd: Command): Command {
  return cmd
    .option('--transaction.file <path>', 'path to the transaction (written)')
    .option('--transaction.nonce <n>', 'nonce of the signing account', '0')
    .option('--transaction.fee.gas <n>', 'maximum transaction gas limit', '0')
    .option(
      '--transaction.fee.amount <amount>',
      'transaction fee (base units, or tokens: 0.1 / 0.1 SYM)',
      '0',
    )
    .option('--transaction.unsigned', 'write the unsigned transaction (CBOR) instead of signing it')
    .option('-g, --genesis.file <path>', 'path to genesis file', 'genesis.json')
    .option('--signer.dir <dir>', 'directory with the entity key (default: the working directory)')
    .option('--signer.backend <backend>', 'signer backend (only "file")', 'file')
    .option('-y, --assume_yes', 'automatically assume yes for all questions');
}

/** The token of a genesis document. */
export function tokenOf(genesis: GenesisDocument): TokenInfo {
  return { symbol: genesis.staking.token_symbol, exponent: genesis.staking.token_value_exponent };
}

/** Validates the common flags and reads the genesis file (nothing is written yet). */
export function txSetup(opts: Opts): TxSetup {
  if (typeof opts['transaction.file'] !== 'string' || opts['transaction.file'] === '') {
    throw new Error('--transaction.file: required (where to write the transaction)');
  }
  const nonce = parseUint64Flag(opts['transaction.nonce'] as string, '--transaction.nonce');
  const gas = parseUint64Flag(opts['transaction.fee.gas'] as string, '--transaction.fee.gas');
  const genesis = readGenesisFile(opts['genesis.file'] as string);
  const token = tokenOf(genesis);
  const amount = parseAmount(opts['transaction.fee.amount'] as string, '--transaction.fee.amount', token);
  if (gas === 0n && opts['transaction.unsigned'] !== true)
    process.stderr.write(
      'warning: --transaction.fee.gas is 0, so the transaction will run out of gas; ' +
        'estimate it with `oasis-ts consensus estimate_gas` (on an --transaction.unsigned file)\n',
    );
  return { genesis, chainContext: chainContextOf(genesis), token, nonce, fee: { amount, gas } };
}

/** The entity key from `--signer.dir` (file backend, as oasis-node's `LoadEntitySigner`). */
export function loadEntitySigner(opts: Opts): Ed25519KeyPair {
  const backend = opts['signer.backend'] ?? 'file';
  if (backend !== 'file') {
    throw new Error(`--signer.backend: unsupported backend ${JSON.stringify(backend)} (only "file")`);
  }
  return loadRoleKey((opts['signer.dir'] as string | undefined) ?? process.cwd(), 'entity');
}

async function confirmed(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = (await rl.question('\nAre you sure you want to continue? (y)es/(n)o: ')).toLowerCase();
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
    }
  } finally {
    rl.close();
  }
}

/**
 * Signs `tx` with the entity key and writes it to `--transaction.file` (or writes the unsigned CBOR with
 * `--transaction.unsigned`). `summary` lines describe the body for the operator, who is asked to confirm
 * when stdin is a terminal and `--assume_yes` is not given.
 */
export async function signAndSaveTx(
  opts: Opts,
  setup: TxSetup,
  tx: UnsignedTransaction,
  summary: string[],
): Promise<void> {
  const file = opts['transaction.file'] as string;
  if (opts['transaction.unsigned']) {
    writeFileSync(file, encodeTransaction(tx), { mode: 0o600 });
    return;
  }
  const signer = loadEntitySigner(opts);
  print('You are about to sign the following transaction:\n');
  print(`  Method: ${tx.method}\n  Nonce:  ${tx.nonce}\n`);
  print(
    `  Fee:    ${tx.fee ? `${formatAmountWithBase(tx.fee.amount, setup.token)} for up to ${tx.fee.gas} gas` : 'none'}\n`,
  );
  for (const line of summary) print(`  ${line}\n`);
  print(`  Chain context: ${setup.chainContext}\n`);
  if (process.stdin.isTTY && !opts.assume_yes && !(await confirmed())) {
    throw new Error('aborted: transaction not signed');
  }
  const signed = signTransaction(signer, tx, setup.chainContext);
  writeFileSync(file, goJsonStringify(signedToJson(signed)), { mode: 0o600 });
}

/** A transaction file as written by `gen_*`: the envelope and its (not yet verified) transaction. */
export interface SignedTxFile {
  signed: Signed;
  /** The transaction decoded from the envelope (signature not checked). */
  tx: Transaction;
  /** The transaction's CBOR value, as `EstimateGas` embeds it. */
  txValue: CborValue;
}

function readBytes(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${flag}: ${path}: ${code === 'ENOENT' ? 'does not exist' : (err as Error).message}`);
  }
}

function decodeTxValue(raw: Uint8Array, where: string): { tx: Transaction; txValue: CborValue } {
  try {
    const txValue = decodeCanonical(raw);
    return { tx: transactionDecoder(txValue, 'tx'), txValue };
  } catch (err) {
    throw new Error(`${where}: not a valid transaction: ${(err as Error).message}`);
  }
}

/** The flag naming a transaction file. */
export const TX_FILE_FLAG = '--transaction.file';

/** Reads a signed transaction file (JSON `SignedTransaction`), checking its shape and its transaction. */
export function readSignedTxFile(path: string): SignedTxFile {
  const where = `${TX_FILE_FLAG}: ${path}`;
  const text = readBytes(path, TX_FILE_FLAG).toString('utf8');
  let signed: Signed;
  try {
    signed = signedFromJson(parseJsonFile(text, where), where);
  } catch (err) {
    throw new Error(`${(err as Error).message} (expected a signed transaction as gen_* writes it)`);
  }
  return { signed, ...decodeTxValue(signed.untrusted_raw_value, where) };
}

/**
 * Reads a transaction file of either kind: a signed one (JSON, as `gen_*` writes it) or an unsigned one
 * (raw CBOR, as `--transaction.unsigned` writes it). A CBOR transaction never starts with `{`.
 */
export function readAnyTxFile(
  path: string,
): ({ kind: 'signed' } & SignedTxFile) | ({ kind: 'unsigned' } & UnsignedTxFile) {
  const bytes = readBytes(path, TX_FILE_FLAG);
  if (bytes.toString('utf8', 0, 64).trimStart().startsWith('{'))
    return { kind: 'signed', ...readSignedTxFile(path) };
  return { kind: 'unsigned', ...decodeTxValue(bytes, `${TX_FILE_FLAG}: ${path}`) };
}

/** An unsigned transaction file's content. */
export type UnsignedTxFile = { tx: Transaction; txValue: CborValue };

/**
 * `oasis-ts consensus submit_tx|estimate_gas|show_tx`, as oasis-node's `consensus` group: submit a signed
 * transaction file to the node (`oasis-core.Consensus/SubmitTx`, which returns once the transaction is in
 * a block or failed), ask the node how much gas a transaction needs (`EstimateGas {signer, transaction}`),
 * and show a transaction file offline after checking its signature against a genesis file.
 */
import type { Command } from 'commander';
import type { NodeClient } from '../../api/grpc_client.ts';
import { toHex } from '../../codec/bytes.ts';
import { encodeCanonical } from '../../codec/cbor.ts';
import {
  encodeSignedTransaction,
  openSignedTransaction,
  transactionHashHex,
} from '../../consensus/api/transaction.ts';
import { addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import { chainContextOf, readGenesisFile } from '../../genesis/document.ts';
import { parsePublicKeyFlag } from '../flags.ts';
import { formatAmountWithBase } from './amounts.ts';
import { cborToPrettyJson } from './cbor_json.ts';
import { addClientFlags, ask, withNode } from './node_client.ts';
import { print } from './output.ts';
import { type Opts, readAnyTxFile, readSignedTxFile, TX_FILE_FLAG, tokenOf } from './tx_file.ts';

const CONSENSUS = 'oasis-core.Consensus';

/** How long `submit_tx` waits for the node (it answers when the transaction is in a block). */
const SUBMIT_TIMEOUT_MS = 5 * 60_000;

function txFileOf(opts: Opts): string {
  const file = opts['transaction.file'];
  if (typeof file !== 'string' || file === '') throw new Error(`${TX_FILE_FLAG}: required`);
  return file;
}

/** The node's refusal, plus what to do about the refusals users hit first (too little gas, wrong network). */
async function explainRefusal(c: NodeClient, err: Error, fee: { gas: bigint } | undefined): Promise<Error> {
  if (/out of gas/.test(err.message)) {
    const gas = fee?.gas ?? 0n;
    return new Error(
      `${err.message}; fee.gas ${gas} is too low: estimate it with \`oasis-ts consensus estimate_gas\` and sign again`,
    );
  }
  if (/signature verification failed/.test(err.message)) {
    const context = await c.call<string>(CONSENSUS, 'GetChainContext').catch(() => undefined);
    if (context !== undefined)
      return new Error(
        `${err.message}; the node's chain context is ${context}: was the transaction signed with that network's genesis file?`,
      );
  }
  return err;
}

async function submitTx(opts: Opts): Promise<void> {
  const { signed, tx } = readSignedTxFile(txFileOf(opts));
  const hash = transactionHashHex(encodeSignedTransaction(signed));
  await withNode(opts, async (c) => {
    try {
      await ask(c, CONSENSUS, 'SubmitTx', signed, `submit transaction ${hash}`, SUBMIT_TIMEOUT_MS);
    } catch (err) {
      throw await explainRefusal(c, err as Error, tx.fee);
    }
  });
  print(`transaction ${hash} included\n`);
}

/** The `EstimateGas` request for a transaction file: a signed file names its signer, an unsigned one needs the flag. */
export function estimateGasRequest(opts: Opts): { signer: Uint8Array; transaction: unknown } {
  const signerFlag = opts['consensus.signer_pub'] as string | undefined;
  const signerPub =
    signerFlag === undefined ? undefined : parsePublicKeyFlag(signerFlag, '--consensus.signer_pub');
  const file = readAnyTxFile(txFileOf(opts));
  if (file.kind === 'signed') {
    return { signer: signerPub ?? file.signed.signature.public_key, transaction: file.txValue };
  }
  if (signerPub === undefined) {
    throw new Error('--consensus.signer_pub: required for an unsigned transaction file (base64 public key)');
  }
  return { signer: signerPub, transaction: file.txValue };
}

async function estimateGas(opts: Opts): Promise<void> {
  const request = estimateGasRequest(opts);
  const gas = await withNode(opts, (c) =>
    ask<number | bigint>(c, CONSENSUS, 'EstimateGas', request, 'estimate gas'),
  );
  print(`${gas}\n`);
}

function showTx(opts: Opts): void {
  const file = txFileOf(opts);
  const genesis = readGenesisFile(opts['genesis.file'] as string);
  const { signed } = readSignedTxFile(file);
  const raw = encodeSignedTransaction(signed);
  let opened: ReturnType<typeof openSignedTransaction>;
  try {
    opened = openSignedTransaction(raw, chainContextOf(genesis));
  } catch (err) {
    throw new Error(
      `${TX_FILE_FLAG}: ${file}: ${(err as Error).message} (for the chain of ${opts['genesis.file']})`,
    );
  }
  const token = tokenOf(genesis);
  const { tx } = opened;
  const lines = [
    `Hash: ${toHex(opened.hash)}`,
    `Signer: ${addressToBech32(addressFromPublicKey(opened.signer))}`,
    `Method: ${tx.method}`,
    `Nonce: ${tx.nonce}`,
    `Fee: ${tx.fee ? `${formatAmountWithBase(tx.fee.amount, token)}, gas ${tx.fee.gas}` : 'none'}`,
    `Body: ${tx.body === undefined ? 'none' : cborToPrettyJson(tx.body).trimEnd()}`,
    `Size: ${encodeCanonical(signed).length} bytes`,
  ];
  print(`${lines.join('\n')}\n`);
}

/** Registers the `consensus` command group. */
export function registerConsensusCommands(program: Command): void {
  const consensus = program.command('consensus').description('consensus backend commands');
  const fileFlag = (cmd: Command) => cmd.option('--transaction.file <path>', 'path to the transaction');
  addClientFlags(
    fileFlag(consensus.command('submit_tx').description('submit a pre-signed transaction')),
  ).action((opts: Opts) => submitTx(opts));
  addClientFlags(
    fileFlag(consensus.command('estimate_gas').description('estimate how much gas a transaction will use')),
  )
    .option(
      '--consensus.signer_pub <base64>',
      'public key of the signer (needed for an unsigned transaction)',
    )
    .action((opts: Opts) => estimateGas(opts));
  fileFlag(consensus.command('show_tx').description('show the content of a pre-signed transaction'))
    .option('-g, --genesis.file <path>', 'path to genesis file', 'genesis.json')
    .action((opts: Opts) => showTx(opts));
}

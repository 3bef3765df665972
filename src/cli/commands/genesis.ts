/**
 * `oasis-ts genesis …`: build, validate and dump genesis documents (as oasis-node's `genesis init|check|dump`;
 * `dump` asks a node for the state at a height as a genesis document, to start a new chain from it).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addressFromBech32 } from '../../crypto/address.ts';
import { multiSignedFromJson, parseJsonFile, signedFromJson } from '../../crypto/signer/json_files.ts';
import { buildGenesis, type GenesisAccount } from '../../genesis/builder.ts';
import {
  chainContextOf,
  genesisDocumentCodec,
  readGenesisFile,
  writeGenesisFile,
} from '../../genesis/document.ts';
import { collect, parseUint64Flag } from '../flags.ts';
import { addClientFlags, ask, withNode } from './node_client.ts';
import { print } from './output.ts';
import type { Opts } from './tx_file.ts';

/** Parses a balances file: `{"oasis1…": "amount"}` or `{"oasis1…": {"general": "…", "escrow": "…"}}`. */
export function parseBalances(text: string, where: string): GenesisAccount[] {
  const json = parseJsonFile(text, where);
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`${where}: expected an object of addresses`);
  const amount = (v: unknown, path: string): bigint => {
    if (typeof v !== 'string' || !/^(0|[1-9][0-9]*)$/.test(v))
      throw new Error(`${path}: expected a decimal amount string`);
    return BigInt(v);
  };
  return Object.entries(json as Record<string, unknown>).map(([addr, v]) => {
    const path = `${where}: ${addr}`;
    let address: Uint8Array;
    try {
      address = addressFromBech32(addr);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`);
    }
    if (typeof v === 'string') return { address, general: amount(v, path) };
    if (!v || typeof v !== 'object') throw new Error(`${path}: expected an amount or {general, escrow}`);
    const { general, escrow, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new Error(`${path}: unknown field ${Object.keys(rest)[0]}`);
    return {
      address,
      general: general === undefined ? 0n : amount(general, `${path}.general`),
      escrow: escrow === undefined ? 0n : amount(escrow, `${path}.escrow`),
    };
  });
}

/** Loads every service to check a whole genesis; only the commands that check pay for it. */
async function checkGenesis(doc: Parameters<typeof chainContextOf>[0]): Promise<void> {
  (await import('../../node/genesis_check.ts')).checkGenesis(doc);
}

function positiveInt(value: string, flag: string): number {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new Error(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Registers the `genesis` command group. */
export function registerGenesisCommands(program: Command): void {
  const genesis = program.command('genesis').description('genesis document utilities');
  genesis
    .command('check')
    .description('validate a genesis file and print its chain context')
    .requiredOption('--genesis.file <path>', 'genesis file')
    .action(async (opts: Record<string, string>) => {
      const doc = readGenesisFile(opts['genesis.file']!);
      await checkGenesis(doc);
      print(`${chainContextOf(doc)}\n`);
    });
  addClientFlags(
    genesis.command('dump').description("write the node's state at --height as a genesis document"),
  )
    .requiredOption('--genesis.file <path>', 'genesis file to write (must not exist)')
    .option('--height <n>', 'height to dump (0 = latest)', '0')
    .action(async (opts: Opts) => {
      const height = Number(parseUint64Flag(opts.height as string, '--height'));
      const value = await withNode(opts, (c) =>
        ask(
          c,
          'oasis-core.Consensus',
          'StateToGenesis',
          height,
          `dump the state at height ${height || 'latest'}`,
        ),
      );
      const doc = genesisDocumentCodec.decode(value as never, 'genesis');
      writeGenesisFile(opts['genesis.file'] as string, doc);
      print(`${chainContextOf(doc)}\n`);
    });
  genesis
    .command('init')
    .description('build a genesis file from entity/node descriptors and a balances file')
    .requiredOption('--genesis.file <path>', 'genesis file to write (must not exist)')
    .requiredOption('--chain.id <id>', 'human-readable chain ID')
    .option('--entity <path>', 'signed entity descriptor (entity_genesis.json); repeatable', collect, [])
    .option('--node <path>', 'signed node descriptor (node_genesis.json); repeatable', collect, [])
    .option('--balances <path>', 'JSON object of address → amount or {general, escrow}')
    .option('--initial_height <n>', 'height of the first block', '1')
    .option('--staking.token_symbol <symbol>', 'token symbol (A-Z)', 'TEST')
    .option('--beacon.insecure.interval <blocks>', 'epoch length in blocks', '20')
    .option('--consensus.timeout_commit_ms <ms>', 'wait after each commit', '1000')
    .action(async (opts: Record<string, string | string[]>) => {
      const out = opts['genesis.file'] as string;
      if (existsSync(out)) throw new Error(`--genesis.file: ${out} already exists, refusing to overwrite`);
      const read = (path: string) => readFileSync(path, 'utf8');
      const doc = buildGenesis({
        chainId: opts['chain.id'] as string,
        time: Math.floor(Date.now() / 1000),
        initialHeight: positiveInt(opts.initial_height as string, '--initial_height'),
        entities: (opts.entity as string[]).map((p) => signedFromJson(parseJsonFile(read(p), p), p)),
        nodes: (opts.node as string[]).map((p) => multiSignedFromJson(parseJsonFile(read(p), p), p)),
        accounts: opts.balances ? parseBalances(read(opts.balances as string), opts.balances as string) : [],
        tokenSymbol: opts['staking.token_symbol'] as string,
        epochInterval: positiveInt(opts['beacon.insecure.interval'] as string, '--beacon.insecure.interval'),
        timeoutCommitMs: positiveInt(
          opts['consensus.timeout_commit_ms'] as string,
          '--consensus.timeout_commit_ms',
        ),
      });
      await checkGenesis(doc);
      writeGenesisFile(out, doc);
      print(`${chainContextOf(doc)}\n`);
    });
}

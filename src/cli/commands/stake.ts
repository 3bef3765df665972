/**
 * `oasis-ts stake …`: staking utilities, as oasis-node's `stake` group: `pubkey2address` (offline),
 * `info` and `list` (over the node's socket), and the `account` subgroup (`stake_account.ts`).
 */
import type { Command } from 'commander';
import type { NodeClient } from '../../api/grpc_client.ts';
import { stringifyJson } from '../../codec/json.ts';
import { quantityFromBytes } from '../../codec/quantity.ts';
import { addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import { CodedError } from '../../errors.ts';
import { STAKING_MODULE } from '../../services/staking/api/errors.ts';
import { THRESHOLD_KIND_NAMES } from '../../services/staking/api/names.ts';
import { parsePublicKeyFlag } from '../flags.ts';
import { formatAmountWithBase, type TokenInfo } from './amounts.ts';
import {
  addClientFlags,
  ask,
  describeNodeError,
  nodeToken,
  pinnedLatestHeight,
  withNode,
} from './node_client.ts';
import { print } from './output.ts';
import { parseFormat, registerStakeAccountCommands } from './stake_account.ts';
import type { Opts } from './tx_file.ts';

const STAKING = 'oasis-core.Staking';

/** Thresholds `stake info` shows, in oasis-node's order (observer nodes have none in oasis-core). */
const INFO_THRESHOLDS = [
  'entity',
  'node-validator',
  'node-compute',
  'node-keymanager',
  'runtime-compute',
  'runtime-keymanager',
  'keymanager-churp',
] as const;

/** The network-wide staking figures `stake info` shows. */
export interface StakingInfo {
  token: TokenInfo;
  totalSupply: bigint;
  commonPool: bigint;
  lastBlockFees: bigint;
  governanceDeposits: bigint;
  /** Threshold amounts by kind name; kinds the network does not define are left out. */
  thresholds: Array<[string, bigint]>;
}

async function amountAt(client: NodeClient, height: number, method: string, what: string): Promise<bigint> {
  return quantityFromBytes(await ask<Uint8Array>(client, STAKING, method, height, `query ${what}`), what);
}

/** Reads the staking figures at the latest height. */
export async function fetchStakingInfo(client: NodeClient): Promise<StakingInfo> {
  const height = await pinnedLatestHeight(client);
  const thresholds: Array<[string, bigint]> = [];
  for (const name of INFO_THRESHOLDS) {
    const kind = THRESHOLD_KIND_NAMES[name];
    try {
      const q = await client.call<Uint8Array>(STAKING, 'Threshold', { height, kind });
      thresholds.push([name, quantityFromBytes(q, name)]);
    } catch (err) {
      // Kinds the parameters leave out are reported as staking/6 (invalid threshold) and skipped.
      if (CodedError.is(err, STAKING_MODULE, 6)) continue;
      throw new Error(describeNodeError(`failed to query staking threshold (${name})`, err));
    }
  }
  return {
    token: await nodeToken(client, height),
    totalSupply: await amountAt(client, height, 'TotalSupply', 'total supply'),
    commonPool: await amountAt(client, height, 'CommonPool', 'common pool'),
    lastBlockFees: await amountAt(client, height, 'LastBlockFees', 'last block fees'),
    governanceDeposits: await amountAt(client, height, 'GovernanceDeposits', 'governance deposits'),
    thresholds,
  };
}

/** `stake info` as text (oasis-node's lines, with base units added). */
export function formatStakingInfo(i: StakingInfo): string {
  const amt = (x: bigint) => formatAmountWithBase(x, i.token);
  return [
    `Token's ticker symbol: ${i.token.symbol}`,
    `Token's value base-10 exponent: ${i.token.exponent}`,
    `Total supply: ${amt(i.totalSupply)}`,
    `Common pool: ${amt(i.commonPool)}`,
    `Last block fees: ${amt(i.lastBlockFees)}`,
    `Governance deposits: ${amt(i.governanceDeposits)}`,
    ...i.thresholds.map(([name, v]) => `Staking threshold (${name}): ${amt(v)}`),
    '',
  ].join('\n');
}

/** `stake info --format json`: amounts as decimal strings in base units. */
export function stakingInfoToJson(i: StakingInfo): string {
  return stringifyJson({
    token_symbol: i.token.symbol,
    token_value_exponent: i.token.exponent,
    total_supply: i.totalSupply.toString(),
    common_pool: i.commonPool.toString(),
    last_block_fees: i.lastBlockFees.toString(),
    governance_deposits: i.governanceDeposits.toString(),
    thresholds: Object.fromEntries(i.thresholds.map(([name, v]) => [name, v.toString()])),
  });
}

/** Registers the `stake` command group. */
export function registerStakeCommands(program: Command): void {
  const stake = program.command('stake').description('staking backend utilities');
  stake
    .command('pubkey2address')
    .description('print the staking account address of an entity/node public key')
    .requiredOption('--public_key <base64>', 'Ed25519 public key, base64')
    .action((opts: { public_key: string }) => {
      const key = parsePublicKeyFlag(opts.public_key, '--public_key');
      print(`${addressToBech32(addressFromPublicKey(key))}\n`);
    });
  addClientFlags(stake.command('info').description('query the common staking info'))
    .option('--format <format>', 'output format: text or json', 'text')
    .action(async (opts: Opts) => {
      const format = parseFormat(opts.format);
      const info = await withNode(opts, fetchStakingInfo);
      print(format === 'json' ? stakingInfoToJson(info) : formatStakingInfo(info));
    });
  addClientFlags(stake.command('list').description('list accounts')).action(async (opts: Opts) => {
    const addresses = await withNode(opts, async (c) =>
      ask<Uint8Array[]>(c, STAKING, 'Addresses', await pinnedLatestHeight(c), 'query addresses'),
    );
    print(addresses.map((a) => `${addressToBech32(a)}\n`).join(''));
  });
  registerStakeAccountCommands(stake);
}

/**
 * `oasis-ts stake account info|nonce|validate_address`: an account as the node's ledger holds it, read
 * over the node's socket (`oasis-core.Staking/Account`, `DelegationInfosFor`, `DebondingDelegationsFor`)
 * and shown in tokens and base units, or as JSON with `--format json`. The `gen_*` generators live in
 * `stake_tx.ts` and are registered here too.
 */
import type { Command } from 'commander';
import type { NodeClient } from '../../api/grpc_client.ts';
import type { CborValue } from '../../codec/cbor.ts';
import { stringifyJson } from '../../codec/json.ts';
import { quantity } from '../../codec/quantity.ts';
import { arrayOf, type Decoder, mapOf, optional, struct, u64 } from '../../codec/schema.ts';
import { type Address, addressFromBech32, addressToBech32 } from '../../crypto/address.ts';
import { type Account, accountCodec } from '../../services/staking/api/account.ts';
import { addressDecoder, addressOfHex } from '../../services/staking/api/address.ts';
import { parseAddressFlag, parseUint64Flag } from '../flags.ts';
import { formatAmountWithBase, type TokenInfo } from './amounts.ts';
import { addClientFlags, ask, nodeToken, pinnedLatestHeight, withNode } from './node_client.ts';
import { print } from './output.ts';
import { registerStakeTxCommands } from './stake_tx.ts';
import type { Opts } from './tx_file.ts';

const STAKING = 'oasis-core.Staking';

interface Pool {
  balance: bigint;
  totalShares: bigint;
}
const poolDecoder: Decoder<Pool> = (v, p) => {
  const d = struct({ balance: optional(quantity), total_shares: optional(quantity) })(v, p);
  return { balance: d.balance ?? 0n, totalShares: d.total_shares ?? 0n };
};
const delegationInfos = mapOf(addressDecoder, struct({ shares: quantity, pool: optional(poolDecoder) }));
const debondingDelegations = mapOf(addressDecoder, arrayOf(struct({ shares: quantity, debond_end: u64 })));

/** The stake a number of shares is worth in a pool (rounded down, as oasis-core's `StakeForShares`). */
export function stakeForShares(shares: bigint, pool: Pool | undefined): bigint {
  if (!pool || pool.totalShares === 0n) return 0n;
  return (shares * pool.balance) / pool.totalShares;
}

/** An account with what it has delegated, as `stake account info` shows it. */
export interface AccountView {
  address: Address;
  /** Height the data was read at (0 = the node's latest, when it could not tell which). */
  height: number;
  token: TokenInfo;
  account: Account;
  delegations: Array<{ escrow: Address; shares: bigint; amount: bigint }>;
  debonding: Array<{ escrow: Address; shares: bigint; amount: bigint; debondEnd: bigint }>;
}

function decodeReply<T>(decoder: Decoder<T>, value: unknown, what: string): T {
  try {
    return decoder(value as CborValue, what);
  } catch (err) {
    throw new Error(`node sent a malformed ${what}: ${(err as Error).message}`);
  }
}

/** Reads an account, its outgoing delegations and the token at `height` (0 = latest). */
export async function fetchAccountView(
  client: NodeClient,
  address: Address,
  height: number,
): Promise<AccountView> {
  const h = height === 0 ? await pinnedLatestHeight(client) : height;
  const query = { height: h, owner: address };
  const account = decodeReply(
    accountCodec.decode,
    await ask(client, STAKING, 'Account', query, 'query account'),
    'account',
  );
  const delegated = decodeReply(
    delegationInfos,
    await ask(client, STAKING, 'DelegationInfosFor', query, 'query delegations'),
    'delegation infos',
  );
  const debonding = decodeReply(
    debondingDelegations,
    await ask(client, STAKING, 'DebondingDelegationsFor', query, 'query debonding delegations'),
    'debonding delegations',
  );
  // Debonding shares are worth a part of each escrow account's debonding pool.
  const debondingPools = new Map<Address, Pool>();
  for (const [escrow] of debonding) {
    const owner = { height: h, owner: escrow };
    const reply = await ask(client, STAKING, 'Account', owner, 'query escrow account');
    debondingPools.set(escrow, decodeReply(accountCodec.decode, reply, 'escrow account').escrow.debonding);
  }
  return {
    address,
    height: h,
    token: await nodeToken(client, h),
    account,
    delegations: [...delegated].map(([escrow, d]) => ({
      escrow,
      shares: d.shares,
      amount: stakeForShares(d.shares, d.pool),
    })),
    debonding: [...debonding].flatMap(([escrow, list]) =>
      list.map((d) => ({
        escrow,
        shares: d.shares,
        amount: stakeForShares(d.shares, debondingPools.get(escrow)),
        debondEnd: d.debond_end,
      })),
    ),
  };
}

/** The human-readable account report (amounts in tokens and base units). */
export function formatAccountView(v: AccountView): string {
  const amt = (x: bigint) => formatAmountWithBase(x, v.token);
  const { general, escrow } = v.account;
  const lines = [`Account: ${addressToBech32(v.address)}`, `Height: ${v.height === 0 ? 'latest' : v.height}`];
  lines.push('General:', `  Balance: ${amt(general.balance)}`, `  Nonce: ${general.nonce}`);
  if (general.allowances.size > 0) {
    lines.push('  Allowances:');
    for (const [hex, a] of general.allowances)
      lines.push(`    - ${addressToBech32(addressOfHex(hex))}: ${amt(a)}`);
  }
  lines.push(
    'Escrow (stake delegated to this account):',
    `  Active: ${amt(escrow.active.balance)} (${escrow.active.totalShares} shares)`,
    `  Debonding: ${amt(escrow.debonding.balance)} (${escrow.debonding.totalShares} shares)`,
  );
  const cs = escrow.commissionSchedule;
  if (cs.rates.length > 0 || cs.bounds.length > 0) {
    lines.push(`  Commission schedule: ${cs.rates.length} rate step(s), ${cs.bounds.length} bound step(s)`);
  }
  if (escrow.claims.size > 0) lines.push(`  Stake claims: ${[...escrow.claims.keys()].join(', ')}`);
  if (v.delegations.length > 0) {
    lines.push('Delegations from this account:');
    for (const d of v.delegations) {
      lines.push(`  - ${addressToBech32(d.escrow)}: ${amt(d.amount)} (${d.shares} shares)`);
    }
  }
  if (v.debonding.length > 0) {
    lines.push('Debonding delegations from this account:');
    for (const d of v.debonding) {
      lines.push(
        `  - ${addressToBech32(d.escrow)}: ${amt(d.amount)} (${d.shares} shares, ends at epoch ${d.debondEnd})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON account report: addresses bech32, amounts as decimal strings in base units (as Go's JSON). */
export function accountViewToJson(v: AccountView): string {
  const q = (x: bigint) => x.toString();
  const pool = (p: Pool) => ({ balance: q(p.balance), total_shares: q(p.totalShares) });
  const { general, escrow } = v.account;
  return stringifyJson({
    address: addressToBech32(v.address),
    height: v.height,
    token: { symbol: v.token.symbol, value_exponent: v.token.exponent },
    general: {
      balance: q(general.balance),
      nonce: general.nonce,
      allowances: Object.fromEntries(
        [...general.allowances].map(([hex, a]) => [addressToBech32(addressOfHex(hex)), q(a)]),
      ),
    },
    escrow: {
      active: pool(escrow.active),
      debonding: pool(escrow.debonding),
      stake_claims: [...escrow.claims.keys()],
    },
    delegations: v.delegations.map((d) => ({
      escrow: addressToBech32(d.escrow),
      shares: q(d.shares),
      amount: q(d.amount),
    })),
    debonding_delegations: v.debonding.map((d) => ({
      escrow: addressToBech32(d.escrow),
      shares: q(d.shares),
      amount: q(d.amount),
      debond_end: d.debondEnd,
    })),
  });
}

/** Parses `--format` (text or json). */
export function parseFormat(value: unknown): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new Error(`--format: expected "text" or "json", got ${JSON.stringify(value)}`);
}

async function accountInfo(opts: Opts): Promise<void> {
  const address = parseAddressFlag(opts['stake.account.address'] as string, '--stake.account.address');
  const height = Number(parseUint64Flag((opts.height as string | undefined) ?? '0', '--height'));
  const format = parseFormat(opts.format);
  const view = await withNode(opts, (c) => fetchAccountView(c, address, height));
  print(format === 'json' ? accountViewToJson(view) : formatAccountView(view));
}

async function accountNonce(opts: Opts): Promise<void> {
  const owner = parseAddressFlag(opts['stake.account.address'] as string, '--stake.account.address');
  const account = await withNode(opts, async (c) =>
    decodeReply(
      accountCodec.decode,
      await ask(c, STAKING, 'Account', { height: 0, owner }, 'query account'),
      'account',
    ),
  );
  print(`${account.general.nonce}\n`);
}

function validateAddress(opts: Opts): void {
  const text = (opts['stake.account.address'] as string | undefined) ?? '';
  try {
    addressFromBech32(text);
  } catch (err) {
    // Valid addresses pass silently (scripts test the exit status, as with oasis-node); a bad one says why.
    process.stderr.write(`error: account address '${text}' is not valid: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (opts.verbose) print(`account address '${text}' is valid\n`);
}

/** Registers `stake account …` under the `stake` group. */
export function registerStakeAccountCommands(stake: Command): void {
  const account = stake.command('account').description('account management commands');
  const addressFlag = (cmd: Command) => cmd.option('--stake.account.address <address>', 'account address');
  addClientFlags(addressFlag(account.command('info').description('query account info')))
    .option('--height <n>', 'height at which to query (0 = latest)', '0')
    .option('--format <format>', 'output format: text or json', 'text')
    .action((opts: Opts) => accountInfo(opts));
  addClientFlags(addressFlag(account.command('nonce').description("query an account's nonce"))).action(
    (opts: Opts) => accountNonce(opts),
  );
  addressFlag(account.command('validate_address').description('validate an account address'))
    .option('-v, --verbose', 'say why the address is (not) valid')
    .action((opts: Opts) => validateAddress(opts));
  registerStakeTxCommands(account);
}

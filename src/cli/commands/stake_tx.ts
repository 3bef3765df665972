/**
 * `oasis-ts stake account gen_*`: offline staking transaction generators with oasis-node's flags
 * (`--stake.amount`, `--stake.transfer.destination`, `--stake.escrow.account`, `--stake.shares`,
 * `--stake.allow.beneficiary`, `--stake.allow.amount_change`, `--stake.withdraw.source`) plus the
 * common transaction flags. Bodies are built by the staking service's own encoders, so what we sign is
 * exactly what the service decodes.
 */
import type { Command } from 'commander';
import { addressToBech32 } from '../../crypto/address.ts';
import {
  COMMISSION_RATE_DENOMINATOR,
  type CommissionRateBoundStep,
  type CommissionRateStep,
} from '../../services/staking/api/commission.ts';
import { BodyEncoders, StakingMethods } from '../../services/staking/api/methods.ts';
import { collect, parseAddressFlag, parseUint64Flag } from '../flags.ts';
import { formatAmountWithBase, parseAmount, parseSignedAmount, type TokenInfo } from './amounts.ts';
import { addTxFlags, type Opts, signAndSaveTx, type TxSetup, txSetup } from './tx_file.ts';

/** One generator: its command name, extra flags, and how it turns flags into a method and body. */
interface Generator {
  name: string;
  description: string;
  /** `[flags, description, default]`; a default of `[]` makes the flag repeatable (comma lists allowed). */
  flags: Array<[flags: string, description: string, defaultValue?: string | string[]]>;
  build(opts: Opts, token: TokenInfo): { method: string; body: unknown; summary: string[] };
}

const AMOUNT_FLAG: Generator['flags'][number] = [
  '--stake.amount <amount>',
  'amount of stake (base units, or tokens: 1.5 / 1.5 SYM)',
  '0',
];

const str = (opts: Opts, key: string) => opts[key] as string | undefined;
const amountOf = (opts: Opts, token: TokenInfo) =>
  parseAmount(str(opts, 'stake.amount') ?? '0', '--stake.amount', token);

/** Splits `a/b[/c]` steps (oasis-node's `start_epoch/rate_numerator[/max_numerator]`) into integers. */
function steps(values: unknown, flag: string, parts: number, shape: string): bigint[][] {
  return ((values as string[] | undefined) ?? []).map((v) => {
    const fields = v.split('/');
    if (fields.length !== parts) throw new Error(`${flag}: expected ${shape}, got ${JSON.stringify(v)}`);
    return fields.map((f) => parseUint64Flag(f, `${flag} (${JSON.stringify(v)})`));
  });
}

const GENERATORS: Generator[] = [
  {
    name: 'gen_transfer',
    description: 'generate a transfer transaction',
    flags: [['--stake.transfer.destination <address>', 'transfer destination account address'], AMOUNT_FLAG],
    build(opts, token) {
      const to = parseAddressFlag(str(opts, 'stake.transfer.destination'), '--stake.transfer.destination');
      const amount = amountOf(opts, token);
      return {
        method: StakingMethods.transfer,
        body: BodyEncoders.transfer({ to, amount }),
        summary: [`To:     ${addressToBech32(to)}`, `Amount: ${formatAmountWithBase(amount, token)}`],
      };
    },
  },
  {
    name: 'gen_burn',
    description: 'generate a burn transaction',
    flags: [AMOUNT_FLAG],
    build(opts, token) {
      const amount = amountOf(opts, token);
      return {
        method: StakingMethods.burn,
        body: BodyEncoders.burn({ amount }),
        summary: [`Amount: ${formatAmountWithBase(amount, token)}`],
      };
    },
  },
  {
    name: 'gen_escrow',
    description: 'generate an escrow (stake) transaction',
    flags: [['--stake.escrow.account <address>', 'address of the escrow account'], AMOUNT_FLAG],
    build(opts, token) {
      const account = parseAddressFlag(str(opts, 'stake.escrow.account'), '--stake.escrow.account');
      const amount = amountOf(opts, token);
      return {
        method: StakingMethods.addEscrow,
        body: BodyEncoders.escrow({ account, amount }),
        summary: [`Escrow: ${addressToBech32(account)}`, `Amount: ${formatAmountWithBase(amount, token)}`],
      };
    },
  },
  {
    name: 'gen_reclaim_escrow',
    description: 'generate a reclaim_escrow (unstake) transaction',
    flags: [
      ['--stake.escrow.account <address>', 'address of the escrow account'],
      ['--stake.shares <shares>', 'amount of shares for the transaction', '0'],
    ],
    build(opts) {
      const account = parseAddressFlag(str(opts, 'stake.escrow.account'), '--stake.escrow.account');
      const sharesText = str(opts, 'stake.shares') ?? '0';
      if (!/^[0-9]+$/.test(sharesText)) {
        throw new Error(
          `--stake.shares: expected a non-negative integer number of shares, got ${JSON.stringify(sharesText)}`,
        );
      }
      const shares = BigInt(sharesText);
      return {
        method: StakingMethods.reclaimEscrow,
        body: BodyEncoders.reclaimEscrow({ account, shares }),
        summary: [`Escrow: ${addressToBech32(account)}`, `Shares: ${shares}`],
      };
    },
  },
  {
    name: 'gen_amend_commission_schedule',
    description: 'generate an amend_commission_schedule transaction',
    flags: [
      [
        '--stake.commission_schedule.rates <start/rate>',
        `commission rate step(s): start_epoch/rate_numerator (rate = numerator / ${COMMISSION_RATE_DENOMINATOR})`,
        [],
      ],
      [
        '--stake.commission_schedule.bounds <start/min/max>',
        'commission rate bound step(s): start_epoch/rate_min_numerator/rate_max_numerator',
        [],
      ],
    ],
    build(opts) {
      const rates: CommissionRateStep[] = steps(
        opts['stake.commission_schedule.rates'],
        '--stake.commission_schedule.rates',
        2,
        'start_epoch/rate_numerator',
      ).map(([start, rate]) => ({ start: start!, rate: rate! }));
      const bounds: CommissionRateBoundStep[] = steps(
        opts['stake.commission_schedule.bounds'],
        '--stake.commission_schedule.bounds',
        3,
        'start_epoch/rate_min_numerator/rate_max_numerator',
      ).map(([start, rateMin, rateMax]) => ({ start: start!, rateMin: rateMin!, rateMax: rateMax! }));
      const pct = (r: bigint) => `${Number(r) / Number(COMMISSION_RATE_DENOMINATOR / 100n)}%`;
      return {
        method: StakingMethods.amendCommissionSchedule,
        body: BodyEncoders.amendCommissionSchedule({ amendment: { rates, bounds } }),
        summary: [
          ...rates.map((r) => `Rate from epoch ${r.start}: ${pct(r.rate)}`),
          ...bounds.map((b) => `Bounds from epoch ${b.start}: ${pct(b.rateMin)} - ${pct(b.rateMax)}`),
        ],
      };
    },
  },
  {
    name: 'gen_allow',
    description: 'generate an allow transaction',
    flags: [
      ['--stake.allow.beneficiary <address>', 'allowance beneficiary address'],
      ['--stake.allow.amount_change <amount>', 'allowance change (base units or tokens; "-" decreases)', '0'],
    ],
    build(opts, token) {
      const beneficiary = parseAddressFlag(str(opts, 'stake.allow.beneficiary'), '--stake.allow.beneficiary');
      const { negative, amount } = parseSignedAmount(
        str(opts, 'stake.allow.amount_change') ?? '0',
        '--stake.allow.amount_change',
        token,
      );
      return {
        method: StakingMethods.allow,
        body: BodyEncoders.allow({ beneficiary, negative, amountChange: amount }),
        summary: [
          `Beneficiary: ${addressToBech32(beneficiary)}`,
          `Change:      ${negative ? '-' : '+'}${formatAmountWithBase(amount, token)}`,
        ],
      };
    },
  },
  {
    name: 'gen_withdraw',
    description: 'generate a withdraw transaction',
    flags: [['--stake.withdraw.source <address>', 'withdraw source address'], AMOUNT_FLAG],
    build(opts, token) {
      const from = parseAddressFlag(str(opts, 'stake.withdraw.source'), '--stake.withdraw.source');
      const amount = amountOf(opts, token);
      return {
        method: StakingMethods.withdraw,
        body: BodyEncoders.withdraw({ from, amount }),
        summary: [`From:   ${addressToBech32(from)}`, `Amount: ${formatAmountWithBase(amount, token)}`],
      };
    },
  },
];

async function generate(gen: Generator, opts: Opts): Promise<void> {
  const setup: TxSetup = txSetup(opts);
  const { method, body, summary } = gen.build(opts, setup.token);
  await signAndSaveTx(opts, setup, { nonce: setup.nonce, fee: setup.fee, method, body }, summary);
}

/** Registers the `gen_*` staking transaction generators under `stake account`. */
export function registerStakeTxCommands(account: Command): void {
  for (const gen of GENERATORS) {
    const cmd = account.command(gen.name).description(gen.description);
    for (const [flags, description, defaultValue] of gen.flags) {
      if (Array.isArray(defaultValue)) cmd.option(flags, description, collect, defaultValue);
      else cmd.option(flags, description, defaultValue);
    }
    addTxFlags(cmd).action((opts: Opts) => generate(gen, opts));
  }
}

/**
 * `oasis-ts governance …`, as oasis-node's: offline generators `gen_submit_proposal` (an upgrade from
 * `--proposal.upgrade.descriptor`, a cancel with `--proposal.cancel_upgrade.id`, or — ours, newer
 * oasis-core has no flag for it — a parameter change with `--proposal.change_parameters.module` and a JSON
 * file of changes) and `gen_cast_vote`; and node queries `list_proposals [--include_closed]`,
 * `proposal_info` (alias `show_proposal`) and `proposal_votes` (alias `show_votes`) printing Go's JSON.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CborValue } from '../../codec/cbor.ts';
import { stringifyJson } from '../../codec/json.ts';
import { quantityToBytes } from '../../codec/quantity.ts';
import { arrayCodec, nullableCodec, parseJson } from '../../codec/typed.ts';
import { GovernanceMethods } from '../../services/governance/api/methods.ts';
import {
  type ProposalContent,
  proposalCodec,
  proposalContentCodec,
  proposalVoteCodec,
  Vote,
  validateUpgradeDescriptor,
  voteEntryCodec,
} from '../../services/governance/api/proposal.ts';
import { parseUint64Flag } from '../flags.ts';
import { addClientFlags, ask, withNode } from './node_client.ts';
import { print } from './output.ts';
import { addTxFlags, type Opts, signAndSaveTx, txSetup } from './tx_file.ts';
import { readUpgradeDescriptorFile } from './upgrade_descriptor.ts';

const GOVERNANCE = 'oasis-core.Governance';
const str = (opts: Opts, key: string) => (opts[key] as string | undefined) || undefined;

/**
 * A JSON parameter-change file as CBOR: numbers are integers, decimal strings are quantities (Go writes
 * quantities as JSON strings), objects stay maps with text keys.
 */
export function changesFromJson(value: unknown, path = 'changes'): CborValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`${path}: expected a non-negative integer`);
    return BigInt(value);
  }
  if (typeof value === 'string') {
    if (!/^[0-9]+$/.test(value))
      throw new Error(`${path}: expected a decimal quantity, got ${JSON.stringify(value)}`);
    return quantityToBytes(BigInt(value));
  }
  if (Array.isArray(value)) return value.map((v, i) => changesFromJson(v, `${path}[${i}]`));
  return new Map(Object.entries(value as object).map(([k, v]) => [k, changesFromJson(v, `${path}.${k}`)]));
}

function readJsonFile(path: string, flag: string): unknown {
  try {
    return parseJson(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${flag}: ${path}: ${(err as Error).message}`);
  }
}

/** The proposal the flags describe (exactly one kind). */
function proposalFromFlags(opts: Opts): ProposalContent {
  const descriptor = str(opts, 'proposal.upgrade.descriptor');
  const cancel = str(opts, 'proposal.cancel_upgrade.id');
  const module = str(opts, 'proposal.change_parameters.module');
  const kinds = [descriptor, cancel, module].filter((k) => k !== undefined).length;
  if (kinds !== 1) {
    throw new Error(
      'exactly one of --proposal.upgrade.descriptor, --proposal.cancel_upgrade.id or --proposal.change_parameters.module is required',
    );
  }
  const content: ProposalContent = {
    metadata: undefined,
    upgrade: undefined,
    cancel_upgrade: undefined,
    change_parameters: undefined,
  };
  const title = str(opts, 'proposal.metadata.title');
  if (title !== undefined)
    content.metadata = { title, description: str(opts, 'proposal.metadata.description') };
  if (descriptor !== undefined) {
    const flag = '--proposal.upgrade.descriptor';
    content.upgrade = readUpgradeDescriptorFile(descriptor, flag);
    validateUpgradeDescriptor(content.upgrade);
  } else if (cancel !== undefined) {
    const id = parseUint64Flag(cancel, '--proposal.cancel_upgrade.id');
    if (id === 0n) throw new Error('--proposal.cancel_upgrade.id: proposal IDs start at 1');
    content.cancel_upgrade = { proposal_id: id };
  } else {
    const flag = '--proposal.change_parameters.changes';
    const file = str(opts, 'proposal.change_parameters.changes');
    if (file === undefined) throw new Error(`${flag}: required with --proposal.change_parameters.module`);
    content.change_parameters = { module: module!, changes: changesFromJson(readJsonFile(file, flag)) };
  }
  return content;
}

function voteFromFlag(text: string | undefined): number {
  const vote = text === undefined ? undefined : Vote[text as keyof typeof Vote];
  if (vote === undefined)
    throw new Error(`--vote: expected yes, no or abstain, got ${JSON.stringify(text ?? '')}`);
  return vote;
}

function proposalId(opts: Opts, key: string): bigint {
  const id = parseUint64Flag(str(opts, key) ?? '0', `--${key}`);
  if (id === 0n) throw new Error(`--${key}: proposal ID required`);
  return id;
}

async function query(opts: Opts, method: string, request: unknown, what: string): Promise<CborValue> {
  return withNode(opts, (client) => ask<CborValue>(client, GOVERNANCE, method, request, what));
}

const proposalsCodec = nullableCodec(arrayCodec(proposalCodec));
const votesCodec = nullableCodec(arrayCodec(voteEntryCodec));

/** Registers `governance` and its subcommands. */
export function registerGovernanceCommands(program: Command): void {
  const gov = program.command('governance').description('governance backend utilities');

  addTxFlags(
    gov
      .command('gen_submit_proposal')
      .description('generate a submit proposal transaction')
      .option('--proposal.upgrade.descriptor <path>', 'path to the proposal upgrade descriptor (JSON)')
      .option('--proposal.cancel_upgrade.id <id>', 'cancel upgrade proposal ID')
      .option('--proposal.change_parameters.module <module>', 'module whose consensus parameters change')
      .option('--proposal.change_parameters.changes <path>', 'path to the parameter changes (JSON object)')
      .option('--proposal.metadata.title <title>', 'proposal title (when the network requires metadata)')
      .option('--proposal.metadata.description <text>', 'proposal description'),
  ).action(async (opts: Opts) => {
    const setup = txSetup(opts);
    const content = proposalFromFlags(opts);
    const body = proposalContentCodec.encode(content);
    const summary = [`Proposal: ${stringifyJson(proposalContentCodec.toJson(content)).trimEnd()}`];
    await signAndSaveTx(
      opts,
      setup,
      { nonce: setup.nonce, fee: setup.fee, method: GovernanceMethods.submitProposal, body },
      summary,
    );
  });

  addTxFlags(
    gov
      .command('gen_cast_vote')
      .description('generate a cast vote transaction')
      .option('--vote <vote>', 'vote to be cast (yes, no, abstain)')
      .option('--vote.proposal.id <id>', 'cast vote proposal ID'),
  ).action(async (opts: Opts) => {
    const setup = txSetup(opts);
    const id = proposalId(opts, 'vote.proposal.id');
    const vote = voteFromFlag(str(opts, 'vote'));
    const summary = [`Proposal: ${id}`, `Vote:     ${str(opts, 'vote')}`];
    await signAndSaveTx(
      opts,
      setup,
      {
        nonce: setup.nonce,
        fee: setup.fee,
        method: GovernanceMethods.castVote,
        body: proposalVoteCodec.encode({ id, vote }),
      },
      summary,
    );
  });

  addClientFlags(
    gov
      .command('list_proposals')
      .description('lists active proposals')
      .option('--include_closed', 'include closed proposals'),
  ).action(async (opts: Opts) => {
    const method = opts.include_closed ? 'Proposals' : 'ActiveProposals';
    const list = proposalsCodec.decode(await query(opts, method, 0, 'query proposals'), 'proposals');
    print(stringifyJson(proposalsCodec.toJson(list)));
  });

  addClientFlags(
    gov
      .command('proposal_info')
      .alias('show_proposal')
      .description('displays proposal info')
      .option('--proposal.id <id>', 'proposal ID'),
  ).action(async (opts: Opts) => {
    const id = proposalId(opts, 'proposal.id');
    const p = proposalCodec.decode(
      await query(opts, 'Proposal', { height: 0, id }, 'query proposal'),
      'proposal',
    );
    print(stringifyJson(proposalCodec.toJson(p)));
  });

  addClientFlags(
    gov
      .command('proposal_votes')
      .alias('show_votes')
      .description('displays votes for a proposal')
      .option('--proposal.id <id>', 'proposal ID'),
  ).action(async (opts: Opts) => {
    const id = proposalId(opts, 'proposal.id');
    const votes = votesCodec.decode(
      await query(opts, 'Votes', { height: 0, id }, 'query proposal votes'),
      'votes',
    );
    print(stringifyJson(votesCodec.toJson(votes)));
  });
}

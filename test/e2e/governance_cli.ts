/**
 * Governance through our CLI on a local network, as an operator does it: generate a signed transaction
 * file (`governance gen_cast_vote` / `gen_submit_proposal`) with an entity's key, then `consensus
 * submit_tx` to a node. Shared by the governance and upgrade e2e tests.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as oasis from '@oasisprotocol/client';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { loadRoleKey } from '../../src/crypto/signer/file_signer.ts';
import { readGenesisFile, writeGenesisFile } from '../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { runCli } from '../cli/run_cli.ts';

/**
 * Sets governance parameters in a prepared (not yet started) network's genesis: the genesis builder keeps
 * oasis-core's 100-epoch voting, far too long for a test.
 */
export function setGovernanceParams(
  net: LocalnetManifest,
  params: { voting_period: bigint; upgrade_min_epoch_diff: bigint; upgrade_cancel_min_epoch_diff: bigint },
): void {
  const genesis = readGenesisFile(net.genesis_file);
  Object.assign(genesis.governance.params, params);
  rmSync(net.genesis_file);
  writeGenesisFile(net.genesis_file, genesis);
}

/** Where the network lives and a client for nonces. */
export interface CliNetwork {
  dir: string;
  net: LocalnetManifest;
  nic: oasis.client.NodeInternal;
}

/** Signs `args` (a `governance gen_*` command) with entity `i`'s key at its nonce, and submits it. */
async function signAndSubmit(n: CliNetwork, i: number, name: string, args: string[]): Promise<void> {
  const entityDir = join(n.dir, 'entities', `entity-${i}`);
  const file = join(n.dir, `${name}-${i}.json`);
  const owner = addressFromPublicKey(loadRoleKey(entityDir, 'entity').publicKey);
  const nonce = (await n.nic.stakingAccount({ height: 0, owner })).general?.nonce ?? 0;
  const gen = await runCli([
    'governance',
    ...args,
    '--transaction.file',
    file,
    '--transaction.nonce',
    String(nonce),
    '--transaction.fee.gas',
    '10000',
    '--genesis.file',
    n.net.genesis_file,
    '--signer.dir',
    entityDir,
    '-y',
  ]);
  assert.equal(gen.code, 0, gen.stderr);
  const submit = await runCli([
    'consensus',
    'submit_tx',
    '--transaction.file',
    file,
    '-a',
    `unix:${n.net.nodes[0]!.internal_socket}`,
  ]);
  assert.equal(submit.code, 0, submit.stderr);
}

/** Validator entity `i` votes yes on proposal `id`. */
export function voteYesWithCli(n: CliNetwork, i: number, id: bigint): Promise<void> {
  return signAndSubmit(n, i, `vote-${id}`, [
    'gen_cast_vote',
    '--vote',
    'yes',
    '--vote.proposal.id',
    String(id),
  ]);
}

/** Entity `i` proposes the upgrade described in `descriptorFile`. */
export function proposeUpgradeWithCli(n: CliNetwork, i: number, descriptorFile: string): Promise<void> {
  return signAndSubmit(n, i, 'upgrade-proposal', [
    'gen_submit_proposal',
    '--proposal.upgrade.descriptor',
    descriptorFile,
  ]);
}

/** Waits until proposal `id` is no longer active; returns it. */
export async function waitClosed(
  nic: oasis.client.NodeInternal,
  id: bigint,
  activeState: number,
  timeoutMs = 60_000,
): Promise<oasis.types.GovernanceProposal> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await nic.governanceProposal({ height: 0, id });
    if (p.state !== activeState) return p;
    if (Date.now() > deadline) throw new Error(`proposal ${id} still active`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

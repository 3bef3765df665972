/**
 * The operator CLI against a running local network, over the node's internal socket: account queries,
 * signed transactions generated offline and submitted, escrow and reclaim, a replay refused with its coded
 * error, and node control.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { addressFromPublicKey, addressToBech32 } from '../../src/crypto/address.ts';
import { loadRoleKey } from '../../src/crypto/signer/file_signer.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { CLI_ENTRY, LocalnetProcesses } from '../../src/localnet/processes.ts';

const run = promisify(execFile);
const cli = async (...args: string[]) => (await run(process.execPath, [CLI_ENTRY, ...args])).stdout;

describe('the operator CLI against a localnet', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-cli-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let socket: string;
  let entityDir: string;
  let entityAddress: string;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 200 });
    procs.start(net.nodes[0]!);
    await procs.waitHeight(net.nodes[0]!, 2, 90_000);
    socket = `unix:${net.nodes[0]!.internal_socket}`;
    entityDir = join(dir, 'entities', 'entity-0');
    entityAddress = addressToBech32(addressFromPublicKey(loadRoleKey(entityDir, 'entity').publicKey));
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const gen = async (kind: string, file: string, nonce: string, ...flags: string[]) =>
    cli(
      'stake',
      'account',
      kind,
      '--genesis.file',
      net.genesis_file,
      '--signer.dir',
      entityDir,
      '-y',
      '--transaction.nonce',
      nonce,
      '--transaction.fee.gas',
      '3000',
      '--transaction.fee.amount',
      '0',
      '--transaction.file',
      file,
      ...flags,
    );

  it('transfers, escrows and reclaims with generated transactions, and refuses a replay', async () => {
    const dest = net.accounts[1]!.address;
    const before = await cli(
      'stake',
      'account',
      'info',
      '-a',
      socket,
      '--stake.account.address',
      dest,
      '--format',
      'json',
    );
    const nonce = (
      await cli('stake', 'account', 'nonce', '-a', socket, '--stake.account.address', entityAddress)
    ).trim();
    const transfer = join(dir, 'transfer.json');
    await gen(
      'gen_transfer',
      transfer,
      nonce,
      '--stake.transfer.destination',
      dest,
      '--stake.amount',
      '2.5TEST',
    );
    assert.match(
      await cli('consensus', 'submit_tx', '-a', socket, '--transaction.file', transfer),
      /included/,
    );
    const after = await cli(
      'stake',
      'account',
      'info',
      '-a',
      socket,
      '--stake.account.address',
      dest,
      '--format',
      'json',
    );
    const balanceOf = (json: string) => BigInt(JSON.parse(json).general.balance);
    assert.equal(balanceOf(after) - balanceOf(before), 2_500_000_000n);
    await assert.rejects(
      cli('consensus', 'submit_tx', '-a', socket, '--transaction.file', transfer),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /module: consensus(\/transaction)?, code: [15]/);
        return true;
      },
    );
    const escrow = join(dir, 'escrow.json');
    await gen(
      'gen_escrow',
      escrow,
      String(BigInt(nonce) + 1n),
      '--stake.escrow.account',
      entityAddress,
      '--stake.amount',
      '100',
    );
    assert.match(await cli('consensus', 'submit_tx', '-a', socket, '--transaction.file', escrow), /included/);
    const reclaim = join(dir, 'reclaim.json');
    await gen(
      'gen_reclaim_escrow',
      reclaim,
      String(BigInt(nonce) + 2n),
      '--stake.escrow.account',
      entityAddress,
      '--stake.shares',
      '50',
    );
    assert.match(
      await cli('consensus', 'submit_tx', '-a', socket, '--transaction.file', reclaim),
      /included/,
    );
    const info = await cli(
      'stake',
      'account',
      'info',
      '-a',
      socket,
      '--stake.account.address',
      entityAddress,
    );
    assert.match(info, /[Dd]ebonding/);
    assert.equal(
      (await cli('stake', 'account', 'nonce', '-a', socket, '--stake.account.address', entityAddress)).trim(),
      String(BigInt(nonce) + 3n),
    );
    assert.ok(JSON.parse(readFileSync(transfer, 'utf8')).untrusted_raw_value);
  });

  it('reports node status and sync state', async () => {
    const status = JSON.parse(await cli('control', 'status', '-a', socket));
    assert.equal(status.consensus.chain_context, net.chain_context);
    await cli('control', 'is-synced', '-a', socket);
    assert.match(await cli('stake', 'info', '-a', socket), /Total supply/);
  });
});

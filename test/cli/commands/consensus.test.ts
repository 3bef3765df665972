import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { fromBase64, toBase64 } from '../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { addressToBech32 } from '../../../src/crypto/address.ts';
import { makeNetwork, runCommand, type TestNetwork, TestNode, TOKEN } from './harness.ts';

describe('consensus submit_tx / estimate_gas / show_tx', () => {
  let net: TestNetwork;
  let node: TestNode;
  let n = 0;
  before(async () => {
    net = await makeNetwork();
    node = new TestNode(net);
    await node.start();
  });
  after(async () => {
    await node.stop();
    net.cleanup();
  });

  /** Runs `stake account gen_transfer` to the user (gas 5000 unless `extra` overrides it). */
  async function genTransfer(
    nonce: number,
    amount: string,
    extra: string[] = [],
  ): Promise<{ file: string; stderr: string }> {
    const file = join(net.dir, `tx${n++}.json`);
    const r = await runCommand([
      'stake',
      'account',
      'gen_transfer',
      '--stake.transfer.destination',
      addressToBech32(net.userAddress),
      '--stake.amount',
      amount,
      '--transaction.file',
      file,
      '--transaction.nonce',
      String(nonce),
      '--transaction.fee.gas',
      '5000',
      '--genesis.file',
      net.genesisPath,
      '--signer.dir',
      net.entityDir,
      ...extra,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return { file, stderr: r.stderr };
  }

  async function transferFile(nonce: number, amount: string, extra: string[] = []): Promise<string> {
    return (await genTransfer(nonce, amount, extra)).file;
  }

  const signedOf = (file: string) => {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    return {
      untrusted_raw_value: fromBase64(j.untrusted_raw_value),
      signature: {
        public_key: fromBase64(j.signature.public_key),
        signature: fromBase64(j.signature.signature),
      },
    };
  };

  async function balanceOf(address: Uint8Array): Promise<{ balance: bigint; nonce: number }> {
    const r = await runCommand([
      'stake',
      'account',
      'info',
      '-a',
      node.address,
      '--stake.account.address',
      addressToBech32(address),
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    return { balance: BigInt(v.general.balance), nonce: v.general.nonce };
  }

  it('submits a generated transfer that the node executes, printing its hash', async () => {
    const file = await transferFile(0, '1.5 TEST');
    const r = await runCommand(['consensus', 'submit_tx', '-a', node.address, '--transaction.file', file]);
    assert.equal(r.code, 0, r.stderr);
    const hash = oasis.consensus.hashSignedTransaction(signedOf(file));
    assert.equal(r.stdout, `transaction ${hash} included\n`);
    assert.deepEqual(await balanceOf(net.userAddress), { balance: 777n + 1_500_000_000n, nonce: 0 });
    assert.deepEqual(await balanceOf(net.entityAddress), {
      balance: 100n * TOKEN - 1_500_000_000n,
      nonce: 1,
    });
    const nonce = await runCommand([
      'stake',
      'account',
      'nonce',
      '-a',
      node.address,
      '--stake.account.address',
      addressToBech32(net.entityAddress),
    ]);
    assert.equal(nonce.stdout, '1\n');

    // The same file again: the node's CheckTx refuses the stale nonce with consensus/transaction 1.
    const again = await runCommand([
      'consensus',
      'submit_tx',
      '-a',
      node.address,
      '--transaction.file',
      file,
    ]);
    assert.equal(again.code, 1);
    assert.equal(again.stdout, '');
    assert.match(
      again.stderr,
      new RegExp(
        `^error: failed to submit transaction ${hash}: .*\\(module: consensus/transaction, code: 1\\)\\n$`,
      ),
    );
    assert.equal((await balanceOf(net.userAddress)).balance, 777n + 1_500_000_000n);
  });

  it('a refusal for too little gas says how to estimate it; gas 0 is warned about when generating', async () => {
    const nonce = (await balanceOf(net.entityAddress)).nonce;
    const { file, stderr } = await genTransfer(nonce, '1', ['--transaction.fee.gas', '0']);
    assert.match(stderr, /^warning: --transaction\.fee\.gas is 0, so the transaction will run out of gas; /);
    const r = await runCommand(['consensus', 'submit_tx', '-a', node.address, '--transaction.file', file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /out of gas.*; fee\.gas 0 is too low: estimate it with `oasis-ts consensus estimate_gas`/,
    );
  });

  it('a bad signature names the chain context the node expects', async () => {
    const file = await transferFile((await balanceOf(net.entityAddress)).nonce, '1');
    const j = JSON.parse(readFileSync(file, 'utf8'));
    const sig = fromBase64(j.signature.signature);
    sig[0]! ^= 1;
    j.signature.signature = toBase64(sig);
    writeFileSync(file, JSON.stringify(j));
    const r = await runCommand(['consensus', 'submit_tx', '-a', node.address, '--transaction.file', file]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`signature verification failed.*; the node's chain context is ${net.chainContext}: was the`),
    );
  });

  it('account info shows allowances and debonding stake after allow and reclaim_escrow go through', async () => {
    const entity = addressToBech32(net.entityAddress);
    const user = addressToBech32(net.userAddress);
    const { nonce } = await balanceOf(net.entityAddress);
    const common = (file: string, k: number) => [
      '--transaction.file',
      file,
      '--transaction.nonce',
      String(nonce + k),
      '--transaction.fee.gas',
      '5000',
      '--genesis.file',
      net.genesisPath,
      '--signer.dir',
      net.entityDir,
    ];
    const allow = join(net.dir, 'allow.json');
    const reclaim = join(net.dir, 'reclaim.json');
    const gens = [
      [
        'stake',
        'account',
        'gen_allow',
        '--stake.allow.beneficiary',
        user,
        '--stake.allow.amount_change',
        '2 TEST',
        ...common(allow, 0),
      ],
      [
        'stake',
        'account',
        'gen_reclaim_escrow',
        '--stake.escrow.account',
        entity,
        '--stake.shares',
        '10000000000',
        ...common(reclaim, 1),
      ],
    ];
    for (const args of gens) assert.equal((await runCommand(args)).code, 0);
    for (const file of [allow, reclaim]) {
      const r = await runCommand([
        'consensus',
        'submit_tx',
        '-a',
        node.socket, // a bare path to an existing socket means unix:PATH, as oasis-node
        '--transaction.file',
        file,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const info = await runCommand([
      'stake',
      'account',
      'info',
      '-a',
      node.address,
      '--stake.account.address',
      entity,
    ]);
    assert.equal(info.code, 0, info.stderr);
    assert.ok(info.stdout.includes(`\n  Allowances:\n    - ${user}: 2.0 TEST (2000000000 base units)\n`));
    assert.match(info.stdout, /\n {2}Active: 40\.0 TEST \(40000000000 base units\) \(40000000000 shares\)\n/);
    assert.match(
      info.stdout,
      /\n {2}Debonding: 10\.0 TEST \(10000000000 base units\) \(10000000000 shares\)\n/,
    );
    const debonding = `\nDebonding delegations from this account:\n  - ${entity}: 10.0 TEST (10000000000 base units) (10000000000 shares, ends at epoch `;
    assert.ok(info.stdout.includes(debonding), info.stdout);
    assert.match(info.stdout, /ends at epoch \d+\)\n$/);
  });

  it('estimates gas for a signed file and for an unsigned one with --consensus.signer_pub', async () => {
    const file = await transferFile(1, '1');
    const signedSize = encodeCanonical(signedOf(file)).length;
    const r = await runCommand(['consensus', 'estimate_gas', '-a', node.address, '--transaction.file', file]);
    assert.equal(r.code, 0, r.stderr);
    // Genesis prices a transfer at 1000 gas; the harness pipeline charges 1 gas per signed-tx byte.
    assert.equal(r.stdout, `${1000 + signedSize}\n`);

    const unsigned = join(net.dir, 'unsigned.cbor');
    await transferFile(1, '1', ['--transaction.unsigned', '--transaction.file', unsigned]);
    const pub = toBase64(net.entity.publicKey);
    const u = await runCommand([
      'consensus',
      'estimate_gas',
      '-a',
      node.address,
      '--transaction.file',
      unsigned,
      '--consensus.signer_pub',
      pub,
    ]);
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.stdout, r.stdout);
    const missing = await runCommand([
      'consensus',
      'estimate_gas',
      '-a',
      node.address,
      '--transaction.file',
      unsigned,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--consensus\.signer_pub: required for an unsigned transaction file/);
  });

  it('show_tx verifies the file against the genesis chain and prints it', async () => {
    const file = await transferFile(3, '2.25');
    const r = await runCommand([
      'consensus',
      'show_tx',
      '--transaction.file',
      file,
      '--genesis.file',
      net.genesisPath,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Hash: ${oasis.consensus.hashSignedTransaction(signedOf(file))}\\n`));
    assert.match(r.stdout, new RegExp(`\\nSigner: ${addressToBech32(net.entityAddress)}\\n`));
    assert.match(
      r.stdout,
      /\nMethod: staking\.Transfer\nNonce: 3\nFee: 0\.0 TEST \(0 base units\), gas 5000\n/,
    );
    assert.match(r.stdout, new RegExp(`"to": "${addressToBech32(net.userAddress)}"`));
    // A different chain (another genesis) does not verify.
    const other = join(net.dir, 'other-genesis.json');
    writeFileSync(other, readFileSync(net.genesisPath, 'utf8').replace('"cli test"', '"other chain"'));
    const bad = await runCommand([
      'consensus',
      'show_tx',
      '--transaction.file',
      file,
      '--genesis.file',
      other,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /signature verification failed \(for the chain of .*other-genesis\.json\)/);
  });

  it('rejects missing, unreadable and malformed transaction files before contacting the node', async () => {
    const garbage = join(net.dir, 'garbage.json');
    writeFileSync(garbage, '{"untrusted_raw_value": "AAAA"}');
    const cases: Array<[string[], RegExp]> = [
      [['consensus', 'submit_tx', '-a', node.address], /--transaction\.file: required/],
      [
        ['consensus', 'submit_tx', '-a', node.address, '--transaction.file', join(net.dir, 'none.json')],
        /--transaction\.file: .*none\.json: does not exist/,
      ],
      [
        ['consensus', 'estimate_gas', '-a', node.address, '--transaction.file', join(net.dir, 'none.json')],
        /--transaction\.file: .*none\.json: does not exist/,
      ],
      [
        ['consensus', 'submit_tx', '-a', node.address, '--transaction.file', garbage],
        /garbage\.json\.signature: missing required field \(expected a signed transaction as gen_\* writes it\)/,
      ],
      [
        ['consensus', 'submit_tx', '-a', 'tcp://x', '--transaction.file', garbage],
        /garbage\.json\.signature: missing required field/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await runCommand(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
    }
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addressToBech32 } from '../../../src/crypto/address.ts';
import { runCli } from '../run_cli.ts';
import { makeNetwork, runCommand, type TestNetwork, TestNode, TOKEN } from './harness.ts';

describe('online stake commands against a real Staking service on internal.sock', () => {
  let net: TestNetwork;
  let node: TestNode;
  before(async () => {
    net = await makeNetwork();
    node = new TestNode(net);
    await node.start();
  });
  after(async () => {
    await node.stop();
    net.cleanup();
  });

  it('stake info prints the token, supply, pools and the thresholds the network defines', async () => {
    const r = await runCommand(['stake', 'info', '-a', node.address]);
    assert.equal(r.code, 0, r.stderr);
    const supply = 150n * TOKEN + 777n + 1000n;
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 6), [
      "Token's ticker symbol: TEST",
      "Token's value base-10 exponent: 9",
      `Total supply: 150.000001777 TEST (${supply} base units)`,
      'Common pool: 0.000001 TEST (1000 base units)',
      'Last block fees: 0.0 TEST (0 base units)',
      'Governance deposits: 0.0 TEST (0 base units)',
    ]);
    // keymanager-churp has no threshold in this genesis: staking/6 from the node, skipped.
    assert.deepEqual(lines.slice(6), [
      'Staking threshold (entity): 0.0000001 TEST (100 base units)',
      'Staking threshold (node-validator): 0.0000001 TEST (100 base units)',
      'Staking threshold (node-compute): 0.0000001 TEST (100 base units)',
      'Staking threshold (node-keymanager): 0.0000001 TEST (100 base units)',
      'Staking threshold (runtime-compute): 0.0000001 TEST (100 base units)',
      'Staking threshold (runtime-keymanager): 0.0000001 TEST (100 base units)',
    ]);
    const json = await runCommand(['stake', 'info', '--address', node.address, '--format', 'json']);
    const info = JSON.parse(json.stdout);
    assert.equal(info.total_supply, supply.toString());
    assert.equal(info.token_value_exponent, 9);
    assert.equal(info.thresholds['keymanager-churp'], undefined);
  });

  it('stake list prints every ledger address', async () => {
    const r = await runCommand(['stake', 'list', '-a', node.address]);
    assert.equal(r.code, 0, r.stderr);
    const listed = r.stdout.trimEnd().split('\n').sort();
    assert.deepEqual(listed, [addressToBech32(net.entityAddress), addressToBech32(net.userAddress)].sort());
  });

  it('stake account info shows balances, escrow and delegations in tokens and base units', async () => {
    const addr = addressToBech32(net.entityAddress);
    const r = await runCommand([
      'stake',
      'account',
      'info',
      '-a',
      node.address,
      '--stake.account.address',
      addr,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `Account: ${addr}`,
        'Height: 1',
        'General:',
        '  Balance: 100.0 TEST (100000000000 base units)',
        '  Nonce: 0',
        'Escrow (stake delegated to this account):',
        '  Active: 50.0 TEST (50000000000 base units) (50000000000 shares)',
        '  Debonding: 0.0 TEST (0 base units) (0 shares)',
        'Delegations from this account:',
        `  - ${addr}: 50.0 TEST (50000000000 base units) (50000000000 shares)`,
        '',
      ].join('\n'),
    );
    const json = await runCommand([
      'stake',
      'account',
      'info',
      '-a',
      node.address,
      '--stake.account.address',
      addr,
      '--format',
      'json',
    ]);
    const v = JSON.parse(json.stdout);
    assert.equal(v.height, 1);
    assert.equal(v.general.balance, '100000000000');
    assert.equal(v.general.nonce, 0);
    assert.equal(v.escrow.active.balance, '50000000000');
    assert.deepEqual(v.delegations, [{ escrow: addr, shares: '50000000000', amount: '50000000000' }]);
  });

  it('stake account nonce and validate_address', async () => {
    const user = addressToBech32(net.userAddress);
    const r = await runCommand([
      'stake',
      'account',
      'nonce',
      '-a',
      node.address,
      '--stake.account.address',
      user,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '0\n');
    const ok = await runCommand([
      'stake',
      'account',
      'validate_address',
      '--stake.account.address',
      user,
      '-v',
    ]);
    assert.deepEqual([ok.code, ok.stdout], [0, `account address '${user}' is valid\n`]);
    const bad = await runCommand([
      'stake',
      'account',
      'validate_address',
      '--stake.account.address',
      'oasis1x',
    ]);
    assert.deepEqual([bad.code, bad.stdout], [1, '']);
    assert.match(bad.stderr, /^error: account address 'oasis1x' is not valid: /);
  });

  it('bad flags and an unreachable node fail with status 1 and say why', async () => {
    const user = addressToBech32(net.userAddress);
    const cases: Array<[string[], RegExp]> = [
      [['stake', 'account', 'info', '-a', node.address], /--stake\.account\.address: required/],
      [
        ['stake', 'account', 'info', '-a', node.address, '--stake.account.address', 'x'],
        /--stake\.account\.address: invalid address/,
      ],
      [
        ['stake', 'account', 'info', '-a', node.address, '--stake.account.address', user, '--format', 'xml'],
        /--format: expected "text" or "json"/,
      ],
      [
        ['stake', 'account', 'info', '-a', node.address, '--stake.account.address', user, '--height', 'top'],
        /--height: expected a non-negative integer/,
      ],
      [
        ['stake', 'info', '-a', '127.0.0.1:9001'],
        /--address: "127\.0\.0\.1:9001" is not a UNIX socket address/,
      ],
      [
        ['stake', 'list', '-a', `unix:${join(net.dir, 'missing.sock')}`],
        /failed to query addresses: cannot reach a node at unix:.*missing\.sock \(no such socket\); is the node running/,
      ],
      // Heights the node does not keep come back as the node's coded error (consensus 3).
      [
        ['stake', 'account', 'info', '-a', node.address, '--stake.account.address', user, '--height', '9'],
        /failed to query account: .*\(module: consensus, code: 3\)/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await runCommand(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  it('works as a child process through bin/oasis-ts.mjs', async () => {
    const r = await runCli(['stake', 'list', '-a', node.address]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 2);
  });
});

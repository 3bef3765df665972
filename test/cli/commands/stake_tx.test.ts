import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { fromBase64 } from '../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { openSignedTransaction } from '../../../src/consensus/api/transaction.ts';
import { addressToBech32 } from '../../../src/crypto/address.ts';
import { signedDecoder } from '../../../src/crypto/signature.ts';
import { openSignedEntity } from '../../../src/services/registry/api/entity.ts';
import { BodyDecoders } from '../../../src/services/staking/api/methods.ts';
import { runCli } from '../run_cli.ts';
import { makeNetwork, runCommand, type TestNetwork, TOKEN } from './harness.ts';

/** oasis-node's file: `json.MarshalIndent(SignedTransaction, "", "  ")`, no trailing newline. */
const GO_SIGNED_TX =
  /^\{\n {2}"untrusted_raw_value": "([A-Za-z0-9+/=]+)",\n {2}"signature": \{\n {4}"public_key": "([A-Za-z0-9+/=]{44})",\n {4}"signature": "([A-Za-z0-9+/=]{88})"\n {2}\}\n\}$/;

describe('stake account gen_* / registry entity gen_register', () => {
  let net: TestNetwork;
  let n = 0;
  before(async () => {
    net = await makeNetwork();
  });
  after(() => net.cleanup());

  const txFlags = (file: string) => [
    '--transaction.file',
    file,
    '--transaction.nonce',
    '7',
    '--transaction.fee.gas',
    '2000',
    '--transaction.fee.amount',
    '0.000001 TEST',
    '--genesis.file',
    net.genesisPath,
    '--signer.dir',
    net.entityDir,
  ];

  /** Runs a generator, checks the file's layout and opens it with our code and the official client. */
  async function generate(args: string[]) {
    const file = join(net.dir, `tx${n++}.json`);
    const r = await runCommand([...args, ...txFlags(file)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /You are about to sign the following transaction:/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    const m = GO_SIGNED_TX.exec(text);
    assert.ok(m, `unexpected layout:\n${text}`);
    const signed = {
      untrusted_raw_value: fromBase64(m[1]!),
      signature: { public_key: fromBase64(m[2]!), signature: fromBase64(m[3]!) },
    };
    const ours = openSignedTransaction(encodeCanonical(signed), net.chainContext);
    assert.deepEqual(ours.signer, net.entity.publicKey);
    assert.equal(ours.tx.nonce, 7n);
    assert.deepEqual(ours.tx.fee, { amount: 1000n, gas: 2000n });
    const official = oasis.consensus.openSignedTransaction(net.chainContext, signed);
    assert.equal(Number(official.nonce), 7);
    assert.equal(oasis.quantity.toBigInt(official.fee!.amount!), 1000n);
    assert.equal(Number(official.fee!.gas), 2000);
    assert.equal(official.method, ours.tx.method);
    assert.throws(() => oasis.consensus.openSignedTransaction('00'.repeat(32), signed));
    return { ours, official: official as { body: Record<string, unknown> } };
  }

  it('gen_transfer: destination and an amount in tokens', async () => {
    const { ours, official } = await generate([
      'stake',
      'account',
      'gen_transfer',
      '--stake.transfer.destination',
      addressToBech32(net.userAddress),
      '--stake.amount',
      '1.5',
    ]);
    assert.equal(ours.tx.method, 'staking.Transfer');
    assert.deepEqual(BodyDecoders.transfer(ours.tx.body!, 'body'), {
      to: net.userAddress,
      amount: 1_500_000_000n,
    });
    assert.deepEqual(official.body.to, net.userAddress);
    assert.equal(oasis.quantity.toBigInt(official.body.amount as Uint8Array), 1_500_000_000n);
  });

  it('gen_burn, gen_escrow, gen_reclaim_escrow, gen_allow, gen_withdraw', async () => {
    const user = addressToBech32(net.userAddress);
    const entity = addressToBech32(net.entityAddress);
    const burn = await generate(['stake', 'account', 'gen_burn', '--stake.amount', '12345']);
    assert.equal(burn.ours.tx.method, 'staking.Burn');
    assert.deepEqual(BodyDecoders.burn(burn.ours.tx.body!, 'body'), { amount: 12345n });

    const escrow = await generate([
      'stake',
      'account',
      'gen_escrow',
      '--stake.escrow.account',
      entity,
      '--stake.amount',
      '10 TEST',
    ]);
    assert.equal(escrow.ours.tx.method, 'staking.AddEscrow');
    assert.deepEqual(BodyDecoders.escrow(escrow.ours.tx.body!, 'body'), {
      account: net.entityAddress,
      amount: 10n * TOKEN,
    });

    const reclaim = await generate([
      'stake',
      'account',
      'gen_reclaim_escrow',
      '--stake.escrow.account',
      entity,
      '--stake.shares',
      '999',
    ]);
    assert.equal(reclaim.ours.tx.method, 'staking.ReclaimEscrow');
    assert.deepEqual(BodyDecoders.reclaimEscrow(reclaim.ours.tx.body!, 'body'), {
      account: net.entityAddress,
      shares: 999n,
    });

    const allow = await generate([
      'stake',
      'account',
      'gen_allow',
      '--stake.allow.beneficiary',
      user,
      '--stake.allow.amount_change',
      '-2.5',
    ]);
    assert.equal(allow.ours.tx.method, 'staking.Allow');
    assert.deepEqual(BodyDecoders.allow(allow.ours.tx.body!, 'body'), {
      beneficiary: net.userAddress,
      negative: true,
      amountChange: 2_500_000_000n,
    });
    assert.equal(allow.official.body.negative, true);

    const grow = await generate([
      'stake',
      'account',
      'gen_allow',
      '--stake.allow.beneficiary',
      user,
      '--stake.allow.amount_change',
      '5',
    ]);
    assert.equal((grow.ours.tx.body as Record<string, unknown>).negative, undefined, 'omitted when false');

    const withdraw = await generate([
      'stake',
      'account',
      'gen_withdraw',
      '--stake.withdraw.source',
      user,
      '--stake.amount',
      '0.5 TEST',
    ]);
    assert.equal(withdraw.ours.tx.method, 'staking.Withdraw');
    assert.deepEqual(BodyDecoders.withdraw(withdraw.ours.tx.body!, 'body'), {
      from: net.userAddress,
      amount: 500_000_000n,
    });
  });

  it('gen_amend_commission_schedule: repeatable rate and bound steps', async () => {
    const { ours, official } = await generate([
      'stake',
      'account',
      'gen_amend_commission_schedule',
      '--stake.commission_schedule.rates',
      '10/5000',
      '--stake.commission_schedule.rates',
      '20/10000',
      '--stake.commission_schedule.bounds',
      '10/0/20000',
    ]);
    assert.equal(ours.tx.method, 'staking.AmendCommissionSchedule');
    assert.deepEqual(BodyDecoders.amendCommissionSchedule(ours.tx.body!, 'body'), {
      amendment: {
        rates: [
          { start: 10n, rate: 5000n },
          { start: 20n, rate: 10000n },
        ],
        bounds: [{ start: 10n, rateMin: 0n, rateMax: 20000n }],
      },
    });
    const amendment = official.body.amendment as { rates: Array<{ start: number; rate: Uint8Array }> };
    assert.equal(oasis.quantity.toBigInt(amendment.rates[1]!.rate), 10000n);
  });

  it('registry entity gen_register carries the entity descriptor signed by the entity', async () => {
    const { ours, official } = await generate(['registry', 'entity', 'gen_register']);
    assert.equal(ours.tx.method, 'registry.RegisterEntity');
    const entity = openSignedEntity(signedDecoder(ours.tx.body!, 'body'));
    assert.deepEqual(entity.id, net.entity.publicKey);
    const body = official.body as { untrusted_raw_value: Uint8Array; signature: { public_key: Uint8Array } };
    oasis.signature.openSigned('oasis-core/registry: register entity', body as never);
    assert.deepEqual(body.signature.public_key, net.entity.publicKey);
  });

  it('--transaction.unsigned writes the raw CBOR transaction', async () => {
    const file = join(net.dir, 'unsigned.cbor');
    const r = await runCommand([
      'stake',
      'account',
      'gen_burn',
      '--stake.amount',
      '5',
      ...txFlags(file),
      '--transaction.unsigned',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const tx = oasis.misc.fromCBOR(readFileSync(file)) as { method: string; nonce: number };
    assert.equal(tx.method, 'staking.Burn');
    assert.equal(Number(tx.nonce), 7);
  });

  it('rejects every bad flag with a message naming it, exit status 1 and no file', async () => {
    const file = join(net.dir, 'never.json');
    const user = addressToBech32(net.userAddress);
    const transfer = ['stake', 'account', 'gen_transfer', '--stake.transfer.destination', user];
    const cases: Array<[string[], RegExp]> = [
      [['stake', 'account', 'gen_transfer', ...txFlags(file)], /--stake\.transfer\.destination: required/],
      [
        ['stake', 'account', 'gen_transfer', '--stake.transfer.destination', 'oasis1nope', ...txFlags(file)],
        /--stake\.transfer\.destination: invalid address "oasis1nope"/,
      ],
      [[...transfer, '--stake.amount', '1.5 ROSE', ...txFlags(file)], /--stake\.amount: unknown unit "ROSE"/],
      [
        [...transfer, '--stake.amount', '1.0000000001', ...txFlags(file)],
        /--stake\.amount: TEST has 9 decimal/,
      ],
      [
        [...transfer, ...txFlags(file), '--transaction.nonce', '-1'],
        /--transaction\.nonce: expected a non-negative/,
      ],
      [[...transfer, ...txFlags(file), '--transaction.fee.gas', 'lots'], /--transaction\.fee\.gas: expected/],
      [
        [...transfer, ...txFlags(file), '--transaction.fee.amount', 'x'],
        /--transaction\.fee\.amount: not a valid/,
      ],
      [
        [...transfer, ...txFlags(file), '--signer.backend', 'ledger'],
        /--signer\.backend: unsupported backend "ledger"/,
      ],
      [[...transfer, ...txFlags(file), '--signer.dir', net.dir], /entity\.pem: does not exist/],
      [
        [...transfer, ...txFlags(file), '--genesis.file', join(net.dir, 'nope.json')],
        /nope\.json: cannot read/,
      ],
      [[...transfer, ...txFlags(file).slice(2)], /--transaction\.file: required/],
      [
        [
          'stake',
          'account',
          'gen_reclaim_escrow',
          '--stake.escrow.account',
          user,
          '--stake.shares',
          '1.5',
          ...txFlags(file),
        ],
        /--stake\.shares: expected a non-negative integer/,
      ],
      [
        [
          'stake',
          'account',
          'gen_allow',
          '--stake.allow.beneficiary',
          user,
          '--stake.allow.amount_change',
          '--1',
          ...txFlags(file),
        ],
        /--stake\.allow\.amount_change: not a valid amount/,
      ],
      [['stake', 'account', 'gen_withdraw', ...txFlags(file)], /--stake\.withdraw\.source: required/],
      [
        [
          'stake',
          'account',
          'gen_amend_commission_schedule',
          '--stake.commission_schedule.rates',
          '10',
          ...txFlags(file),
        ],
        /--stake\.commission_schedule\.rates: expected start_epoch\/rate_numerator, got "10"/,
      ],
      [
        [
          'stake',
          'account',
          'gen_amend_commission_schedule',
          '--stake.commission_schedule.bounds',
          '1/x/2',
          ...txFlags(file),
        ],
        /--stake\.commission_schedule\.bounds \("1\/x\/2"\): expected a non-negative integer/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await runCommand(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(existsSync(file), false, args.join(' '));
    }
  });

  it('works as a child process through bin/oasis-ts.mjs', async () => {
    const file = join(net.dir, 'child.json');
    const r = await runCli(['stake', 'account', 'gen_burn', '--stake.amount', '3', ...txFlags(file)]);
    assert.equal(r.code, 0, r.stderr);
    const { untrusted_raw_value, signature } = JSON.parse(readFileSync(file, 'utf8'));
    const tx = oasis.consensus.openSignedTransaction(net.chainContext, {
      untrusted_raw_value: fromBase64(untrusted_raw_value),
      signature: { public_key: fromBase64(signature.public_key), signature: fromBase64(signature.signature) },
    });
    assert.equal(tx.method, 'staking.Burn');
  });
});

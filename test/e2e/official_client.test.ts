/**
 * The official `@oasisprotocol/client` against a running local network over gRPC-web, with no proxy:
 * chain context and genesis, accounts, a transfer it signs and submits, nonces and balances after,
 * escrow and reclaim with delegations visible, a replayed transaction refused with a coded error,
 * validators and entities decoded by the client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex } from '../../src/codec/bytes.ts';
import { encodeCanonical } from '../../src/codec/cbor.ts';
import { decodeGenesis } from '../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { checkGenesis } from '../../src/node/genesis_check.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

type Coded = { oasisModule?: string; oasisCode?: number };

describe('the official client against a localnet (gRPC-web)', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-client-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let nic: oasis.client.NodeInternal;
  let chainContext: string;
  const signers = () =>
    net.accounts.map((a) =>
      oasis.signature.NaclSigner.fromSeed(fromHex(a.seed_hex), 'this key is not important'),
    );
  const balance = async (addr: Uint8Array) =>
    oasis.quantity.toBigInt(
      (await nic.stakingAccount({ height: 0, owner: addr })).general?.balance ?? new Uint8Array(),
    );
  const nonce = async (addr: Uint8Array) =>
    BigInt((await nic.stakingAccount({ height: 0, owner: addr })).general?.nonce ?? 0);

  async function signed<T>(
    tw: oasis.consensus.TransactionWrapper<T>,
    signer: oasis.signature.NaclSigner,
    body: T,
  ) {
    const addr = oasis.staking.addressFromPublicKey(signer.public());
    tw.setNonce(await nonce(addr));
    tw.setFeeAmount(oasis.quantity.fromBigInt(0n));
    tw.setBody(body);
    tw.setFeeGas(await tw.estimateGas(nic, signer.public()));
    await tw.sign(new oasis.signature.BlindContextSigner(signer), chainContext);
    return tw;
  }

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 200 });
    for (const n of net.nodes) procs.start(n);
    await procs.waitHeight(net.nodes[0]!, 2, 90_000);
    nic = new oasis.client.NodeInternal(net.nodes[0]!.grpc_web);
    await nic.nodeControllerWaitReady();
    chainContext = await nic.consensusGetChainContext();
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the chain context that the client recomputes from the genesis document', async () => {
    assert.equal(chainContext, net.chain_context);
    assert.equal(oasis.genesis.chainContext(await nic.consensusGetGenesisDocument()), chainContext);
    const status = await nic.consensusGetStatus();
    assert.equal(status.chain_context, chainContext);
    assert.equal(status.status, 0, 'ready, as oasis-core encodes StatusStateReady');
    assert.ok(Number(status.latest_height) >= 2);
    const control = await nic.nodeControllerGetStatus();
    assert.equal(control.consensus?.chain_context, chainContext);
    assert.equal(await nic.nodeControllerIsReady(), true);
  });

  it('transfers tokens with a transaction the client signs, and refuses its replay', async () => {
    const [alice, bob] = signers();
    const a = oasis.staking.addressFromPublicKey(alice!.public());
    const b = oasis.staking.addressFromPublicKey(bob!.public());
    const [a0, b0, n0] = [await balance(a), await balance(b), await nonce(a)];
    const tw = await signed(oasis.staking.transferWrapper(), alice!, {
      to: b,
      amount: oasis.quantity.fromBigInt(12_345n),
    });
    await tw.submit(nic);
    assert.equal(await balance(b), b0 + 12_345n);
    // The transfer event is in the events of some recent block, with the transaction's hash.
    const latest = Number(await nic.consensusGetLatestHeight());
    const hash = await tw.hash();
    let found = false;
    for (let h = latest; h > latest - 10 && !found; h--) {
      const events = await nic.stakingGetEvents(h);
      found = events.some(
        (e) =>
          e.transfer &&
          oasis.misc.toHex(e.tx_hash!) === hash &&
          oasis.quantity.toBigInt(e.transfer.amount) === 12_345n,
      );
    }
    assert.ok(found, 'transfer event served by Staking/GetEvents');
    assert.equal(await balance(a), a0 - 12_345n);
    assert.equal(await nonce(a), n0 + 1n);
    assert.equal(BigInt(await nic.consensusGetSignerNonce({ account_address: a, height: 0 })), n0 + 1n);
    await assert.rejects(
      tw.submit(nic),
      (e: Coded) => e.oasisModule === 'consensus' || e.oasisModule === 'consensus/transaction',
    );
  });

  it('escrows to the validator entity and reclaims, with delegations visible in between', async () => {
    const [, , carol] = signers();
    const c = oasis.staking.addressFromPublicKey(carol!.public());
    const entity = (await nic.registryGetEntities(0))[0]!;
    const escrow = oasis.staking.addressFromPublicKey(entity.id);
    await (
      await signed(oasis.staking.addEscrowWrapper(), carol!, {
        account: escrow,
        amount: oasis.quantity.fromBigInt(10n ** 12n),
      })
    ).submit(nic);
    const delegations = await nic.stakingDelegationsFor({ height: 0, owner: c });
    const shares = [...delegations.values()][0]!.shares;
    assert.ok(oasis.quantity.toBigInt(shares) > 0n);
    await (await signed(oasis.staking.reclaimEscrowWrapper(), carol!, { account: escrow, shares })).submit(
      nic,
    );
    const debonding = await nic.stakingDebondingDelegationsFor({ height: 0, owner: c });
    assert.equal(debonding.size, 1);
    assert.equal((await nic.stakingDelegationsFor({ height: 0, owner: c })).size, 0);
  });

  it('reports a failing transaction with the coded error the client understands', async () => {
    const [, , , dave] = signers();
    const tw = await signed(oasis.staking.transferWrapper(), dave!, {
      to: oasis.staking.addressFromPublicKey(dave!.public()),
      amount: oasis.quantity.fromBigInt(10n ** 30n),
    });
    await assert.rejects(
      tw.submit(nic),
      (e: Coded & Error) => typeof e.oasisModule === 'string' || /balance/.test(e.message),
    );
  });

  it('decodes validators, entities, nodes and blocks', async () => {
    const validators = await nic.schedulerGetValidators(0);
    assert.equal(validators.length, 1);
    assert.ok(Number(validators[0]!.voting_power) > 0);
    const nodes = await nic.registryGetNodes(0);
    assert.deepEqual(nodes[0]!.entity_id, (await nic.registryGetEntities(0))[0]!.id);
    const height = await nic.consensusGetLatestHeight();
    const block = await nic.consensusGetBlock(height);
    assert.equal(Number(block.height), Number(height));
    const withResults = await nic.consensusGetTransactionsWithResults(height);
    assert.equal(withResults.transactions.length, withResults.results.length);
    // A dump of the state as a genesis document carries the ledger as it is now.
    const dump = await nic.consensusStateToGenesis(height);
    assert.equal(Number(dump.height), Number(height) + 1);
    assert.equal(dump.chain_id, (await nic.consensusGetGenesisDocument()).chain_id);
    assert.equal(dump.registry.entities?.length, 1);
    assert.ok((dump.staking.ledger?.size ?? 0) >= 6);
    // …and it is a valid genesis: a network restarted from it would start.
    const client = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
    try {
      const raw = await client.call('oasis-core.Consensus', 'StateToGenesis', Number(height));
      assert.equal(checkGenesis(decodeGenesis(encodeCanonical(raw))), 1);
    } finally {
      client.close();
    }
  });
});

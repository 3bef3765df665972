/**
 * A local network laid out with two ParaTimes (accounts and EVM): each gets its own runtime ID and
 * descriptor, every compute node registers for and hosts both, the EVM one carries the localnet chain ID
 * and funds each test account's deterministic Ethereum key (in wei), and the manifest and start-up lines
 * list what a developer needs — as `hardhat node` prints its funded keys.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Wallet } from 'ethers';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { addressFromRuntimeId } from '../../src/crypto/address.ts';
import { type GenesisDocument, readGenesisFile } from '../../src/genesis/document.ts';
import { describeLocalnet } from '../../src/localnet/describe.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { checkComputeSpec, LOCALNET_EVM_CHAIN_ID, prepareLocalnet } from '../../src/localnet/prepare.ts';
import { testAccount } from '../../src/localnet/test_accounts.ts';
import { loadConfig } from '../../src/node/config.ts';
import { genesisStateRoot, paraTime } from '../../src/runtime/process/paratimes/catalog.ts';
import { RegistryStateReader } from '../../src/services/registry/state.ts';
import { StakingStateReader } from '../../src/services/staking/state.ts';
import { LocalnetChain } from './chain.ts';

const ACCOUNTS_ID = `80${'0'.repeat(62)}`;
const EVM_ID = `80${'0'.repeat(61)}1`;
const TEST = 10n ** 9n;

describe('localnet with the accounts and the EVM ParaTime', () => {
  let dir: string;
  let net: LocalnetManifest;
  let doc: GenesisDocument;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oasis-ts-localnet-two-'));
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 2,
      runtimes: ['accounts', 'evm'],
      accounts: 3,
    });
    doc = readGenesisFile(net.genesis_file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists each runtime with its own ID, and the EVM one with its chain ID and JSON-RPC URL', () => {
    const web3 = net.runtimes[1]?.web3;
    assert.match(web3 ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(net.runtimes, [
      { id: ACCOUNTS_ID, name: 'accounts' },
      { id: EVM_ID, name: 'evm', chain_id: Number(LOCALNET_EVM_CHAIN_ID), web3 },
    ]);
    // The first compute node serves it.
    const served = loadConfig(net.nodes.find((n) => n.name === 'compute-0')!.config);
    assert.deepEqual(served.web3, { runtime_id: EVM_ID, listen_address: web3!.slice('http://'.length) });
    assert.equal(loadConfig(net.nodes.find((n) => n.name === 'compute-1')!.config).web3, undefined);
  });

  it('serves the dashboard on the first validator and metrics on every node', () => {
    const validator = loadConfig(net.nodes.find((n) => n.name === 'validator-0')!.config);
    assert.equal(net.dashboard, `http://${validator.dashboard.address}/`);
    for (const n of net.nodes) {
      const cfg = loadConfig(n.config);
      assert.equal(cfg.metrics.mode, 'pull');
      assert.equal(n.metrics, `http://${cfg.metrics.address}/metrics`);
    }
  });

  it('gives every test account a deterministic Ethereum key whose address ethers derives alike', () => {
    assert.equal(net.accounts.length, 3);
    for (const [i, a] of net.accounts.entries()) {
      assert.deepEqual(a, testAccount(i), 'the same keys on every machine');
      assert.match(a.eth_private_key, /^0x[0-9a-f]{64}$/);
      assert.equal(a.eth_address, new Wallet(a.eth_private_key).address);
    }
    assert.equal(new Set(net.accounts.map((a) => a.eth_address)).size, 3);
  });

  it('has every compute node host both runtimes, funding the Ethereum accounts in wei in the EVM one', () => {
    for (const n of net.nodes.filter((n) => n.roles.includes('compute'))) {
      const cfg = loadConfig(n.config);
      assert.deepEqual(
        cfg.runtimes.map((r) => [r.id, r.paratime]),
        [
          [ACCOUNTS_ID, 'accounts'],
          [EVM_ID, 'evm'],
        ],
      );
      const evm = cfg.runtimes[1]!.config as { balances: Record<string, string>; chain_id: string };
      assert.equal(evm.chain_id, LOCALNET_EVM_CHAIN_ID.toString());
      for (const a of net.accounts) {
        assert.equal(
          evm.balances[a.eth_address],
          (1_000_000n * 10n ** 18n).toString(),
          '1,000,000 TEST in wei',
        );
        assert.equal(evm.balances[a.address], (1_000_000n * 10n ** 18n).toString());
      }
      const accounts = cfg.runtimes[0]!.config as { balances: Record<string, string> };
      assert.deepEqual(
        Object.keys(accounts.balances),
        net.accounts.map((a) => a.address),
      );
    }
  });

  it('registers both runtimes at genesis, backed on consensus, and both compute nodes for both', () => {
    const chain = new LocalnetChain(doc);
    const registry = new RegistryStateReader(chain.state);
    const staking = new StakingStateReader(chain.state);
    const compute = loadConfig(net.nodes.find((n) => n.name === 'compute-0')!.config);
    for (const [i, id] of [ACCOUNTS_ID, EVM_ID].entries()) {
      const rt = registry.runtime(fromHex(id));
      assert.ok(rt, `${id} registered`);
      const cfg = compute.runtimes[i]!;
      const kind = paraTime(cfg.paratime);
      assert.deepEqual(rt.genesis.state_root, genesisStateRoot(kind, kind.localConfig(cfg.config, 'config')));
      assert.equal(rt.executor.group_size, 1);
      assert.equal(rt.executor.group_backup_size, 1);
      // Accounts: 3 test accounts; EVM: 3 Ed25519 and 3 Ethereum accounts.
      const backed = (i === 0 ? 3n : 6n) * 1_000_000n * TEST;
      assert.equal(staking.account(addressFromRuntimeId(fromHex(id))).general.balance, backed);
    }
    const computeNodes = registry.nodes().filter((n) => n.runtimes.length > 0);
    assert.equal(computeNodes.length, 2);
    for (const n of computeNodes)
      assert.deepEqual(
        n.runtimes.map((r) => toHex(r.id)),
        [ACCOUNTS_ID, EVM_ID],
      );
  });

  it('prints the runtimes and the funded keys at start', () => {
    const text = describeLocalnet(net).join('\n');
    assert.match(text, new RegExp(`runtime ${EVM_ID}: ParaTime evm, chain ID 42260, JSON-RPC http://127`));
    assert.ok(text.includes(`dashboard: ${net.dashboard}`));
    for (const a of net.accounts) {
      assert.ok(text.includes(a.eth_address), 'the Ethereum address');
      assert.ok(text.includes(a.eth_private_key), 'its private key');
    }
  });

  it('refuses a ParaTime named twice, before anything is written', () => {
    assert.throws(() => checkComputeSpec({ compute: 1, runtimes: ['evm', 'evm'] }), /"evm" named twice/);
    assert.throws(
      () => checkComputeSpec({ compute: 1, runtimes: ['evm', 'wasm'] }),
      /unknown ParaTime "wasm"/,
    );
    assert.throws(() => checkComputeSpec({ compute: 1, runtime: 'evm', runtimes: ['evm'] }), /not both/);
  });
});

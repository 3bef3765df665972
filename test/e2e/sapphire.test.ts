/**
 * The confidential EVM on a real localnet (1 validator, 3 compute nodes running `sapphire`, the key manager
 * node): ethers v6 over `@oasisprotocol/sapphire-paratime`'s EIP-1193 wrapper, unchanged, with transactions
 * signed by a local account behind the wrapper (as Hardhat's local accounts do): it fetches the runtime's
 * call-data key through the SUBCALL precompile, deploys a contract keeping a secret (encrypted deploy), an
 * encrypted transaction sets the secret, an encrypted `eth_call` reads it back; the calldata the chain
 * serves (`eth_getTransactionByHash`) does not contain it, nor does `eth_getStorageAt`; every compute node computed the same state root
 * (so each got the same keys from the key manager); and the key manager keeps its keys across a restart.
 * Contracts built on @oasisprotocol/sapphire-contracts work as on Sapphire: a view gated by SiweAuth answers
 * its owner's Sign-In-With-Ethereum token only (eth_call has a zero sender), and Sapphire.sol's random
 * bytes, Deoxys-II seal/open and signing precompiles answer through the library.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeyFetcher, wrapEthereumProvider } from '@oasisprotocol/sapphire-paratime';
import {
  BrowserProvider,
  Contract,
  ContractFactory,
  hexlify,
  type JsonRpcApiProvider,
  JsonRpcProvider,
  keccak256,
  type Signer,
  Transaction,
  toBeHex,
  toUtf8Bytes,
  Wallet,
} from 'ethers';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { contracts } from '../runtime/process/paratimes/evm/fixtures/contracts.ts';
import { sapphireContracts } from '../runtime/process/paratimes/evm/fixtures/sapphire_contracts.ts';
import { siweLogin } from '../runtime/process/paratimes/sapphire/siwe.ts';
import { ParaTimeClient } from './paratime_client.ts';
import { waitUntil } from './wait_until.ts';

const EPOCH_INTERVAL = 12;
const SECRET = keccak256(toUtf8Bytes('oasis-ts confidential e2e secret'));

/**
 * An EIP-1193 provider that signs `eth_sendTransaction` with a local key and passes everything else to the
 * node (what Hardhat's local-accounts handler is); the Sapphire wrapper goes in front of it.
 */
function localAccountProvider(node: JsonRpcApiProvider, wallet: Wallet) {
  return {
    request: async ({ method, params }: { method: string; params?: object | readonly unknown[] }) => {
      const args = (params ?? []) as unknown[];
      if (method === 'eth_accounts' || method === 'eth_requestAccounts') return [wallet.address];
      if (method !== 'eth_sendTransaction') return node.send(method, args);
      const tx = args[0] as { to?: string; data?: string; value?: string; gas?: string };
      const [nonce, gasPrice, chainId] = await Promise.all([
        node.send('eth_getTransactionCount', [wallet.address, 'latest']),
        node.send('eth_gasPrice', []),
        node.send('eth_chainId', []),
      ]);
      const raw = await wallet.signTransaction({
        type: 0,
        to: tx.to ?? null,
        data: tx.data ?? '0x',
        value: tx.value ?? 0n,
        gasLimit: tx.gas ?? 3_000_000n,
        gasPrice,
        nonce: Number(nonce),
        chainId,
      });
      return node.send('eth_sendRawTransaction', [raw]);
    },
  };
}

describe('confidential EVM (sapphire) with ethers v6 and sapphire-paratime', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-sapphire-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let node: JsonRpcProvider;
  let signer: Signer;
  let secret: Contract;
  let setTxHash: string;

  before(async () => {
    const deadline = Date.now() + 200_000;
    const left = () => Math.max(1, deadline - Date.now());
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 3,
      runtimes: ['sapphire'],
      epochInterval: EPOCH_INTERVAL,
      timeoutCommitMs: 250,
    });
    for (const n of net.nodes) n.pid = procs.start(n);
    await procs.waitHeight(net.nodes[0]!, EPOCH_INTERVAL + 2, left());
    const url = net.runtimes[0]!.web3!;
    node = new JsonRpcProvider(url, undefined, { batchMaxCount: 1 });
    node.pollingInterval = 250;
    // The runtime answers once it synced and the key manager serves its key.
    await waitUntil('call-data key served', left(), async () => {
      try {
        return typeof (await node.send('oasis_callDataPublicKey', [])).key === 'string';
      } catch {
        return false;
      }
    });
    const wallet = new Wallet(net.accounts[0]!.eth_private_key);
    // The wrapper caches the call-data key for 5 minutes by default, sized for Sapphire's hour-long epochs; a
    // key is accepted for a few epochs only, and this network's epochs last ~3 s, so the cache is scaled down.
    const fetcher = new KeyFetcher(2_000);
    const browser = new BrowserProvider(
      wrapEthereumProvider(localAccountProvider(node, wallet), { fetcher }),
    );
    browser.pollingInterval = 250;
    signer = await browser.getSigner(wallet.address);
  });

  after(async () => {
    node?.destroy();
    await procs.stopAll();
    // KEEP_DIR=1 keeps the localnet's data dir (node logs) for diagnosis.
    if (process.env.KEEP_DIR === '1') console.log(`localnet kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('serves the chain id and the signed call-data key', async () => {
    assert.equal(await node.send('eth_chainId', []), '0x5afd');
    const key = await node.send('oasis_callDataPublicKey', []);
    assert.match(key.key, /^0x[0-9a-f]{64}$/);
    assert.match(key.checksum, /^0x[0-9a-f]{64}$/);
    assert.match(key.signature, /^0x[0-9a-f]{128}$/);
    // Like the gateway, `epoch` is omitted when it is 0.
    assert.ok(key.epoch === undefined || typeof key.epoch === 'number');
  });

  it('deploys, sets the secret in an encrypted transaction and reads it back with an encrypted call', async () => {
    const { abi, bytecode } = contracts.Secret!;
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
    await deployed.waitForDeployment();
    secret = new Contract(await deployed.getAddress(), abi, signer);
    const tx = await secret.getFunction('set')(SECRET);
    const receipt = await tx.wait();
    assert.equal(receipt?.status, 1);
    setTxHash = tx.hash;
    assert.equal(await secret.getFunction('get')(), SECRET);
    // Plain calls still work; a view never learns its caller.
    const plain = new Contract(await deployed.getAddress(), abi, node);
    assert.equal(await plain.getFunction('whoCalls')(), `0x${'00'.repeat(20)}`);
  });

  it('gates a view with SiweAuth: the owner’s SIWE token answers, another’s or none reverts', async () => {
    const { abi, bytecode } = sapphireContracts.SiweGated!;
    const domain = 'localhost:5173';
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy(domain, 'for the owner only');
    await deployed.waitForDeployment();
    const gated = new Contract(await deployed.getAddress(), abi, signer);
    const owner = new Wallet(net.accounts[0]!.eth_private_key);
    const other = new Wallet(keccak256(toUtf8Bytes('another account')));
    const fields = {
      domain,
      chainId: BigInt(await node.send('eth_chainId', [])),
      issuedAt: new Date().toISOString(),
    };
    const token = await gated.getFunction('login')(...(await siweLogin(owner, fields)));
    assert.equal(await gated.getFunction('secret')(token), 'for the owner only');
    const otherToken = await gated.getFunction('login')(...(await siweLogin(other, fields)));
    await assert.rejects(gated.getFunction('secret')(otherToken), /NotOwner|revert/);
    await assert.rejects(gated.getFunction('secret')('0x'), /NotOwner|revert/);
    // A plain (unencrypted) call through the bare node works the same way.
    const plain = new Contract(await deployed.getAddress(), abi, node);
    assert.equal(await plain.getFunction('secret')(token), 'for the owner only');
    await assert.rejects(plain.getFunction('secret')('0x'), /NotOwner|revert/);
  });

  it('serves Sapphire.sol’s random bytes, encrypt/decrypt and signing through the library', async () => {
    const { abi, bytecode } = sapphireContracts.SapphireLib!;
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
    await deployed.waitForDeployment();
    const lib = new Contract(await deployed.getAddress(), abi, signer);
    const [ciphertext, opened] = await lib.getFunction('sealRoundTrip')(toUtf8Bytes('sealed in a contract'));
    assert.equal(opened, hexlify(toUtf8Bytes('sealed in a contract')));
    assert.notEqual(ciphertext, opened);
    const seed = keccak256(toUtf8Bytes('seed'));
    assert.equal(
      await lib.getFunction('signAndVerify')(3, seed, toUtf8Bytes('ctx'), toUtf8Bytes('msg')),
      true,
    );
    assert.equal(
      await lib.getFunction('signAndVerify')(0, seed, toUtf8Bytes('ctx'), toUtf8Bytes('msg')),
      true,
    );
  });

  it('keeps the secret out of the calldata the chain serves', async () => {
    const served = await node.send('eth_getTransactionByHash', [setTxHash]);
    assert.ok(served.input.startsWith('0xa264626f6479'), 'the calldata is a call envelope');
    assert.ok(!served.input.includes(SECRET.slice(2)), 'the secret is not in the calldata');
    // The signed transaction rebuilt from what is served hashes to the served hash, so the envelope is what
    // the sender signed and the chain holds.
    const rebuilt = Transaction.from({
      type: Number(served.type),
      chainId: BigInt(served.chainId),
      nonce: Number(served.nonce),
      gasPrice: BigInt(served.gasPrice),
      gasLimit: BigInt(served.gas),
      to: served.to,
      value: BigInt(served.value),
      data: served.input,
      // r and s are served as quantities (no leading zeros).
      signature: { r: toBeHex(BigInt(served.r), 32), s: toBeHex(BigInt(served.s), 32), v: BigInt(served.v) },
    });
    assert.equal(rebuilt.hash, setTxHash);
    assert.ok(!JSON.stringify(served).includes(SECRET.slice(2)));
    // Storage is encrypted at rest: the public store that eth_getStorageAt reads holds nothing.
    const slot0 = await node.send('eth_getStorageAt', [await secret.getAddress(), '0x0', 'latest']);
    assert.equal(slot0, `0x${'00'.repeat(32)}`);
  });

  it('has every compute node agree on the state root of the round', async () => {
    const receipt = await node.getTransactionReceipt(setTxHash);
    const roots = await Promise.all(
      net.nodes
        .filter((n) => n.roles.includes('compute'))
        .map(
          async (n) =>
            (await new ParaTimeClient(net, n).waitForRound(BigInt(receipt!.blockNumber))).header.state_root,
        ),
    );
    for (const r of roots) assert.deepEqual(r, roots[0]);
  });

  it('keeps the key manager’s master secret across its restart', async () => {
    const before = await node.send('oasis_callDataPublicKey', []);
    const km = net.nodes.find((n) => n.name === 'keymanager-0')!;
    await procs.stop(km.name);
    km.pid = procs.start(km);
    // The next epoch's key can only come from the restarted key manager; its checksum is the master secret's.
    let after: { epoch: number; checksum: string; key: string } | undefined;
    await waitUntil('a key of a later epoch', 120_000, async () => {
      after = await node.send('oasis_callDataPublicKey', []).catch(() => undefined);
      return after !== undefined && after.epoch > before.epoch;
    });
    assert.equal(after!.checksum, before.checksum);
    assert.notEqual(after!.key, before.key);
    assert.equal(await secret.getFunction('get')(), SECRET);
    const tx = await secret.getFunction('set')(keccak256(SECRET));
    assert.equal((await tx.wait())?.status, 1);
    assert.equal(await secret.getFunction('get')(), keccak256(SECRET));
  });
});

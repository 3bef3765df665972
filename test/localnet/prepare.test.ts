import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { fromHex, toHex, utf8 } from '../../src/codec/bytes.ts';
import { addressFromBech32, addressFromPublicKey, addressFromRuntimeId } from '../../src/crypto/address.ts';
import { EMPTY_HASH, sha512_256 } from '../../src/crypto/hash.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import { type GenesisDocument, readGenesisFile } from '../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { checkComputeSpec, prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { checkGenesis } from '../../src/node/genesis_check.ts';
import { genesisStateRoot, paraTime } from '../../src/runtime/process/paratimes/catalog.ts';
import { NodeRoles } from '../../src/services/registry/api/node.ts';
import { RegistryStateReader } from '../../src/services/registry/state.ts';
import { HeaderType, headerHash } from '../../src/services/roothash/api/block.ts';
import { signExecutorCommitment } from '../../src/services/roothash/api/commitment.ts';
import { messagesHash } from '../../src/services/roothash/api/messages.ts';
import { executorCommitBodyCodec, RoothashMethods } from '../../src/services/roothash/api/methods.ts';
import { RoothashStateReader } from '../../src/services/roothash/state.ts';
import { CommitteeKind } from '../../src/services/scheduler/api/committee.ts';
import { SchedulerStateReader } from '../../src/services/scheduler/state.ts';
import { StakingStateReader } from '../../src/services/staking/state.ts';
import { LocalnetChain } from './chain.ts';

const EPOCH_INTERVAL = 4;
const RUNTIME_ID = `80${'0'.repeat(62)}`;

/** The chain of `doc` run in process through the first block of `epoch`. */
function chainAtEpoch(doc: GenesisDocument, epoch: number): LocalnetChain {
  const chain = new LocalnetChain(doc);
  chain.advanceToEpoch(epoch);
  return chain;
}

/** The runtime's executor committee: hex node IDs of workers (in scheduling order) and backups. */
function committeeOf(chain: LocalnetChain) {
  const c = new SchedulerStateReader(chain.state).committee(
    CommitteeKind.computeExecutor,
    fromHex(RUNTIME_ID),
  );
  assert.ok(c, 'executor committee elected');
  const of = (role: number) => c.members.filter((m) => m.role === role).map((m) => toHex(m.public_key));
  return { validFor: c.valid_for, workers: of(1), backups: of(2) };
}

describe('localnet with compute nodes serving the accounts ParaTime', () => {
  let dir: string;
  let net: LocalnetManifest;
  let doc: GenesisDocument;
  const computeIds = new Set<string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oasis-ts-localnet-'));
    net = await prepareLocalnet({
      dir,
      validators: 4,
      compute: 3,
      runtime: 'accounts',
      executorModes: { 1: 'dishonest' },
      roundTimeout: 3n,
      byzantine: [3],
      epochInterval: EPOCH_INTERVAL,
    });
    doc = readGenesisFile(net.genesis_file);
    for (const n of net.nodes.filter((n) => n.roles.includes('compute')))
      computeIds.add(toHex(loadNodeIdentity(n.data_dir).node.publicKey));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the compute nodes and the runtime in localnet.json', () => {
    assert.deepEqual(
      net.nodes.map((n) => [n.name, n.roles]),
      [
        ...[0, 1, 2, 3].map((i) => [`validator-${i}`, ['validator']]),
        ...[0, 1, 2].map((i) => [`compute-${i}`, ['compute']]),
      ],
    );
    assert.deepEqual(net.runtimes, [{ id: RUNTIME_ID, name: 'accounts' }]);
    assert.equal(computeIds.size, 3);
  });

  it('writes a genesis that passes the full genesis load, electing the 4 validators', () => {
    assert.equal(checkGenesis(doc), 4);
    assert.equal(doc.registry.runtimes.length, 1);
    assert.equal(doc.registry.nodes.length, 7);
    // Alpha is high quality with proofs from 2/3 of the validators (compute nodes do not prove).
    assert.equal(doc.beacon.params.vrf_parameters?.alpha_hq_threshold, 3n);
  });

  it('gives compute nodes configs that load, name the runtime and fund every test account in it', () => {
    const compute = net.nodes.filter((n) => n.roles.includes('compute'));
    const expectedBalances = Object.fromEntries(net.accounts.map((a) => [a.address, '1000000000000000']));
    for (const [i, n] of compute.entries()) {
      const cfg = loadConfig(n.config);
      assert.equal(cfg.mode, 'compute');
      assert.equal(cfg.runtimes.length, 1);
      assert.equal(cfg.runtimes[0]!.id, RUNTIME_ID);
      assert.equal(cfg.runtimes[0]!.paratime, 'accounts');
      assert.deepEqual(cfg.runtimes[0]!.config, { balances: expectedBalances });
      assert.equal(cfg.debug.executor_mode, i === 1 ? 'dishonest' : 'honest');
      assert.match(cfg.grpc_web.address, /^127\.0\.0\.1:\d+$/);
      assert.equal(cfg.p2p.persistent_peers.length, net.nodes.length - 1);
      assert.ok(!cfg.p2p.persistent_peers.includes(n.p2p_address));
    }
    assert.deepEqual(
      net.nodes.map((n) => loadConfig(n.config).debug.double_sign),
      [false, false, false, true, false, false, false],
    );
    const validator = loadConfig(net.nodes[0]!.config);
    assert.equal(validator.mode, 'validator');
    assert.deepEqual(validator.runtimes, []);
    assert.equal(validator.p2p.registered_only, true);
    assert.ok(validator.p2p.persistent_peers.includes(compute[0]!.p2p_address));
    assert.ok(!('runtimes' in (parseYaml(readFileSync(net.nodes[0]!.config, 'utf8')) as object)));
  });

  it('registers the runtime with the genesis state root each compute node derives from its config', () => {
    const cfg = loadConfig(net.nodes.find((n) => n.name === 'compute-2')!.config).runtimes[0]!;
    const kind = paraTime(cfg.paratime);
    const root = genesisStateRoot(kind, kind.localConfig(cfg.config, 'config'));
    const { state } = chainAtEpoch(doc, 0);
    const rt = new RegistryStateReader(state).runtime(fromHex(RUNTIME_ID));
    assert.ok(rt, 'runtime registered');
    assert.deepEqual(rt.genesis.state_root, root);
    assert.equal(rt.executor.round_timeout, 3n);
    const validator0 = loadNodeIdentity(net.nodes[0]!.data_dir).node.publicKey;
    assert.deepEqual(rt.entity_id, new RegistryStateReader(state).node(validator0)!.entityId);
    const rs = new RoothashStateReader(state).runtimeState(fromHex(RUNTIME_ID))!;
    assert.deepEqual(rs.genesis_block.header.state_root, root);
    assert.equal(rs.genesis_block.header.round, 0n);
    const staking = new StakingStateReader(state);
    assert.equal(
      staking.account(addressFromRuntimeId(fromHex(RUNTIME_ID))).general.balance,
      BigInt(net.accounts.length) * 1_000_000n * 10n ** 9n,
      'the runtime account backs every test account balance in the runtime',
    );
    for (const a of net.accounts)
      assert.equal(staking.account(addressFromBech32(a.address)).general.balance, 1_000_000n * 10n ** 9n);
    const computeNodes = new RegistryStateReader(state)
      .nodes()
      .filter((n) => (n.roles & NodeRoles.computeWorker) !== 0);
    assert.equal(computeNodes.length, 3);
    for (const n of computeNodes) {
      assert.deepEqual(
        n.runtimes.map((r) => [toHex(r.id), r.version]),
        [[RUNTIME_ID, { major: 1, minor: 0, patch: 0 }]],
      );
      assert.ok(staking.account(addressFromPublicKey(n.entityId)).escrow.active.balance > 0n);
    }
  });

  it('elects 2 workers and 1 backup from the compute nodes at the first epoch, and the runtime runs', () => {
    const chain = chainAtEpoch(doc, 1);
    const { validFor, workers, backups } = committeeOf(chain);
    assert.equal(validFor, 1n);
    assert.equal(workers.length, 2);
    assert.equal(new Set(workers).size, 2);
    assert.equal(backups.length, 1);
    for (const id of [...workers, ...backups]) assert.ok(computeIds.has(id), `${id} is a compute node`);
    const rs = new RoothashStateReader(chain.state).runtimeState(fromHex(RUNTIME_ID))!;
    assert.equal(rs.suspended, false);
    assert.equal(rs.last_block.header.header_type, HeaderType.epochTransition);
    assert.equal(rs.last_block.header.round, 1n);
  });

  it('slashes the entity of a compute node that commits a wrong state root, the backup deciding', () => {
    const chain = new LocalnetChain(doc);
    // The beacon varies with the genesis; find an epoch whose backup is not also a worker.
    let committee: ReturnType<typeof committeeOf>;
    for (let epoch = 1; ; epoch++) {
      assert.ok(epoch < 40, 'some epoch elects a distinct backup');
      chain.advanceToEpoch(epoch);
      committee = committeeOf(chain);
      if (!committee.workers.includes(committee.backups[0]!)) break;
    }
    const reader = () => new RoothashStateReader(chain.state).runtimeState(fromHex(RUNTIME_ID))!;
    const round = reader().last_block.header.round + 1n;
    const scheduler = committee.workers[Number(round % 2n)]!;
    const wrong = committee.workers.find((w) => w !== scheduler)!;
    const backup = committee.backups[0]!;
    const registry = () => new RegistryStateReader(chain.state);
    const entityOf = (id: string) => registry().node(fromHex(id))!.entityId;
    const escrow = (id: string) =>
      new StakingStateReader(chain.state).account(addressFromPublicKey(entityOf(id))).escrow.active.balance;
    const before = escrow(wrong);
    const submit = (node: string, variant: string) => {
      const dataDir = net.nodes.find(
        (n) => toHex(loadNodeIdentity(n.data_dir).node.publicKey) === node,
      )!.data_dir;
      const last = reader().last_block.header;
      const commit = signExecutorCommitment(
        loadNodeIdentity(dataDir).node,
        fromHex(RUNTIME_ID),
        chain.chainContext,
        {
          scheduler_id: fromHex(scheduler),
          header: {
            round,
            previous_hash: headerHash(last),
            io_root: sha512_256(utf8('io')),
            state_root: sha512_256(utf8(variant)),
            messages_hash: messagesHash([]),
            in_msgs_hash: EMPTY_HASH,
            in_msgs_count: 0,
          },
          failure: 0,
          rak_sig: undefined,
        },
      );
      const body = executorCommitBodyCodec.encode({ id: fromHex(RUNTIME_ID), commits: [commit] });
      const [result] = chain.block([chain.signByTestAccount(net, RoothashMethods.executorCommit, body)]);
      assert.equal(result!.error, undefined, `${variant} commitment accepted`);
    };
    submit(scheduler, 'honest');
    submit(wrong, 'wrong');
    assert.equal(reader().pool?.discrepancy, true);
    submit(backup, 'honest');
    const header = reader().last_block.header;
    assert.equal(header.round, round);
    assert.equal(header.header_type, HeaderType.normal);
    assert.deepEqual(header.state_root, sha512_256(utf8('honest')));
    assert.deepEqual(
      new RoothashStateReader(chain.state).lastRoundResults(fromHex(RUNTIME_ID))?.bad_compute_entities,
      [entityOf(wrong)],
    );
    assert.equal(escrow(wrong), before - 1000n * 10n ** 9n);
  });
});

describe('localnet compute options', () => {
  it('are refused before anything is written when they cannot make a working network', async () => {
    const dir = join(tmpdir(), `oasis-ts-localnet-refused-${process.pid}`);
    await assert.rejects(prepareLocalnet({ dir, validators: 1, compute: 2 }), /need a ParaTime/);
    await assert.rejects(
      prepareLocalnet({ dir, validators: 1, compute: 1, runtime: 'nope' }),
      /unknown ParaTime "nope" \(known: accounts, evm, sapphire\)/,
    );
    await assert.rejects(
      prepareLocalnet({ dir, validators: 1, runtime: 'accounts' }),
      /at least one compute/,
    );
    assert.equal(existsSync(dir), false);
    checkComputeSpec({ compute: 1, runtime: 'accounts' });
    checkComputeSpec({});
  });
});

describe('localnet nodes on their own addresses', () => {
  it('listen, register and are dialled on the given hosts (nodes in network namespaces)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-hosts-'));
    try {
      const hosts = ['10.77.9.10', '10.77.9.11', '10.77.9.12'];
      const net = await prepareLocalnet({ dir, validators: 2, clients: 1, hosts });
      net.nodes.forEach((n, i) => {
        const config = loadConfig(n.config);
        assert.equal(config.p2p.host, hosts[i]);
        assert.match(n.p2p_address, new RegExp(`^/ip4/${hosts[i]!.replaceAll('.', '\\.')}/tcp/`));
        assert.ok(n.grpc_web.startsWith(`http://${hosts[i]}:`));
        for (const peer of config.p2p.persistent_peers) assert.ok(!peer.includes('127.0.0.1'), peer);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

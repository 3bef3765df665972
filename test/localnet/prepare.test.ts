import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { addressFromBech32, addressFromPublicKey, addressFromRuntimeId } from '../../src/crypto/address.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import { checkGenesis } from '../../src/genesis/check.ts';
import { chainContextOf, type GenesisDocument, readGenesisFile } from '../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { checkComputeSpec, prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { genesisStateRoot, paraTime } from '../../src/runtime/paratimes/catalog.ts';
import { assembleServices, genesisSections } from '../../src/services/assemble.ts';
import { NodeRoles } from '../../src/services/registry/api/node.ts';
import { RegistryStateReader } from '../../src/services/registry/state.ts';
import { HeaderType } from '../../src/services/roothash/api/block.ts';
import { RoothashStateReader } from '../../src/services/roothash/state.ts';
import { CommitteeKind } from '../../src/services/scheduler/api/types.ts';
import { SchedulerStateReader } from '../../src/services/scheduler/state.ts';
import { StakingStateReader } from '../../src/services/staking/state.ts';
import { memoryState } from '../../src/state/overlay.ts';

const EPOCH_INTERVAL = 4;
const RUNTIME_ID = `80${'0'.repeat(62)}`;

/** Runs the node's state machine from `doc`'s genesis through the first block of epoch `epoch`. */
function chainAtEpoch(doc: GenesisDocument, epoch: number) {
  const chainContext = chainContextOf(doc);
  const { mux } = assembleServices({ chainContext, sanityChecks: true });
  const state = memoryState();
  const initial = Number(doc.height);
  mux.initChain(state, initial - 1, doc.genesis_time, genesisSections(doc, chainContext));
  const last = initial - 1 + epoch * EPOCH_INTERVAL;
  for (let height = initial; height <= last; height++) {
    mux.executeBlock(state, {
      height,
      time: doc.genesis_time + height,
      proposer: new Uint8Array(0),
      lastCommit: [],
      misbehavior: [],
      txs: [],
    });
  }
  return state;
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
    const state = chainAtEpoch(doc, 0);
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
      1_000_000n * 10n ** 9n,
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
    const state = chainAtEpoch(doc, 1);
    const committee = new SchedulerStateReader(state).committee(
      CommitteeKind.computeExecutor,
      fromHex(RUNTIME_ID),
    );
    assert.ok(committee, 'executor committee elected');
    assert.equal(committee.valid_for, 1n);
    const workers = committee.members.filter((m) => m.role === 1).map((m) => toHex(m.public_key));
    const backups = committee.members.filter((m) => m.role === 2).map((m) => toHex(m.public_key));
    assert.equal(workers.length, 2);
    assert.equal(new Set(workers).size, 2);
    assert.equal(backups.length, 1);
    for (const id of [...workers, ...backups]) assert.ok(computeIds.has(id), `${id} is a compute node`);
    const rs = new RoothashStateReader(state).runtimeState(fromHex(RUNTIME_ID))!;
    assert.equal(rs.suspended, false);
    assert.equal(rs.last_block.header.header_type, HeaderType.epochTransition);
    assert.equal(rs.last_block.header.round, 1n);
  });
});

describe('localnet compute options', () => {
  it('are refused before anything is written when they cannot make a working network', async () => {
    const dir = join(tmpdir(), `oasis-ts-localnet-refused-${process.pid}`);
    await assert.rejects(prepareLocalnet({ dir, validators: 1, compute: 2 }), /need a ParaTime/);
    await assert.rejects(
      prepareLocalnet({ dir, validators: 1, compute: 1, runtime: 'nope' }),
      /unknown ParaTime "nope" \(known: accounts\)/,
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

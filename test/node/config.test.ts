import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, setPath } from '../../src/node/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-config-'));
const file = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

describe('node config', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('merges file values over defaults and resolves paths against the data dir', () => {
    const cfg = loadConfig(
      file(
        'ok.yml',
        'mode: validator\ncommon:\n  data_dir: /var/node\n  log: {level: debug}\np2p:\n  port: 9000\n',
      ),
    );
    assert.equal(cfg.common.data_dir, '/var/node');
    assert.equal(cfg.common.log.level, 'debug');
    assert.equal(cfg.common.log.format, 'json');
    assert.equal(cfg.p2p.port, 9000);
    assert.equal(cfg.genesis.file, '/var/node/genesis.json');
    assert.equal(cfg.consensus.timeout_commit_ms, null);
  });

  it('serves the dashboard only when dashboard.address is set, and refuses an address without a port', () => {
    assert.equal(loadConfig(file('d0.yml', 'common: {data_dir: /n}\n')).dashboard.address, '');
    const on = loadConfig(file('d1.yml', 'common: {data_dir: /n}\ndashboard: {address: 127.0.0.1:8080}\n'));
    assert.equal(on.dashboard.address, '127.0.0.1:8080');
    assert.throws(
      () => loadConfig(file('d2.yml', 'common: {data_dir: /n}\ndashboard: {address: localhost}\n')),
      (e) => e instanceof ConfigError && /dashboard\.address/.test(e.message),
    );
  });

  it('lets command-line overrides win over the file', () => {
    const overrides = {};
    setPath(overrides, 'p2p.port', 9100);
    setPath(overrides, 'common.data_dir', '/other');
    const cfg = loadConfig(file('o.yml', 'common: {data_dir: /var/node}\np2p: {port: 9000}\n'), overrides);
    assert.equal(cfg.p2p.port, 9100);
    assert.equal(cfg.common.data_dir, '/other');
  });

  it('names the bad key for unknown keys and wrong types', () => {
    assert.throws(
      () => loadConfig(file('u.yml', 'common: {data_dir: /x}\np2p: {prot: 1}\n')),
      (e) => e instanceof ConfigError && /u\.yml: p2p\.prot: unknown field/.test(e.message),
    );
    assert.throws(
      () => loadConfig(file('t.yml', 'common: {data_dir: /x}\nconsensus: {timeout_commit_ms: soon}\n')),
      /consensus\.timeout_commit_ms: expected an unsigned integer/,
    );
    assert.throws(
      () => loadConfig(file('p.yml', 'common: {data_dir: /x}\np2p: {port: 70000}\n')),
      /p2p\.port: port must be/,
    );
    assert.throws(
      () => loadConfig(file('m.yml', 'mode: miner\ncommon: {data_dir: /x}\n')),
      /mode: expected one of validator/,
    );
    assert.throws(
      () => loadConfig(file('g.yml', 'common: {data_dir: /x}\ngrpc_web: {address: nope}\n')),
      /grpc_web\.address: expected host:port/,
    );
  });

  it('reads the web3 section: a hosted runtime and a listen address (default 127.0.0.1:8545)', () => {
    const id = 'ab'.repeat(32);
    const runtimes = `runtimes: [{id: ${id}, paratime: evm}]\n`;
    assert.equal(loadConfig(file('n.yml', 'common: {data_dir: /x}\n')).web3, undefined);
    const cfg = loadConfig(file('w.yml', `common: {data_dir: /x}\n${runtimes}web3: {runtime_id: ${id}}\n`));
    assert.deepEqual(cfg.web3, { runtime_id: id, listen_address: '127.0.0.1:8545' });
    const at = loadConfig(
      file(
        'w2.yml',
        `common: {data_dir: /x}\n${runtimes}web3: {runtime_id: ${id}, listen_address: '0.0.0.0:9545'}\n`,
      ),
    );
    assert.equal(at.web3?.listen_address, '0.0.0.0:9545');
    assert.throws(
      () => loadConfig(file('w3.yml', `common: {data_dir: /x}\nweb3: {runtime_id: ${id}}\n`)),
      /web3\.runtime_id: .* is not one of runtimes\[\]\.id/,
    );
    assert.throws(
      () => loadConfig(file('w4.yml', `common: {data_dir: /x}\n${runtimes}web3: {runtime_id: nope}\n`)),
      /web3\.runtime_id: expected a runtime ID/,
    );
    assert.throws(
      () =>
        loadConfig(
          file('w5.yml', `common: {data_dir: /x}\n${runtimes}web3: {listen_address: '127.0.0.1:1'}\n`),
        ),
      /web3\.runtime_id: missing required field/,
    );
  });

  it("reads a runtime's tx_pool bounds over the defaults, floored", () => {
    const id = 'ab'.repeat(32);
    const runtime = (extra: string) =>
      loadConfig(file('t.yml', `common: {data_dir: /x}\nruntimes: [{id: ${id}, paratime: evm${extra}}]\n`))
        .runtimes[0]!;
    assert.equal(runtime('').tx_pool, undefined, 'absent: the node uses defaultTxPoolOptions()');
    assert.deepEqual(runtime(', tx_pool: {max_txs: 3}').tx_pool, {
      max_txs: 3,
      max_bytes: 64 * 1024 * 1024,
      max_per_sender: 64,
    });
    assert.deepEqual(runtime(', tx_pool: {max_txs: 0, max_bytes: 1, max_per_sender: 0}').tx_pool, {
      max_txs: 1,
      max_bytes: 64 * 1024,
      max_per_sender: 1,
    });
    assert.throws(() => runtime(', tx_pool: {max_txs: -1}'), /tx_pool\.max_txs/);
    assert.throws(() => runtime(', tx_pool: {size: 3}'), /tx_pool\.size/);
  });

  it('refuses unreadable or malformed files and a missing data dir', () => {
    assert.throws(() => loadConfig(join(dir, 'missing.yml')), /cannot read: ENOENT/);
    assert.throws(() => loadConfig(file('bad.yml', 'a: [1, 2\n')), /not valid YAML/);
    assert.throws(() => loadConfig(file('empty.yml', '')), /common\.data_dir: required/);
  });
});

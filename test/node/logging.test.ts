import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger, type LogOptions, levelFor, logOptionsDecoder } from '../../src/node/logging.ts';

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-logging-'));

/** Logs through a logger made from `options` into a file and returns the lines written. */
async function logged(
  options: Omit<LogOptions, 'file'>,
  expected: number,
  write: (log: ReturnType<typeof createLogger>) => void,
) {
  const file = join(dir, `${Math.floor(performance.now() * 1000)}.log`);
  const log = createLogger({ ...options, file });
  write(log);
  log.flush();
  // The file is opened and written asynchronously (a node never waits on its log); wait for the lines.
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.split('\n').filter(Boolean).length >= expected || Date.now() > deadline)
      return text.split('\n').filter(Boolean);
    await new Promise((r) => setTimeout(r, 10));
  }
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('log configuration', () => {
  it('takes a level, or oasis-node’s map of module levels with a default', () => {
    assert.deepEqual(logOptionsDecoder({ level: 'debug' }, 'log'), { level: 'debug' });
    assert.deepEqual(
      logOptionsDecoder({ level: { default: 'warn', consensus: 'debug' }, format: 'JSON' }, 'log'),
      {
        level: 'warn',
        modules: { consensus: 'debug' },
        format: 'json',
      },
    );
    assert.deepEqual(logOptionsDecoder({ format: 'logfmt', file: '/tmp/x.log' }, 'log'), {
      format: 'logfmt',
      file: '/tmp/x.log',
    });
  });

  it('refuses bad levels and formats, naming the key', () => {
    assert.throws(() => logOptionsDecoder({ level: 'loud' }, 'log'), /log\.level: expected one of trace/);
    assert.throws(
      () => logOptionsDecoder({ level: { p2p: 'loud' } }, 'log'),
      /log\.level\.p2p: expected one of/,
    );
    assert.throws(() => logOptionsDecoder({ level: 3 }, 'log'), /log\.level: expected a level or a map/);
    assert.throws(
      () => logOptionsDecoder({ format: 'xml' }, 'log'),
      /log\.format: expected one of logfmt, json, pretty/,
    );
    assert.throws(() => logOptionsDecoder({ colour: true }, 'log'), /log\.colour: unknown field/);
  });

  it('gives a module its own level, else its parent’s, else the default', () => {
    const o = {
      level: 'info' as const,
      modules: { runtime: 'debug' as const, 'runtime/host': 'error' as const },
    };
    assert.equal(levelFor(o, 'runtime'), 'debug');
    assert.equal(levelFor(o, 'runtime/executor'), 'debug');
    assert.equal(levelFor(o, 'runtime/host/child'), 'error');
    assert.equal(levelFor(o, 'p2p'), 'info');
    assert.equal(levelFor(o, undefined), 'info');
  });
});

describe('loggers', () => {
  it('apply module levels to child loggers', async () => {
    const lines = await logged(
      { level: 'warn', modules: { consensus: 'debug' }, format: 'json' },
      4,
      (log) => {
        log.info('root info is below warn');
        log.warn('root warn');
        const consensus = log.child({ module: 'consensus' });
        consensus.debug({ height: 5 }, 'consensus debug');
        consensus.child({ peer: 'x' }).debug('grandchild keeps the module level');
        log.child({ module: 'p2p' }).info('p2p info is below warn');
        log.error('root error, last');
      },
    );
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).msg),
      ['root warn', 'consensus debug', 'grandchild keeps the module level', 'root error, last'],
    );
  });

  it('write logfmt as oasis-node does', async () => {
    const [line] = await logged({ level: 'info', modules: {}, format: 'logfmt' }, 1, (log) =>
      log
        .child({ module: 'consensus' })
        .info({ height: 7, hash: 'ab', note: 'two words' }, 'block committed'),
    );
    assert.match(
      line!,
      /^level=info ts=\d{4}-\d\d-\d\dT[0-9:.]+Z module=consensus msg="block committed" height=7 hash=ab note="two words"$/,
    );
  });

  it('write pretty lines with time, level, module and message first', async () => {
    const [line] = await logged({ level: 'info', modules: {}, format: 'pretty' }, 1, (log) =>
      log.child({ module: 'p2p' }).warn({ peers: 0 }, 'no peers'),
    );
    assert.match(line!, /^\d\d:\d\d:\d\d\.\d{3} WARN {2}p2p: no peers {2}peers=0$/);
  });
});

/** `oasis-ts node`: runs a node (as `oasis-node` does), until SIGINT/SIGTERM or a shutdown request. */
import type { Command } from 'commander';
import { parsePortFlag, parseUint64Flag } from '../flags.ts';

const FLAG_PATHS: Record<string, [string, (v: string, flag: string) => unknown]> = {
  datadir: ['common.data_dir', String],
  'genesis.file': ['genesis.file', String],
  'p2p.port': ['p2p.port', parsePortFlag],
  'p2p.host': ['p2p.host', String],
  'log.level': ['common.log.level', String],
  'log.format': ['common.log.format', String],
  'log.file': ['common.log.file', String],
  'grpc_web.address': ['grpc_web.address', String],
  'metrics.mode': ['metrics.mode', String],
  'metrics.address': ['metrics.address', String],
  'consensus.prune.strategy': ['consensus.prune.strategy', String],
  'consensus.prune.num_kept': ['consensus.prune.num_kept', (v, f) => Number(parseUint64Flag(v, f))],
  'consensus.prune.interval': ['consensus.prune.interval', String],
  'dashboard.address': ['dashboard.address', String],
};

/** Registers the `node` command. */
export function registerNodeCommand(program: Command): void {
  const cmd = program
    .command('node')
    .description('run a node')
    .option('--config <file>', 'YAML configuration file');
  for (const flag of Object.keys(FLAG_PATHS))
    cmd.option(`--${flag} <value>`, `overrides ${FLAG_PATHS[flag]![0]}`);
  cmd.action(async (opts: Record<string, string | undefined>) => {
    // Loaded here, not at the top: the node pulls in libp2p, LMDB and every service, which would make
    // every other command start slowly.
    const [{ loadConfig, setPath }, { createLogger }, { Node }] = await Promise.all([
      import('../../node/config.ts'),
      import('../../node/logging.ts'),
      import('../../node/node.ts'),
    ]);
    const overrides: Record<string, unknown> = {};
    for (const [flag, [path, parse]] of Object.entries(FLAG_PATHS)) {
      const value = opts[flag];
      if (value !== undefined) setPath(overrides, path, parse(value, `--${flag}`));
    }
    const config = loadConfig(opts.config, overrides);
    if (opts['metrics.address'] !== undefined && config.metrics.mode === 'none')
      throw new Error('--metrics.address: metrics are off; add --metrics.mode pull (or metrics.mode: pull)');
    const log = createLogger(config.common.log);
    const node = await Node.start(config, log);
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void node.stop();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    await node.whenStopped();
  });
}

/**
 * `oasis-ts localnet up`: runs a local network of validators, and optionally compute nodes serving
 * ParaTimes, on this machine (test keys only).
 */
import type { Command } from 'commander';
import { paraTimeNames } from '../../runtime/process/paratimes/catalog.ts';

function count(value: string, flag: string, min: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < min)
    throw new Error(`${flag}: expected an integer ≥ ${min}`);
  return Number(value);
}

/** Registers the `localnet` command group. */
export function registerLocalnetCommands(program: Command): void {
  const localnet = program.command('localnet').description('local test networks');
  localnet
    .command('up')
    .description('create (or resume) a local network in --dir, run it until Ctrl-C')
    .requiredOption('--dir <dir>', 'directory of the network (created if missing, resumed if it exists)')
    .option('--validators <n>', 'validators of a new network', '4')
    .option('--compute <n>', 'compute nodes of a new network, serving --runtime', '0')
    .option(
      '--runtime <paratimes>',
      `ParaTimes the compute nodes run, comma-separated, one runtime each (${paraTimeNames().join(', ')})`,
    )
    .option('--epoch_interval <blocks>', 'blocks per epoch of a new network', '20')
    .option('--timeout_commit_ms <ms>', 'wait after each block of a new network', '1000')
    .action(async (opts: Record<string, string>) => {
      const runtimes = opts.runtime?.split(',').map((name) => name.trim());
      // Loaded when it runs: the localnet pulls in genesis building and every service.
      const { localnetUp } = await import('../../localnet/up.ts');
      await localnetUp({
        dir: opts.dir!,
        validators: count(opts.validators!, '--validators', 1),
        compute: count(opts.compute!, '--compute', 0),
        ...(runtimes !== undefined ? { runtimes } : {}),
        epochInterval: count(opts.epoch_interval!, '--epoch_interval', 1),
        timeoutCommitMs: count(opts.timeout_commit_ms!, '--timeout_commit_ms', 1),
        say: (line) => process.stdout.write(`${line}\n`),
      });
    });
}

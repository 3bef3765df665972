/**
 * The `oasis-ts` command tree, mirroring oasis-node's (`registry entity init`, `stake pubkey2address`, …).
 * Each command group lives in its own module under `commands/` and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { PACKAGE_VERSION } from '../version.ts';
import { registerConsensusCommands } from './commands/consensus.ts';
import { registerControlCommands } from './commands/control.ts';
import { registerDebugCommands } from './commands/debug.ts';
import { registerEntityTxCommands } from './commands/entity_tx.ts';
import { registerGenesisCommands } from './commands/genesis.ts';
import { registerGovernanceCommands } from './commands/governance.ts';
import { registerIdentityCommands } from './commands/identity.ts';
import { registerLocalnetCommands } from './commands/localnet.ts';
import { registerNodeCommand } from './commands/node.ts';
import { registerRegistryCommands } from './commands/registry.ts';
import { registerRegistryQueryCommands } from './commands/registry_query.ts';
import { registerRuntimeTxCommands } from './commands/runtime_tx.ts';
import { registerStakeCommands } from './commands/stake.ts';

/** Builds the full command tree. */
export function buildProgram(): Command {
  const program = new Command('oasis-ts')
    .description('A TypeScript node for the Oasis Network architecture')
    .version(PACKAGE_VERSION, '--version', 'print the software version')
    .showHelpAfterError()
    .exitOverride();
  registerDebugCommands(program);
  registerGenesisCommands(program);
  registerIdentityCommands(program);
  registerLocalnetCommands(program);
  registerNodeCommand(program);
  registerRegistryCommands(program);
  registerEntityTxCommands(program);
  registerRuntimeTxCommands(program);
  registerRegistryQueryCommands(program);
  registerStakeCommands(program);
  registerConsensusCommands(program);
  registerControlCommands(program);
  registerGovernanceCommands(program);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`); sets the exit code on failure. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** `oasis-ts stake …`: staking account helpers. */
import type { Command } from 'commander';
import { addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import { parsePublicKeyFlag } from '../flags.ts';

/** Registers the `stake` command group. */
export function registerStakeCommands(program: Command): void {
  const stake = program.command('stake').description('staking backend utilities');
  stake
    .command('pubkey2address')
    .description('print the staking account address of an entity/node public key')
    .requiredOption('--public_key <base64>', 'Ed25519 public key, base64')
    .action((opts: { public_key: string }) => {
      const key = parsePublicKeyFlag(opts.public_key, '--public_key');
      process.stdout.write(`${addressToBech32(addressFromPublicKey(key))}\n`);
    });
}

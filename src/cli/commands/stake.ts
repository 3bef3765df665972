/** `oasis-ts stake …`: staking account helpers. */
import type { Command } from 'commander';
import { fromBase64 } from '../../codec/bytes.ts';
import { addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';

/** Parses a base64 Ed25519 public key given on the command line. */
export function parsePublicKeyFlag(value: string, flag: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = fromBase64(value);
  } catch {
    throw new Error(`${flag}: not valid base64`);
  }
  if (key.length !== PUBLIC_KEY_SIZE)
    throw new Error(`${flag}: expected a ${PUBLIC_KEY_SIZE}-byte key, got ${key.length} bytes`);
  return key;
}

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

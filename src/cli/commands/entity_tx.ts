/**
 * `oasis-ts registry entity gen_register|gen_deregister`: offline registry transactions of an entity, as
 * oasis-node's: the descriptor in `--signer.dir/entity.json` is signed with the entity key
 * (register-entity context) and carried as the `registry.RegisterEntity` body; the transaction itself is
 * signed with the same key for the genesis file's chain.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { bytesEqual, toBase64 } from '../../codec/bytes.ts';
import { parseJsonFile } from '../../crypto/signer/json_files.ts';
import { entityFromJson, signEntity } from '../../services/registry/api/entity.ts';
import { RegistryMethods } from '../../services/registry/api/methods.ts';
import { addTxFlags, loadEntitySigner, type Opts, signAndSaveTx, txSetup } from './tx_file.ts';

async function genRegister(opts: Opts): Promise<void> {
  const setup = txSetup(opts);
  const signer = loadEntitySigner(opts);
  const path = join((opts['signer.dir'] as string | undefined) ?? process.cwd(), 'entity.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`--signer.dir: ${path}: ${(err as Error).message}`);
  }
  const entity = entityFromJson(parseJsonFile(text, path), path);
  if (!bytesEqual(entity.id, signer.publicKey)) {
    throw new Error(`${path}: entity ID ${toBase64(entity.id)} does not match the entity key`);
  }
  const summary = [
    `Entity: ${toBase64(entity.id)}`,
    `Nodes:  ${(entity.nodes ?? []).map(toBase64).join(', ') || 'none'}`,
  ];
  const tx = {
    nonce: setup.nonce,
    fee: setup.fee,
    method: RegistryMethods.registerEntity,
    body: signEntity(signer, entity),
  };
  await signAndSaveTx(opts, setup, tx, summary);
}

async function genDeregister(opts: Opts): Promise<void> {
  const setup = txSetup(opts);
  const tx = { nonce: setup.nonce, fee: setup.fee, method: RegistryMethods.deregisterEntity };
  await signAndSaveTx(opts, setup, tx, []);
}

/** Adds the entity transaction generators to the existing `registry entity` command. */
export function registerEntityTxCommands(program: Command): void {
  const entity = program.commands
    .find((c) => c.name() === 'registry')
    ?.commands.find((c) => c.name() === 'entity');
  if (!entity) throw new Error('registry entity command group must be registered first');
  addTxFlags(entity.command('gen_register').description('generate a register entity transaction')).action(
    (opts: Opts) => genRegister(opts),
  );
  addTxFlags(entity.command('gen_deregister').description('generate a deregister entity transaction')).action(
    (opts: Opts) => genDeregister(opts),
  );
}

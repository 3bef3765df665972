/**
 * `oasis-ts registry runtime gen_register`: an offline `registry.RegisterRuntime` transaction, as
 * oasis-node's. The runtime descriptor is read from `--runtime.descriptor` in oasis-core's JSON form
 * (hex IDs, base64 keys, enums by name) and carried unsigned as the body (descriptors are not signed
 * since oasis-core 21); the transaction is signed with the entity key for the genesis file's chain. As in
 * oasis-node, who may register it (owner, runtime, ownership transfer) is left to the chain to check.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toBase64, toHex } from '../../codec/bytes.ts';
import { parseJson } from '../../codec/typed.ts';
import { RegistryMethods } from '../../services/registry/api/methods.ts';
import {
  GovernanceModel,
  type Runtime,
  RuntimeKind,
  runtimeCodec,
} from '../../services/registry/api/runtime.ts';
import { commandGroup } from './groups.ts';
import { addTxFlags, type Opts, signAndSaveTx, txSetup } from './tx_file.ts';

const DESCRIPTOR_FLAG = '--runtime.descriptor';

const nameOf = (names: Readonly<Record<string, number>>, value: number) =>
  Object.keys(names).find((k) => names[k] === value) ?? String(value);

/**
 * Reads and strictly decodes a runtime descriptor file; errors name the flag, the file and the offending
 * field (e.g. `runtime.executor.group_size`).
 */
export function readRuntimeDescriptor(path: string): Runtime {
  const where = `${DESCRIPTOR_FLAG}: ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${where}: ${code === 'ENOENT' ? 'does not exist' : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = parseJson(text);
  } catch (err) {
    throw new Error(`${where}: invalid JSON: ${(err as Error).message}`);
  }
  try {
    return runtimeCodec.fromJson(json, 'runtime');
  } catch (err) {
    throw new Error(`${where}: not a valid runtime descriptor: ${(err as Error).message}`);
  }
}

async function genRegister(opts: Opts): Promise<void> {
  const path = opts['runtime.descriptor'];
  if (typeof path !== 'string' || path === '') {
    throw new Error(`${DESCRIPTOR_FLAG}: required (the runtime descriptor, JSON)`);
  }
  const setup = txSetup(opts);
  const runtime = readRuntimeDescriptor(path);
  const summary = [
    `Runtime:    ${toHex(runtime.id)} (${nameOf(RuntimeKind, runtime.kind)})`,
    `Entity:     ${toBase64(runtime.entity_id)}`,
    `Governance: ${nameOf(GovernanceModel, runtime.governance_model)}`,
  ];
  const tx = {
    nonce: setup.nonce,
    fee: setup.fee,
    method: RegistryMethods.registerRuntime,
    body: runtimeCodec.encode(runtime),
  };
  await signAndSaveTx(opts, setup, tx, summary);
}

/** Adds `registry runtime gen_register` (creating the `registry runtime` group when no one has yet). */
export function registerRuntimeTxCommands(program: Command): void {
  const registry = commandGroup(program, 'registry', 'registry backend utilities');
  const runtime = commandGroup(registry, 'runtime', 'runtime registry backend utilities');
  addTxFlags(
    runtime
      .command('gen_register')
      .description('generate a register runtime transaction')
      .option(`${DESCRIPTOR_FLAG} <path>`, 'path to the runtime descriptor (JSON)'),
  ).action((opts: Opts) => genRegister(opts));
}

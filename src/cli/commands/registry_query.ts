/**
 * `oasis-ts registry entity list`, `registry node list|is-registered` and `registry runtime list`, as
 * oasis-node's: what the registry holds at the latest height, one ID per line (base64 for entities and
 * nodes, hex for runtimes), or the descriptors as JSON with `-v`. `is-registered` exits 0 when the node of
 * `--datadir` is registered and 1 when it is not.
 */
import type { Command } from 'commander';
import type { NodeClient } from '../../api/grpc_client.ts';
import { toBase64, toHex } from '../../codec/bytes.ts';
import { loadRoleKey } from '../../crypto/signer/file_signer.ts';
import { CodedError } from '../../errors.ts';
import { RegistryErrors } from '../../services/registry/api/errors.ts';
import { cborToPrettyJson } from './cbor_json.ts';
import { commandGroup } from './groups.ts';
import { addClientFlags, ask, pinnedLatestHeight, withNode } from './node_client.ts';
import { print } from './output.ts';
import type { Opts } from './tx_file.ts';

const REGISTRY = 'oasis-core.Registry';

/** A descriptor as the registry serves it: every kind has an `id`. */
type Descriptor = { id: Uint8Array };

async function list(
  opts: Opts,
  method: string,
  request: (height: number) => unknown,
  what: string,
  showId: (id: Uint8Array) => string,
): Promise<void> {
  const items = await withNode(opts, async (c: NodeClient) => {
    const height = await pinnedLatestHeight(c);
    return ask<Descriptor[] | null>(c, REGISTRY, method, request(height), `list ${what}`);
  });
  for (const item of items ?? []) print(opts.verbose ? cborToPrettyJson(item) : `${showId(item.id)}\n`);
}

async function isRegistered(opts: Opts): Promise<void> {
  const dir = opts.datadir;
  if (typeof dir !== 'string' || dir === '') throw new Error('--datadir: required (the node data directory)');
  const id = loadRoleKey(dir, 'node').publicKey;
  const registered = await withNode(opts, async (c: NodeClient) => {
    const height = await pinnedLatestHeight(c);
    try {
      await c.call(REGISTRY, 'GetNode', { height, id });
      return true;
    } catch (err) {
      const noSuchNode = RegistryErrors.noSuchNode();
      if (CodedError.is(err, noSuchNode.module, noSuchNode.code)) return false;
      throw err;
    }
  });
  print(registered ? 'node is registered\n' : 'node is not registered\n');
  if (!registered) process.exitCode = 1;
}

/** Registers the registry's list commands under `registry entity|node|runtime`. */
export function registerRegistryQueryCommands(program: Command): void {
  const registry = commandGroup(program, 'registry', 'registry backend utilities');
  const verbose = (cmd: Command) =>
    addClientFlags(cmd).option('-v, --verbose', 'print the descriptors as JSON');
  const entity = commandGroup(registry, 'entity', 'entity registry backend utilities');
  verbose(entity.command('list').description('list registered entities')).action((opts: Opts) =>
    list(opts, 'GetEntities', (h) => h, 'entities', toBase64),
  );
  const node = commandGroup(registry, 'node', 'node registry backend utilities');
  verbose(node.command('list').description('list registered nodes')).action((opts: Opts) =>
    list(opts, 'GetNodes', (h) => h, 'nodes', toBase64),
  );
  addClientFlags(
    node.command('is-registered').description('check whether the node of --datadir is registered'),
  )
    .option('--datadir <dir>', 'node data directory (its identity.pem)')
    .action((opts: Opts) => isRegistered(opts));
  const runtime = commandGroup(registry, 'runtime', 'runtime registry backend utilities');
  verbose(runtime.command('list').description('list registered runtimes'))
    .option('--include_suspended', 'also list suspended runtimes')
    .action((opts: Opts) =>
      list(
        opts,
        'GetRuntimes',
        (height) => ({ height, include_suspended: opts.include_suspended === true }),
        'runtimes',
        toHex,
      ),
    );
}

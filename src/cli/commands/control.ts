/**
 * `oasis-ts control status|is-synced|wait-sync|shutdown|upgrade-binary|cancel-upgrade`: the node
 * controller over the node's socket
 * (`oasis-core.NodeController`), with oasis-node's exit statuses: `is-synced` exits 0 when synced and 1
 * when not, and a failure to ask the node at all exits 128 (so scripts can tell "not yet" from "broken").
 */
import type { Command } from 'commander';
import type { NodeClient } from '../../api/grpc_client.ts';
import { consensusStatusName } from '../../api/node_status.ts';
import { toHex } from '../../codec/bytes.ts';
import { stringifyJson } from '../../codec/json.ts';
import { descriptorProblem, upgradeDescriptorCodec } from '../../services/upgrade/api/descriptor.ts';
import { cborToJsonValue } from './cbor_json.ts';
import { addClientFlags, clientTarget, describeNodeError, withNode } from './node_client.ts';
import { print } from './output.ts';
import type { Opts } from './tx_file.ts';
import { readUpgradeDescriptorFile } from './upgrade_descriptor.ts';

const CONTROLLER = 'oasis-core.NodeController';
/** Exit status when the node could not be asked (oasis-node's). */
export const EXIT_NODE_UNREACHABLE = 128;
/** Waiting methods (wait-sync, shutdown --wait) may take as long as the node needs. */
const WAIT_TIMEOUT_MS = 7 * 24 * 3600_000;

/**
 * The status as oasis-node prints it: the consensus state as a word (`ready`/`syncing`), the latest block
 * hash in hex and its time in RFC 3339 (Go's JSON for those types); everything else as the node sent it.
 */
export function nodeStatusJson(status: unknown): unknown {
  const json = cborToJsonValue(status) as Record<string, unknown>;
  const raw = (status as { consensus?: Record<string, unknown> } | null)?.consensus;
  const consensus = json.consensus as Record<string, unknown> | undefined;
  if (raw === undefined || consensus === undefined) return json;
  if ('status' in raw) consensus.status = consensusStatusName(raw.status);
  if (raw.latest_hash instanceof Uint8Array) consensus.latest_hash = toHex(raw.latest_hash);
  if (typeof raw.latest_time === 'number' || typeof raw.latest_time === 'bigint')
    consensus.latest_time = new Date(Number(raw.latest_time) * 1000).toISOString().replace('.000Z', 'Z');
  return json;
}

/** Runs one controller call; on failure prints the error and sets `failureCode` as the exit status. */
async function controllerCall(
  opts: Opts,
  what: string,
  failureCode: number,
  fn: (c: NodeClient) => Promise<void>,
): Promise<void> {
  clientTarget(opts.address as string | undefined); // a bad --address is a flag error (status 1)
  try {
    await withNode(opts, fn);
  } catch (err) {
    process.stderr.write(`error: ${describeNodeError(`failed to ${what}`, err)}\n`);
    process.exitCode = failureCode;
  }
}

/** Registers the `control` command group. */
export function registerControlCommands(program: Command): void {
  const control = program.command('control').description('node control interface utilities');
  addClientFlags(control.command('status').description('show node status')).action((opts: Opts) =>
    controllerCall(opts, 'query node status', EXIT_NODE_UNREACHABLE, async (c) => {
      const status = await c.call(CONTROLLER, 'GetStatus');
      print(stringifyJson(nodeStatusJson(status)));
    }),
  );
  addClientFlags(
    control.command('is-synced').description('exit with 0 if the node completed initial syncing, 1 if not'),
  ).action((opts: Opts) =>
    controllerCall(opts, 'query sync status', EXIT_NODE_UNREACHABLE, async (c) => {
      const synced = await c.call(CONTROLLER, 'IsSynced');
      if (typeof synced !== 'boolean') throw new Error(`node sent ${String(synced)} instead of a boolean`);
      print(synced ? 'node completed initial syncing\n' : 'node has not completed initial syncing\n');
      if (!synced) process.exitCode = 1;
    }),
  );
  addClientFlags(
    control.command('wait-sync').description('wait for the node to complete initial syncing'),
  ).action((opts: Opts) =>
    controllerCall(opts, 'wait for sync', 1, async (c) => {
      await c.call(CONTROLLER, 'WaitSync', undefined, WAIT_TIMEOUT_MS);
    }),
  );
  addClientFlags(control.command('shutdown').description('request node shutdown'))
    .option('-w, --wait', 'wait for the node to finish shutdown')
    .action((opts: Opts) =>
      controllerCall(opts, 'request shutdown', 1, async (c) => {
        await c.call(CONTROLLER, 'RequestShutdown', opts.wait === true, WAIT_TIMEOUT_MS);
      }),
    );
  addClientFlags(
    control
      .command('upgrade-binary <upgrade-descriptor>')
      .description('submit an upgrade descriptor to the node and request shutdown'),
  ).action((file: string, opts: Opts) => {
    const d = readUpgradeDescriptorFile(file, '<upgrade-descriptor>');
    const problem = descriptorProblem(d);
    if (problem !== undefined) throw new Error(`submitted upgrade descriptor is not valid: ${problem}`);
    return controllerCall(opts, 'send the upgrade descriptor', 1, async (c) => {
      await c.call(CONTROLLER, 'UpgradeBinary', upgradeDescriptorCodec.encode(d));
    });
  });
  addClientFlags(
    control
      .command('cancel-upgrade <upgrade-descriptor>')
      .description('cancel a pending upgrade unless it is already in progress'),
  ).action((file: string, opts: Opts) => {
    const d = readUpgradeDescriptorFile(file, '<upgrade-descriptor>');
    return controllerCall(opts, 'send the upgrade cancellation', 1, async (c) => {
      await c.call(CONTROLLER, 'CancelUpgrade', upgradeDescriptorCodec.encode(d));
    });
  });
}

/**
 * Connecting the CLI to a running node, as oasis-node's `cmd/common/grpc` client flags: `-a/--address`
 * (default `unix:internal.sock`; a path to an existing file means that UNIX socket). The node's API has no
 * authentication, so only its local socket is reachable — TCP addresses are refused with a clear message.
 * Errors from the node are shown with their `{module, code}` so operators can look them up.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { NodeClient } from '../../api/grpc_client.ts';
import { CodedError } from '../../errors.ts';
import type { TokenInfo } from './amounts.ts';
import type { Opts } from './tx_file.ts';

/** oasis-node's default client address: the node's socket in the working directory. */
export const DEFAULT_ADDRESS = 'unix:internal.sock';

/** Adds `-a/--address` to a command. */
export function addClientFlags(cmd: Command): Command {
  return cmd.option(
    '-a, --address <addr>',
    'node gRPC address (unix:PATH to the internal socket)',
    DEFAULT_ADDRESS,
  );
}

/** The gRPC target for `--address`: `unix:PATH`, or an existing socket path given bare. */
export function clientTarget(address: string | undefined): string {
  const addr = address ?? DEFAULT_ADDRESS;
  if (addr.startsWith('unix:')) {
    if (addr.length === 'unix:'.length) throw new Error('--address: empty socket path after "unix:"');
    return addr;
  }
  if (existsSync(addr)) return `unix:${addr}`;
  throw new Error(
    `--address: ${JSON.stringify(addr)} is not a UNIX socket address (expected unix:PATH/internal.sock; the node serves its API only on its local socket)`,
  );
}

/** Describes an error from a node call for the operator (coded errors with their module and code). */
export function describeNodeError(what: string, err: unknown): string {
  if (err instanceof CodedError) return `${what}: ${err.message} (module: ${err.module}, code: ${err.code})`;
  return `${what}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Opens a client for `--address`, runs `fn`, and closes the client. */
export async function withNode<T>(opts: Opts, fn: (client: NodeClient) => Promise<T>): Promise<T> {
  const client = new NodeClient(clientTarget(opts.address as string | undefined));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Calls a unary method, turning a failure into an Error that says what was being asked. */
export async function ask<T>(
  client: NodeClient,
  service: string,
  method: string,
  request: unknown,
  what: string,
  timeoutMs?: number,
): Promise<T> {
  try {
    return await client.call<T>(service, method, request, timeoutMs);
  } catch (err) {
    throw new Error(describeNodeError(`failed to ${what}`, err));
  }
}

/** The token the node's ledger counts in (`TokenSymbol`, `TokenValueExponent` at `height`). */
export async function nodeToken(client: NodeClient, height: number): Promise<TokenInfo> {
  const symbol = await ask<string>(
    client,
    'oasis-core.Staking',
    'TokenSymbol',
    height,
    "query token's symbol",
  );
  const exponent = await ask<number>(
    client,
    'oasis-core.Staking',
    'TokenValueExponent',
    height,
    "query token's value exponent",
  );
  return { symbol, exponent: Number(exponent) };
}

/**
 * The node's latest height (`Consensus/GetLatestHeight`), so that the several queries of one command read
 * the same block; 0 (oasis-core's "latest") when the node does not serve it.
 */
export async function pinnedLatestHeight(client: NodeClient): Promise<number> {
  try {
    return Number(await client.call<number | bigint>('oasis-core.Consensus', 'GetLatestHeight'));
  } catch {
    return 0;
  }
}

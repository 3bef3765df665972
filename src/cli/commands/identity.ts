/**
 * `oasis-ts identity init --datadir DIR`: creates a node's identity keys (node, P2P, consensus, VRF, TLS) in
 * its data directory, as oasis-node's `identity init`; keys already there are kept, so it is safe to rerun.
 * A node also creates missing keys itself on first start.
 */
import type { Command } from 'commander';
import { toBase64 } from '../../codec/bytes.ts';
import { loadOrGenerateNodeIdentity } from '../../crypto/signer/node_identity.ts';
import { print } from './output.ts';

/** Registers the `identity` command group. */
export function registerIdentityCommands(program: Command): void {
  const identity = program.command('identity').description('node identity utilities');
  identity
    .command('init')
    .description("create the node's identity keys in --datadir (existing keys are kept)")
    .requiredOption('--datadir <dir>', 'node data directory')
    .action((opts: { datadir: string }) => {
      const id = loadOrGenerateNodeIdentity(opts.datadir);
      print(
        `node identity in ${opts.datadir}:\n` +
          `  node:      ${toBase64(id.node.publicKey)}\n` +
          `  consensus: ${toBase64(id.consensus.publicKey)}\n` +
          `  p2p:       ${toBase64(id.p2p.publicKey)}\n`,
      );
    });
}

/**
 * Starts a node's key manager service (`keymanager` section): its master secret from the data directory
 * (made on first start, 0600), its policy from the configuration, served over the node's P2P host. There is
 * no TEE behind it, so it is refused by configuration unless `debug.allow_insecure_keymanager`, and it says
 * at every start that its secrets are only as safe as this machine.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { fromHex, toHex } from '../codec/bytes.ts';
import type { P2PHost } from '../p2p/api.ts';
import { KeyManagerSecrets } from '../runtime/node/keymanager/kdf.ts';
import { loadOrCreateMasterSecret } from '../runtime/node/keymanager/master_secret.ts';
import type { KeyManagerOptions } from '../runtime/node/keymanager/options.ts';
import { KeyManagerService } from '../runtime/node/keymanager/service.ts';
import type { StateReader } from '../state/api.ts';
import { keyManagerRegistryReads } from './runtime_chain_reads.ts';

/** Where a key manager node keeps its master secret. */
export function masterSecretPath(dataDir: string): string {
  return join(dataDir, 'keymanager', 'master_secret');
}

/** Serves the key manager on `p2p`; returns its signing (RSK) public key. */
export function startKeyManager(
  options: KeyManagerOptions,
  dataDir: string,
  chainContext: string,
  p2p: P2PHost,
  latestState: () => StateReader | undefined,
  log: Logger,
): Uint8Array {
  const keyManagerId = fromHex(options.runtime_id);
  const { secret, created } = loadOrCreateMasterSecret(masterSecretPath(dataDir));
  const secrets = new KeyManagerSecrets(secret, keyManagerId);
  new KeyManagerService({
    chainContext,
    secrets,
    policy: { keyManagerId, mayQuery: options.may_query.map(fromHex) },
    reads: keyManagerRegistryReads,
    latestState,
    log: log.child({ module: 'keymanager' }),
  }).serve(p2p);
  log.warn(
    {
      key_manager: options.runtime_id,
      may_query: options.may_query,
      signing_key: toHex(secrets.signer.publicKey),
      master_secret: created ? 'generated' : 'loaded',
    },
    'INSECURE key manager: no TEE, no attestation; its master secret is a file in the data directory ' +
      '(debug.allow_insecure_keymanager). Never use it for anything of value.',
  );
  return secrets.signer.publicKey;
}

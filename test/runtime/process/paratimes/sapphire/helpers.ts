/** A confidential EVM runtime for tests, its keys derived by a real key manager's KDF. */
import { fromHex } from '../../../../../src/codec/bytes.ts';
import { KeyManagerSecrets } from '../../../../../src/runtime/node/keymanager/kdf.ts';
import { EvmRuntime } from '../../../../../src/runtime/process/paratimes/evm/runtime.ts';
import type { KeyPair } from '../../../../../src/runtime/protocol/keymanager.ts';
import { RUNTIME_ID, setup } from '../evm/helpers.ts';

const KM = fromHex(`c0${'00'.repeat(30)}ff`);
/** The key manager's secrets the test host derives from. */
export const secrets = new KeyManagerSecrets(new Uint8Array(32).fill(5), KM);

/** A confidential runtime whose host answers key requests from `secrets` (while `available()`). */
export function confidential(available = () => true) {
  const app = new EvmRuntime({ confidential: true });
  app.attachHost({
    keyPair: async (request): Promise<KeyPair> => {
      if (!available()) throw new Error('key manager unreachable');
      return secrets.keyPair({ runtime_id: RUNTIME_ID, ...request });
    },
  });
  return setup({}, app);
}

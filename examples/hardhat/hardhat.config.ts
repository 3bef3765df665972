/**
 * Hardhat 3 against an oasis-ts localnet's EVM ParaTime. The `localnet` network takes its JSON-RPC URL
 * and funded keys from the localnet's `localnet.json` (`OASIS_LOCALNET_JSON`, default the repository's
 * `.localnet/localnet.json`, as `npm run localnet` writes it); `OASIS_LOCALNET_RPC_URL` overrides the URL.
 * Solidity is compiled by the `solc` package's WASM build, so nothing is downloaded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import hardhatEthers from '@nomicfoundation/hardhat-ethers';
import hardhatNodeTestRunner from '@nomicfoundation/hardhat-node-test-runner';
import { defineConfig } from 'hardhat/config';

/** The parts of `localnet.json` used here. */
interface LocalnetJson {
  runtimes: { name: string; web3?: string }[];
  accounts: { eth_private_key: string }[];
}

const manifestFile =
  process.env.OASIS_LOCALNET_JSON ?? fileURLToPath(new URL('../../.localnet/localnet.json', import.meta.url));

/** The localnet's description, or none yet (compiling needs no network). */
function readLocalnet(): LocalnetJson | undefined {
  try {
    return JSON.parse(readFileSync(manifestFile, 'utf8')) as LocalnetJson;
  } catch {
    return undefined;
  }
}

const localnet = readLocalnet();
const url =
  process.env.OASIS_LOCALNET_RPC_URL ??
  localnet?.runtimes.find((r) => r.name === 'evm' && r.web3 !== undefined)?.web3 ??
  'http://127.0.0.1:8545';

export default defineConfig({
  plugins: [hardhatEthers, hardhatNodeTestRunner],
  solidity: {
    version: '0.8.37',
    // A path to a soljson.js makes Hardhat run it as solc-js instead of downloading a compiler.
    path: createRequire(import.meta.url).resolve('solc/soljson.js'),
  },
  networks: {
    localnet: {
      type: 'http',
      chainType: 'l1',
      url,
      accounts: (localnet?.accounts ?? []).map((a) => a.eth_private_key),
    },
  },
});

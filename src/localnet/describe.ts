/**
 * What `localnet up` prints once the network runs: its runtimes (with an EVM ParaTime's chain ID and
 * JSON-RPC URL), its nodes, and the funded test accounts with their keys, as `hardhat node` prints its
 * funded accounts — public test keys, never for value.
 */
import type { LocalnetManifest } from './manifest.ts';

/** The lines describing a running network. */
export function describeLocalnet(m: LocalnetManifest): string[] {
  const lines: string[] = [];
  for (const rt of m.runtimes) {
    const evm = rt.chain_id !== undefined ? `, chain ID ${rt.chain_id}` : '';
    const web3 = rt.web3 !== undefined ? `, JSON-RPC ${rt.web3}` : '';
    lines.push(`runtime ${rt.id}: ParaTime ${rt.name}${evm}${web3}`);
  }
  for (const n of m.nodes) {
    const metrics = n.metrics !== undefined ? `, metrics ${n.metrics}` : '';
    lines.push(`${n.name}: pid ${n.pid}, gRPC-web ${n.grpc_web}, socket ${n.internal_socket}${metrics}`);
  }
  if (m.dashboard !== undefined) lines.push(`dashboard: ${m.dashboard}`);
  if (m.accounts.length > 0) {
    const evm = m.runtimes.some((rt) => rt.name === 'evm');
    lines.push('', 'Funded test accounts (public keys: never use them for value)', '');
    for (const [i, a] of m.accounts.entries()) {
      lines.push(`Account #${i}: ${a.address} (ed25519 seed ${a.seed_hex})`);
      if (evm && a.eth_address !== undefined)
        lines.push(`  Ethereum ${a.eth_address} — Private Key: ${a.eth_private_key}`);
    }
    lines.push('');
  }
  return lines;
}

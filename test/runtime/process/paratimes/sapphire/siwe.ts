/** Sign-In-With-Ethereum (EIP-4361) messages as SiweAuth's parser reads them, and the signature `login` takes. */
import { Signature, type Wallet } from 'ethers';

/** The fields of one SIWE message. */
export interface SiweFields {
  domain: string;
  /** The address the message claims (defaults to the signer's). */
  address?: string;
  chainId: bigint;
  issuedAt: string;
  statement?: string;
}

/** The EIP-4361 text for `fields`, claiming `address`. */
export function siweMessage(fields: SiweFields & { address: string }): string {
  const statement = fields.statement === undefined ? '' : `${fields.statement}\n`;
  return [
    `${fields.domain} wants you to sign in with your Ethereum account:`,
    fields.address,
    '',
    `${statement}`,
    `URI: http://${fields.domain}`,
    'Version: 1',
    `Chain ID: ${fields.chainId}`,
    'Nonce: 3f7a91c2e5b4',
    `Issued At: ${fields.issuedAt}`,
  ].join('\n');
}

/** `login(message, {r, s, v})` arguments: `wallet` signs the message (EIP-191). */
export async function siweLogin(
  wallet: Wallet,
  fields: SiweFields,
): Promise<[string, { r: string; s: string; v: number }]> {
  const message = siweMessage({ ...fields, address: fields.address ?? wallet.address });
  const sig = Signature.from(await wallet.signMessage(message));
  return [message, { r: sig.r, s: sig.s, v: sig.v }];
}

/**
 * Ethereum addresses inside the ParaTime: the accounts module keeps one nonce and one balance under an
 * Ethereum account's `secp256k1eth` runtime-sdk address, which the EVM sees as its own. The mapping is
 * declared once in the crypto layer (the node's JSON-RPC endpoint reads the same addresses).
 */
export {
  ETH_ADDRESS_SIZE,
  ethAddressOfPublicKey,
  oasisAddressOfEth,
  parseEthAddress,
  SECP256K1ETH_CONTEXT,
} from '../../../../crypto/eth_address.ts';

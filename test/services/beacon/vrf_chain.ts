/**
 * A chain running the real consensus-parameters, beacon (VRF backend), staking and registry services
 * through the real mux over memory state, with nodes 1..3 of entity 1 registered at genesis.
 */
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import type { TxResult } from '../../../src/consensus/api/application.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import type { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { type BeaconGenesis, beaconGenesisCodec } from '../../../src/services/beacon/api/genesis.ts';
import { BACKEND_VRF } from '../../../src/services/beacon/api/params.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import { consensusParamsCodec } from '../../../src/services/consensus/api/params.ts';
import { ConsensusParametersService } from '../../../src/services/consensus/service.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import { RegistryService } from '../../../src/services/registry/service.ts';
import { StakingService } from '../../../src/services/staking/service.ts';
import { StakingState } from '../../../src/services/staking/state.ts';
import { CHAIN_CONTEXT, MuxChain } from '../fixtures/chain.ts';
import {
  nodeDescriptor,
  registryGenesis,
  registryParams,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../registry/fixture.ts';

export { CHAIN_CONTEXT };

/** VRF parameters of these tests: 6-block epochs, proofs after 2 blocks, 2 proofs for high quality. */
export const VRF_TEST_PARAMS = {
  alpha_hq_threshold: 2n,
  interval: 6n,
  proof_delay: 2n,
  gas_costs: { vrf_prove: 1000n },
};

/** The beacon genesis section as the genesis file carries it, decoded by the beacon's own decoder. */
export function vrfBeaconGenesis(params: Record<string, unknown> = VRF_TEST_PARAMS): BeaconGenesis {
  return beaconGenesisCodec.decode(
    decodeCanonical(encodeCanonical({ base: 0n, params: { backend: BACKEND_VRF, vrf_parameters: params } })),
    'beacon',
  );
}

/** The chain. */
export class VrfChain extends MuxChain {
  readonly beacon: BeaconService;

  constructor(beacon: BeaconGenesis = vrfBeaconGenesis()) {
    const service = new BeaconService();
    const nodes = [1, 2, 3].map((n) => signedNode(nodeDescriptor(n, 1, { expiration: 100n }), n));
    super({
      services: [
        new ConsensusParametersService(),
        service,
        new StakingService(registryHooks),
        new RegistryService(),
      ],
      epochs: service,
      sections: {
        consensus: {
          chainContext: CHAIN_CONTEXT,
          params: consensusParamsCodec.decode(decodeCanonical(encodeCanonical({})), 'params'),
        },
        beacon,
        staking: stakedGenesis([[1, 1_000_000n, 1_000_000n]]),
        registry: registryGenesis({
          params: registryParams({ max_node_expiration: 100n }),
          entities: [signedEntity(1, [1, 2, 3])],
          nodes,
        }),
      },
      time: (height) => 1_700_000_000 + height,
    });
    this.beacon = service;
  }

  /** Signs a transaction from `signer` with its account's nonce plus `later` (for several in one block). */
  sign(signer: Ed25519KeyPair, method: string, body: unknown, later = 0): Uint8Array {
    const account = new StakingState(this.state).account(addressFromPublicKey(signer.publicKey));
    return this.signTx(signer, method, body, { nonce: account.general.nonce + BigInt(later) });
  }

  /** Executes the next block with `txs` (proposed by `proposer`); returns the transaction results. */
  block(txs: Uint8Array[] = [], proposer = new Uint8Array(32)): TxResult[] {
    return this.runBlock(txs, { proposer }).results;
  }

  /** Runs empty blocks until the next block to execute is `height`. */
  runUntil(height: number): void {
    while (this.height < height) this.block();
  }
}

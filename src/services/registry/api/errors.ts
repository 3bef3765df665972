/**
 * Coded errors of the `registry` module, numbered and worded as oasis-core's `go/registry/api` registers
 * them, so clients see the same `{module, code}` pairs. Codes 1 and 2 are shared with descriptor
 * verification (`DescriptorErrors` in entity.ts).
 */
import { CodedError } from '../../../errors.ts';
import { REGISTRY_MODULE } from './entity.ts';

const coded = (code: number, text: string) => (detail?: string) =>
  new CodedError(REGISTRY_MODULE, code, detail === undefined ? text : `${text}: ${detail}`);

/** The registry error codes 1..19. */
export const RegistryErrors = Object.freeze({
  invalidArgument: coded(1, 'registry: invalid argument'),
  invalidSignature: coded(2, 'registry: invalid signature'),
  badEntityForNode: coded(3, 'registry: unknown entity in node registration'),
  badEntityForRuntime: coded(4, 'registry: unknown entity in runtime registration'),
  noEnclaveForRuntime: coded(5, 'registry: no enclaves for TEE runtime registration'),
  badEnclaveIdentity: coded(6, 'registry: bad enclave id'),
  badCapabilitiesTEEHardware: coded(7, 'registry: bad capabilities.TEE.Hardware'),
  teeHardwareMismatch: coded(8, 'registry: runtime TEE.Hardware mismatches the one in registry'),
  noSuchEntity: coded(9, 'registry: no such entity'),
  noSuchNode: coded(10, 'registry: no such node'),
  noSuchRuntime: coded(11, 'registry: no such runtime'),
  incorrectTxSigner: coded(12, 'registry: incorrect tx signer'),
  nodeExpired: coded(13, 'registry: node expired'),
  nodeCannotBeUnfrozen: coded(14, 'registry: node cannot be unfrozen yet'),
  entityHasNodes: coded(15, 'registry: entity still has nodes'),
  forbidden: coded(16, 'registry: forbidden by policy'),
  nodeUpdateNotAllowed: coded(17, 'registry: node update not allowed'),
  runtimeUpdateNotAllowed: coded(18, 'registry: runtime update not allowed'),
  entityHasRuntimes: coded(19, 'registry: entity still has runtimes'),
});

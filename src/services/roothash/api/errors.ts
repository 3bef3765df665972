/**
 * Coded roothash errors as oasis-core numbers them: the service's own (`roothash`, `go/roothash/api`) and
 * the commitment pool's (`roothash/commitment`, `go/roothash/api/commitment`), so clients see the same
 * `{module, code}` pairs.
 */
import { CodedError } from '../../../errors.ts';

/** Error/event module of the roothash service. */
export const ROOTHASH_MODULE = 'roothash';
/** Error module of commitment verification and the commitment pool. */
export const COMMITMENT_MODULE = 'roothash/commitment';

const rh = (code: number, message: string) => () =>
  new CodedError(ROOTHASH_MODULE, code, `roothash: ${message}`);
const cm = (code: number, message: string) => (detail?: string) =>
  new CodedError(COMMITMENT_MODULE, code, `roothash/commitment: ${message}${detail ? `: ${detail}` : ''}`);

/** Service errors (`roothash` module). */
export const RoothashErrors = Object.freeze({
  invalidArgument: rh(1, 'invalid argument'),
  notFound: rh(2, 'root hash not found'),
  invalidRuntime: rh(3, 'invalid runtime'),
  noExecutorPool: rh(4, 'no executor pool'),
  runtimeSuspended: rh(5, 'runtime is suspended'),
  noCommittee: rh(6, 'no committee'),
  maxMessagesTooBig: rh(7, 'max runtime messages is too big'),
  duplicateEvidence: rh(9, 'duplicate evidence'),
  invalidEvidence: rh(10, 'invalid evidence'),
  incomingMessageQueueFull: rh(11, 'incoming message queue full'),
  incomingMessageInsufficientFee: rh(12, 'insufficient fee'),
  maxInMessagesTooBig: rh(13, 'max incoming runtime messages is too big'),
});

/** Commitment errors (`roothash/commitment` module). */
export const CommitmentErrors = Object.freeze({
  noRuntime: cm(1, 'no runtime configured'),
  noCommittee: cm(2, 'no committee configured'),
  rakSigInvalid: cm(4, 'batch RAK signature invalid'),
  notInCommittee: cm(5, 'node not part of committee'),
  alreadyCommitted: cm(6, 'node already sent commitment'),
  notBasedOnCorrectBlock: cm(7, 'submitted commitment is not based on correct block'),
  badExecutorCommitment: cm(11, 'bad executor commitment'),
  invalidMessages: cm(13, 'invalid messages'),
});

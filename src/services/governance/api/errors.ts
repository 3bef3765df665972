/** Coded errors of the `governance` module, numbered as oasis-core's `go/governance/api` registers them. */
import { CodedError } from '../../../errors.ts';

/** Error/event module of the governance service. */
export const GOVERNANCE_MODULE = 'governance';

const coded = (code: number, fallback: string) => (msg?: string) =>
  new CodedError(GOVERNANCE_MODULE, code, msg ?? fallback);

/** The governance error codes (the client's `governance.ERR_*_CODE`). */
export const GovernanceErrors = Object.freeze({
  invalidArgument: coded(1, 'governance: invalid argument'),
  upgradeTooSoon: coded(2, 'governance: upgrade too soon'),
  upgradeAlreadyPending: coded(3, 'governance: upgrade already pending'),
  noSuchUpgrade: coded(4, 'governance: no such upgrade'),
  noSuchProposal: coded(5, 'governance: no such proposal'),
  notEligible: coded(6, 'governance: not eligible'),
  votingIsClosed: coded(7, 'governance: voting is closed'),
});

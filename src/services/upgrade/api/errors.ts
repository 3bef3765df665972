/** Coded errors of the `upgrade` module, numbered as oasis-core's `go/upgrade/api` registers them. */
import { CodedError } from '../../../errors.ts';

/** Error module of the upgrade manager. */
export const UPGRADE_MODULE = 'upgrade';

const coded = (code: number, fallback: string) => (msg?: string) =>
  new CodedError(UPGRADE_MODULE, code, msg ?? fallback);

/** The upgrade error codes. */
export const UpgradeErrors = Object.freeze({
  stopForUpgrade: coded(1, 'upgrade: reached upgrade epoch'),
  alreadyPending: coded(5, 'upgrade: submitted upgrade is already pending, can not resubmit descriptor'),
  upgradeInProgress: coded(6, 'upgrade: can not cancel upgrade in progress'),
  upgradeNotFound: coded(7, 'upgrade: not found'),
  badDescriptor: coded(8, 'upgrade: bad descriptor'),
});

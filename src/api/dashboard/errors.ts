/** Errors the dashboard's JSON endpoints answer with, each carrying the HTTP status that fits it. */
import { namedError } from '../../errors.ts';

/** A request the dashboard cannot answer: `status` is the HTTP status, `code` a stable name for scripts. */
export class DashboardError extends namedError('DashboardError') {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The dashboard's errors, one constructor per case. */
export const DashboardErrors = Object.freeze({
  notReady: () => new DashboardError(503, 'not_ready', 'no block committed yet'),
  badRequest: (message: string) => new DashboardError(400, 'bad_request', message),
  notFound: (message: string) => new DashboardError(404, 'not_found', message),
});

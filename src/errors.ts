/** The node's error classes: one way to name them, and the coded errors clients see. */

/** Any error class, abstract or not, whatever its constructor takes. */
type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Base for the node's own error classes: `Base` (default `Error`) with `name` set to `name`, so logs, tests
 * and `err.name` tell them apart. Used as `class ConfigError extends namedError('ConfigError') {}`.
 */
export function namedError<C extends ErrorClass = ErrorConstructor>(
  name: string,
  Base: C = Error as unknown as C,
): C {
  const Parent = Base as unknown as new (...args: unknown[]) => Error;
  return class extends Parent {
    constructor(...args: unknown[]) {
      super(...args);
      this.name = name;
    }
  } as unknown as C;
}

/**
 * Coded errors in the oasis-core style: every error a client can see carries a `{module, code}` pair
 * that the gRPC layer forwards, so `@oasisprotocol/client` raises an `OasisCodedError` with the same pair.
 */
export class CodedError extends namedError('CodedError') {
  /** Error module, e.g. `staking` or `consensus/transaction`. */
  readonly module: string;
  /** Error code within the module (1-based, as oasis-core numbers them). */
  readonly code: number;

  constructor(module: string, code: number, message: string) {
    super(message);
    this.module = module;
    this.code = code;
  }

  /** True when `err` is a coded error of the given module and code. */
  static is(err: unknown, module: string, code: number): boolean {
    return err instanceof CodedError && err.module === module && err.code === code;
  }
}

/** Error module used for malformed input at the encoding layer (no oasis-core equivalent: it is uncoded there). */
export const CODEC_MODULE = 'codec';

/** Malformed or non-canonical encoded input. `path` names the offending field, e.g. `tx.fee.amount`. */
export class CodecError extends namedError('CodecError', CodedError) {
  readonly path: string;

  constructor(path: string, message: string) {
    super(CODEC_MODULE, 1, path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

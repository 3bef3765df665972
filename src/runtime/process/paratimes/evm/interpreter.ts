/**
 * `@ethereumjs/evm`'s `Interpreter` class, which the package does not export: the module its index imports,
 * so the class here is the one every EVM runs. Two things in this ParaTime extend it: the jump analysis
 * memo (`jump_analysis.ts`) and Sapphire's gas precompiles (which need the calling frame). The version is
 * pinned in package.json; a change of the method names they wrap fails their tests.
 */

/** The interpreter's prototype, as far as this runtime touches it. */
export interface InterpreterPrototype {
  run(...args: unknown[]): Promise<unknown>;
  _getValidJumpDestinations(code: Uint8Array): unknown;
}

/** The interpreter class of the `@ethereumjs/evm` every engine here uses. */
export const Interpreter = (
  (await import(new URL('./interpreter.js', import.meta.resolve('@ethereumjs/evm')).href)) as {
    Interpreter: { prototype: InterpreterPrototype };
  }
).Interpreter;

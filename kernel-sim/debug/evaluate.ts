// C expressions for the debugger (hover, watch, the Debug Console, breakpoint conditions,
// logpoint {expr}, setVariable values), evaluated against a stopped machine with C's rules for
// x64 LLP64. The text goes through the compiler's own lexer, expression parser and checker in
// the selected frame's scope (expr-parse.ts); the typed tree is then interpreted over simulated
// memory without side effects on devices (expr-eval.ts). Assignments run only when asked (the
// REPL); function calls never do.

import type { Program as CProgram, VarObj } from '../c/ast';
import { EvalError, Interpreter, refusal } from './expr-eval';
import { parseInScope } from './expr-parse';
import type { TypedValue, ValueReader } from './values';

export interface EvalScope {
  program: CProgram;
  /** Parameters and locals visible in the selected frame, innermost scope first (may be empty: global scope). */
  locals: ReadonlyArray<{ v: VarObj; tv: TypedValue }>;
  /** A file-scope variable by name (the image's globals), or undefined. */
  global(name: string): TypedValue | undefined;
  /** A function's address by name (C functions and DDIs), or undefined. */
  functionAddress(name: string): number | undefined;
  reader: ValueReader;
}

export type EvalResult = { ok: true; value: TypedValue } | { ok: false; message: string };

/** Evaluates `text`; errors (syntax, types, unreadable memory) come back as messages, never thrown. */
export function evaluate(text: string, scope: EvalScope, opts: { sideEffects?: boolean } = {}): EvalResult {
  const parsed = parseInScope(text, scope.program, scope.locals.map((x) => x.v));
  if (!parsed.ok) return parsed;
  const refused = refusal(parsed.expr, opts.sideEffects ?? false);
  if (refused) return { ok: false, message: refused };
  try {
    return { ok: true, value: new Interpreter(scope).result(parsed.expr) };
  } catch (x) {
    if (x instanceof EvalError) return { ok: false, message: x.message };
    // A hover must never take the debugger down: anything else is reported too.
    return { ok: false, message: `cannot evaluate '${text}': ${x instanceof Error ? x.message : String(x)}` };
  }
}

/** Truthiness of a scalar result (breakpoint conditions); undefined when not a readable scalar. */
export function isTrue(r: TypedValue, reader: ValueReader): boolean | undefined {
  // An array or a function designator is a non-null address.
  if (r.type.kind === 'array' || r.type.kind === 'func') return true;
  if (r.type.kind === 'struct' || r.type.kind === 'union' || r.type.kind === 'void') return undefined;
  const v = reader.scalar(r);
  if (v === undefined) return undefined;
  return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

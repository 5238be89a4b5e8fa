// Debugger expressions through the real C front end: the text is lexed and parsed by the
// compiler's own expression grammar in a scope holding the driver's file-scope names (typedefs,
// tags, enum constants, globals, functions) and the selected frame's variables, so the typed,
// checked Expr the interpreter walks has exactly the compiler's conversions and member paths.

import type { Expr, Program as CProgram, VarObj } from '../c/ast';
import { DiagnosticBag } from '../c/diagnostics';
import { tokenize } from '../c/lexer';
import { expr } from '../c/parse-expr';
import { describe, type OrdinaryEntry, ParserState, SyntaxPanic } from '../c/parse-state';
import { newGlobalTable } from '../c/parser';
import { type SourceFile, type Token, TokenKind } from '../c/token';
import { intType } from '../c/types';
import { type Macro, MacroExpander } from '../c/pp-macro';

export type Parsed = { ok: true; expr: Expr } | { ok: false; message: string };

type Scope = ParserState['scopes'][number];

/**
 * Macros a debugger user writes all the time. The compiled program keeps no macros, so these
 * few are expanded here (only when the driver has no variable or constant of that name).
 */
const WELL_KNOWN_MACROS: ReadonlyMap<string, string> = new Map([
  ['NULL', '((void *)0)'],
  ['TRUE', '1'],
  ['FALSE', '0'],
]);

/** Front-end messages reworded for an expression typed into the debugger (not a source file). */
const PHRASING: ReadonlyArray<[RegExp, string]> = [
  [/^use of undeclared identifier '(.+)'$/, "'$1' is not a variable, constant or function in this scope"],
  [/^expected expression before /, 'expected an expression before '],
  [/ has no member named '(.+)'$/, " has no member '$1'"],
  [/ in program$/, ' in the expression'],
];

const CACHE_LIMIT = 512;
const fileScopes = new WeakMap<CProgram, Scope>();
const cache = new WeakMap<CProgram, Map<string, Parsed>>();

/**
 * `text` parsed and checked in the scope of `locals` (innermost first). Memoized per program,
 * frame variables and text: breakpoint conditions are parsed once, evaluated at every hit.
 */
export function parseInScope(text: string, program: CProgram, locals: readonly VarObj[]): Parsed {
  let perProgram = cache.get(program);
  if (!perProgram) cache.set(program, (perProgram = new Map()));
  const key = `${locals.map((v) => v.id).join(',')}\u0000${text}`;
  const hit = perProgram.get(key);
  if (hit) return hit;
  const parsed = parse(text, program, locals);
  if (perProgram.size >= CACHE_LIMIT) perProgram.clear();
  perProgram.set(key, parsed);
  return parsed;
}

function parse(text: string, program: CProgram, locals: readonly VarObj[]): Parsed {
  const diags = new DiagnosticBag();
  const file: SourceFile = { path: '<expression>', text: joinWinDbgHex(text), system: false };
  // A fresh table and outermost scope take whatever the parse declares (an implicitly declared
  // function, a tag named in a cast); the program's shared file scope is never written.
  const p = new ParserState(tokenize(file, diags), diags, newGlobalTable());
  p.scopes.push(fileScopeOf(program));
  p.pushScope();
  declareFrame(p, program, locals);
  p.tokens = expandMacros(p.tokens, program, (name) => p.lookup(name) !== undefined, diags);
  let e: Expr | undefined;
  try {
    if (diags.errorCount === 0) {
      e = expr(p);
      if (!p.atEOF()) p.error(p.tok, `unexpected ${describe(p.tok)} after the expression`);
    }
  } catch (x) {
    // SyntaxPanic: already reported. RangeError: a pathological nesting the limits let through.
    if (x instanceof RangeError) p.diags.error(p.tok, 'expression too complex');
    else if (!(x instanceof SyntaxPanic)) throw x;
  }
  const first = diags.items.find((d) => d.severity === 'error');
  if (first || !e) return { ok: false, message: phrase(first?.message ?? 'cannot parse the expression', program.macros !== undefined) };
  return { ok: true, expr: e };
}

/** The driver's file-scope names as the parser sees them at the end of a translation unit. */
function fileScopeOf(program: CProgram): Scope {
  const known = fileScopes.get(program);
  if (known) return known;
  const names = new Map<string, OrdinaryEntry>();
  for (const [name, type] of program.typedefs) names.set(name, { kind: 'typedef', type });
  // Enumeration constants have type int (C11 6.4.4.3).
  for (const [name, value] of program.enumConstants) names.set(name, { kind: 'enum', value, type: intType });
  for (const fn of program.functions) if (!names.has(fn.name)) names.set(fn.name, { kind: 'var', obj: fn });
  for (const g of program.globals) {
    if (g.owner || g.name.startsWith('(')) continue; // static locals, compound literals
    const prev = names.get(g.name);
    const prevDefined = prev?.kind === 'var' && prev.obj.kind === 'var' && prev.obj.defined;
    if (!prevDefined) names.set(g.name, { kind: 'var', obj: g });
  }
  const scope: Scope = { names, tags: new Map(program.tags) };
  fileScopes.set(program, scope);
  return scope;
}

/** The frame's function's static locals, then its parameters and locals (inner ones win). */
function declareFrame(p: ParserState, program: CProgram, locals: readonly VarObj[]): void {
  const owner = locals.find((v) => v.owner)?.owner;
  if (owner) for (const g of program.globals) if (g.owner === owner) p.declare(g.name, { kind: 'var', obj: g });
  for (let i = locals.length - 1; i >= 0; i--) p.declare(locals[i].name, { kind: 'var', obj: locals[i] });
}

/**
 * The driver's macros, as the source used them: register masks, CONTAINING_RECORD,
 * FIELD_OFFSET... A name the expression's scope declares (a variable, a constant) is not
 * expanded, so what the user sees in the frame is what they get.
 */
function expandMacros(tokens: Token[], program: CProgram, declared: (name: string) => boolean, diags: DiagnosticBag): Token[] {
  const all = program.macros;
  if (!all) return expandWellKnown(tokens, declared);
  const visible = (name: string): boolean => all.has(name) && !declared(name);
  const eof = tokens[tokens.length - 1];
  if (eof?.kind !== TokenKind.EOF || !tokens.some((t) => t.kind === TokenKind.Identifier && visible(t.text))) return tokens;
  const view = new ShadowedMacros(all, declared);
  const exp = new MacroExpander(diags, MAX_EXPANSION_TOKENS, { hasInclude: () => false }, view);
  const out = exp.expandList(tokens.slice(0, -1));
  out.push(eof);
  return out;
}

/** The program's macros minus the names the expression's scope declares (read only). */
class ShadowedMacros extends Map<string, Macro> {
  constructor(
    private readonly all: ReadonlyMap<string, Macro>,
    private readonly declared: (name: string) => boolean,
  ) {
    super();
  }

  override get(name: string): Macro | undefined {
    return this.declared(name) ? undefined : this.all.get(name);
  }

  override has(name: string): boolean {
    return this.all.has(name) && !this.declared(name);
  }
}

/** A debugger expression's expansion is small; a runaway one stops early. */
const MAX_EXPANSION_TOKENS = 100_000;

function expandWellKnown(tokens: Token[], declared: (name: string) => boolean): Token[] {
  if (!tokens.some((t) => t.kind === TokenKind.Identifier && WELL_KNOWN_MACROS.has(t.text))) return tokens;
  const out: Token[] = [];
  for (const t of tokens) {
    const body = t.kind === TokenKind.Identifier && !declared(t.text) ? WELL_KNOWN_MACROS.get(t.text) : undefined;
    if (body === undefined) {
      out.push(t);
      continue;
    }
    const expansion = tokenize({ path: '<expression>', text: body, system: false }, new DiagnosticBag());
    for (const x of expansion) if (x.kind !== TokenKind.EOF) out.push({ ...x, line: t.line, col: t.col, hasSpace: t.hasSpace, atBol: t.atBol });
  }
  return out;
}

/** WinDbg writes 64-bit addresses with a backtick between the halves: 0xfffff800`0000a000. */
function joinWinDbgHex(text: string): string {
  return text.includes('`') ? text.replace(/\b(0[xX][0-9a-fA-F]+)`([0-9a-fA-F]+)\b/g, '$1$2') : text;
}

function phrase(message: string, macrosKnown: boolean): string {
  for (const [re, replacement] of PHRASING) {
    if (!re.test(message)) continue;
    const m = message.replace(re, replacement);
    // A program compiled elsewhere may come without its macros: say why a macro name fails.
    const name = /^'([A-Z][A-Z0-9_]*)' is not a variable/.exec(m)?.[1];
    return name && !macrosKnown ? `${m} (macros other than NULL, TRUE and FALSE are not available)` : m;
  }
  return message;
}

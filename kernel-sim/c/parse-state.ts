// Parser state shared by the grammar files (parse-decl, parse-expr, parse-stmt, parse-init):
// the token cursor, scopes with the typedef table, the current function, limits.

import type { DiagnosticBag } from './diagnostics';
import { type Token, TokenKind, userPos, type SourcePos } from './token';
import type { CType, EnumType, RecordType } from './types';
import type { DeclAttributes, FuncObj, LabelStmt, GotoStmt, SwitchStmt, VarObj } from './ast';
import type { PragmaRecord } from './preprocessor';

/** Functions and file-scope objects by name, shared by the translation units of one program. */
export interface GlobalTable {
  functions: Map<string, FuncObj>;
  globals: Map<string, VarObj>;
  functionList: FuncObj[];
  globalList: VarObj[];
  /** Internal-linkage (static) functions and objects of the translation unit being parsed. */
  unitLocal: Map<string, FuncObj | VarObj>;
  /** Number of the translation unit being parsed (0, 1, ...). */
  unit: number;
  /** Functions given a body in an earlier unit (inline ones may be defined again, MSVC). */
  definedIn: Map<FuncObj, number>;
  /** Next object/function id: unique across the whole program. */
  nextId: number;
}

/**
 * #pragma pack(n) | pack() | pack(push[, id][, n]) | pack(pop[, id][, n]) (MSVC): `pop, id`
 * pops up to and including the record pushed with that id; a trailing n then applies.
 */
function applyPackPragma(p: ParserState, pr: PragmaRecord): void {
  const t = pr.tokens;
  if (t.length === 0 || t[0].text !== 'pack') return;
  const args = t.slice(2, t.length - 1).filter((x) => x.text !== ',');
  const isNum = (x: Token): boolean => /^[0-9]+$/.test(x.text);
  const valid = (n: number): boolean => n === 1 || n === 2 || n === 4 || n === 8 || n === 16;
  const bad = (): void => p.diags.at('warning', pr, "invalid alignment in '#pragma pack'; ignored (expected 1, 2, 4, 8 or 16)");
  const first = args[0]?.text;
  const id = args.find((x, i) => i > 0 && !isNum(x))?.text;
  const numTok = args.find((x, i) => (first === 'push' || first === 'pop' ? i > 0 : true) && isNum(x));
  const n = numTok ? Number(numTok.text) : undefined;
  if (n !== undefined && !valid(n)) {
    bad();
    return;
  }
  if (first === 'push') {
    p.packStack.push({ id, value: p.pack });
    if (n !== undefined) p.pack = n;
  } else if (first === 'pop') {
    if (id !== undefined) {
      const at = p.packStack.map((r) => r.id).lastIndexOf(id);
      if (at < 0) {
        p.diags.at('warning', pr, `'#pragma pack(pop, ${id})': no record named '${id}' was pushed`);
      } else {
        p.pack = p.packStack[at].value;
        p.packStack.length = at;
      }
    } else {
      p.pack = p.packStack.pop()?.value ?? 0;
    }
    if (n !== undefined) p.pack = n;
  } else if (first === undefined) {
    p.pack = 0;
  } else if (n !== undefined && isNum(args[0])) {
    p.pack = n;
  } else if (first !== 'show') {
    bad();
  }
}

/** Thrown to unwind to the nearest recovery point after a syntax error has been reported. */
export class SyntaxPanic {
  /**
   * @param fatal stop parsing the translation unit
   * @param resynced the thrower already skipped past the bad construct; catchers must not skip
   */
  constructor(
    readonly fatal: boolean,
    readonly resynced = false,
  ) {}
}

export type OrdinaryEntry =
  | { kind: 'var'; obj: VarObj | FuncObj }
  | { kind: 'typedef'; type: CType; attrs?: DeclAttributes }
  | { kind: 'enum'; value: bigint; type: CType };

interface Scope {
  names: Map<string, OrdinaryEntry>;
  tags: Map<string, RecordType | EnumType>;
}

/** Deepest nesting of parentheses, blocks, declarators or initializer braces we accept. */
export const MAX_NESTING = 256;
/** Most operators in one full expression (keeps every later tree walk off the stack limit). */
export const MAX_EXPR_NODES = 50_000;

export interface FunctionContext {
  fn: FuncObj;
  labels: Map<string, LabelStmt>;
  gotos: GotoStmt[];
  switches: SwitchStmt[];
  loopDepth: number;
  breakDepth: number;
}

export class ParserState {
  pos = 0;
  readonly scopes: Scope[] = [{ names: new Map(), tags: new Map() }];
  fn: FunctionContext | undefined;
  nesting = 0;
  exprNodes = 0;
  /** #pragma pack stack and current value (0 = default). */
  pack = 0;
  readonly packStack: { id: string | undefined; value: number }[] = [];
  get unit(): number {
    return this.table.unit;
  }
  /** File-scope compound literals (static storage), handed to the program as globals. */
  readonly compoundLiterals: VarObj[] = [];

  constructor(
    public tokens: Token[],
    public diags: DiagnosticBag,
    readonly table: GlobalTable,
    private readonly pragmas: readonly PragmaRecord[] = [],
  ) {}

  private nextPragma = 0;

  /**
   * Applies the #pragma pack directives that came before the current token (pragmas are
   * taken out of the token stream by the preprocessor, which records where they stood).
   */
  syncPragmas(): void {
    while (this.nextPragma < this.pragmas.length && this.pragmas[this.nextPragma].tokenIndex <= this.pos) {
      applyPackPragma(this, this.pragmas[this.nextPragma++]);
    }
  }

  // ---- cursor ----
  get tok(): Token {
    return this.tokens[this.pos];
  }
  peek(n = 1): Token {
    const i = Math.min(this.pos + n, this.tokens.length - 1);
    return this.tokens[i];
  }
  next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== TokenKind.EOF) this.pos++;
    return t;
  }
  /** The current token is the punctuator or keyword `text` (never matches inside a literal). */
  is(text: string): boolean {
    const t = this.tokens[this.pos];
    return t.text === text && (t.kind === TokenKind.Punct || t.kind === TokenKind.Identifier);
  }
  isAt(n: number, text: string): boolean {
    const t = this.peek(n);
    return t.text === text && (t.kind === TokenKind.Punct || t.kind === TokenKind.Identifier);
  }
  consume(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
  }
  expect(text: string, what?: string): Token {
    if (this.is(text)) return this.next();
    this.errorHere(`expected '${text}'${what ? ` ${what}` : ''} before ${describe(this.tok)}`);
    throw new SyntaxPanic(false);
  }
  atEOF(): boolean {
    return this.tok.kind === TokenKind.EOF;
  }

  // ---- diagnostics ----
  error(tok: Token, message: string): void {
    this.diags.error(tok, message);
    if (this.diags.tooMany) throw new SyntaxPanic(true);
  }
  warning(tok: Token, message: string): void {
    this.diags.warning(tok, message);
  }
  errorHere(message: string): void {
    this.error(this.tok, message);
  }
  /** Report and unwind to the nearest recovery point. */
  fail(tok: Token, message: string): never {
    this.error(tok, message);
    throw new SyntaxPanic(false);
  }

  // ---- nesting guard ----
  enter(tok: Token): void {
    if (++this.nesting > MAX_NESTING) {
      this.error(tok, `nesting too deep (more than ${MAX_NESTING} levels of parentheses, blocks or declarators)`);
      throw new SyntaxPanic(true);
    }
  }
  leave(): void {
    this.nesting--;
  }
  countNode(tok: Token): void {
    if (++this.exprNodes > MAX_EXPR_NODES) {
      this.error(tok, `expression too complex (more than ${MAX_EXPR_NODES} operators)`);
      throw new SyntaxPanic(true);
    }
  }

  // ---- scopes ----
  pushScope(): void {
    this.scopes.push({ names: new Map(), tags: new Map() });
  }
  popScope(): void {
    this.scopes.pop();
  }
  get atFileScope(): boolean {
    return this.scopes.length === 1;
  }
  lookup(name: string): OrdinaryEntry | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i].names.get(name);
      if (e) return e;
    }
    return undefined;
  }
  lookupTag(name: string): RecordType | EnumType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i].tags.get(name);
      if (e) return e;
    }
    return undefined;
  }
  get scope(): Scope {
    return this.scopes[this.scopes.length - 1];
  }
  declare(name: string, entry: OrdinaryEntry): void {
    this.scope.names.set(name, entry);
  }
  declareTag(name: string, t: RecordType | EnumType): void {
    this.scope.tags.set(name, t);
  }
  /** Is `tok` a typedef name visible here (and not shadowed by an object)? */
  isTypedefName(tok: Token): boolean {
    if (tok.kind !== TokenKind.Identifier) return false;
    const e = this.lookup(tok.text);
    return e !== undefined && e.kind === 'typedef';
  }

  posOf(tok: Token): SourcePos {
    return userPos(tok);
  }
  newId(): number {
    return this.table.nextId++;
  }
}

/** Skips a balanced (), [] or {} group starting at the current token (which must open it). */
export function skipGroup(p: ParserState): void {
  const open = p.tok.text;
  const close = open === '(' ? ')' : open === '[' ? ']' : '}';
  let depth = 0;
  while (!p.atEOF()) {
    const t = p.next();
    if (t.kind !== TokenKind.Punct) continue;
    if (t.text === open) depth++;
    else if (t.text === close && --depth === 0) return;
  }
}

export function describe(tok: Token): string {
  switch (tok.kind) {
    case TokenKind.EOF:
      return 'end of input';
    case TokenKind.String:
      return 'string constant';
    case TokenKind.Number:
    case TokenKind.Char:
      return 'numeric constant';
    default:
      return `'${tok.text}'`;
  }
}

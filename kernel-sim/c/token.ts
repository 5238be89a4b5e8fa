// Shared data types of the C front end: tokens, source positions, macro-expansion history.
// Every phase (lexer → preprocessor → parser → checker) speaks in these.

/** A source file as the front end sees it: decoded text plus a stable path. */
export interface SourceFile {
  /** Path as given or resolved (forward slashes); simulated headers use "<sim>/wdm.h". */
  readonly path: string;
  /** Decoded text (UTF-8 when valid, else Latin-1 byte-per-char); CRLF kept as is. */
  readonly text: string;
  /** True for kdsim's simulated system headers (kernel-sim/include). */
  readonly system: boolean;
}

export const enum TokenKind {
  Identifier = 1, // includes keywords: the parser decides, macros may redefine any name
  Number = 2, // a preprocessing number (pp-number); see lexer.parseNumber
  Char = 3, // character constant including prefix: 'a', L'x', 'tPnI'
  String = 4, // string literal including prefix: "a", L"x", u8"x"
  Punct = 5, // operator or punctuator, text is the canonical spelling ("<:" stays "<:")
  Other = 6, // a stray byte the lexer could not classify (diagnosed by the parser if it survives)
  EOF = 7,
}

/** One macro expansion a token passed through: the macro and where it was invoked. */
export interface Expansion {
  readonly macro: string;
  /** Location of the macro name at the invocation site. */
  readonly file: SourceFile;
  readonly line: number;
  readonly col: number;
  /** The expansion the invocation itself came out of (outer macro), if any. */
  readonly parent: Expansion | undefined;
}

export interface Token {
  kind: TokenKind;
  /** Exact spelling (for Number/Char/String the full literal, prefix and quotes included). */
  text: string;
  /** Where the token was spelled (inside the macro definition when it came from one). */
  file: SourceFile;
  /** 1-based line and column (columns count characters; a tab counts 1). */
  line: number;
  col: number;
  /** Whitespace (or a comment) precedes this token on its line. */
  hasSpace: boolean;
  /** First token on its line (preprocessor directives start here). */
  atBol: boolean;
  /** The innermost macro expansion that produced this token; undefined for tokens from the file. */
  expansion: Expansion | undefined;
  /** Preprocessor hide set (macro names not to expand again); undefined = empty. */
  hideset?: ReadonlySet<string>;
}

export interface SourcePos {
  readonly file: SourceFile;
  readonly line: number;
  readonly col: number;
}

/**
 * The position a user thinks of for a token: the outermost macro invocation site when the
 * token came from a macro, else where it was spelled. Breakpoints and diagnostics use this.
 */
export function userPos(tok: Token): SourcePos {
  let e = tok.expansion;
  if (!e) return tok;
  while (e.parent) e = e.parent;
  return e;
}

/** Macro names the token passed through, innermost first ("in expansion of macro X" notes). */
export function expansionChain(tok: Token): Expansion[] {
  const out: Expansion[] = [];
  for (let e = tok.expansion; e; e = e.parent) out.push(e);
  return out;
}

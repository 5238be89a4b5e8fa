// #include: finding and reading files (through the FileHost and the simulated headers),
// lexing each once, and spotting include guards.

import type { DiagnosticBag } from './diagnostics';
import { decodeSource, type FileHost, type SimulatedHeaders } from './host';
import { tokenize } from './lexer';
import { dirname, isAbsolute, join, normalize, toSlashes } from './path';
import { type SourceFile, type Token, TokenKind } from './token';

/** A file read and lexed; shared by every #include of it (its tokens are never mutated). */
export interface Loaded {
  readonly file: SourceFile;
  readonly tokens: Token[];
  /** Include-guard macro when the whole file is `#ifndef G ... #endif`; undefined until computed. */
  guard?: string | null;
}

/** Where a header was found: `chainIndex` is its place in the <...> search chain, for include_next. */
export interface Found {
  readonly loaded: Loaded;
  /** 0 = simulated headers, k = includePaths[k-1]; -1 when found some other way. */
  readonly chainIndex: number;
}

export class IncludeFiles {
  /** Every file read, in first-read order. */
  readonly files: SourceFile[] = [];
  private readonly cache = new Map<string, Loaded | null>();

  constructor(
    private readonly host: FileHost,
    private readonly sim: SimulatedHeaders,
    private readonly includePaths: string[],
    private readonly diags: DiagnosticBag,
  ) {}

  /** Lex a file given in memory and remember it under its path. */
  adopt(file: SourceFile): Loaded {
    // Unterminated ' and " are reported only where they reach live code (not in #if 0).
    const l: Loaded = { file, tokens: tokenize(file, this.diags, { deferLiteralErrors: true }) };
    this.cache.set(file.path, l);
    this.files.push(file);
    return l;
  }

  /**
   * "x": the including file's directory, then the <x> chain. <x>: simulated headers, then -I.
   * include_next continues the chain after the place the current file came from.
   */
  resolve(name: string, angled: boolean, next: boolean, fromPath: string, fromChainIndex: number): Found | undefined {
    name = toSlashes(name);
    if (isAbsolute(name)) {
      const l = name.startsWith('<sim>/') ? this.loadSim(name.slice(6)) : this.load(normalize(name));
      return l && { loaded: l, chainIndex: -1 };
    }
    if (!angled && !next) {
      const p = join(dirname(fromPath), name);
      const l = p.startsWith('<sim>/') ? this.loadSim(p.slice(6)) : this.load(p);
      if (l !== undefined) return { loaded: l, chainIndex: -1 };
    }
    const paths = this.includePaths;
    for (let k = next ? fromChainIndex + 1 : 0; k <= paths.length; k++) {
      const l = k === 0 ? this.loadSim(normalize(name)) : this.load(join(toSlashes(paths[k - 1]), name));
      if (l !== undefined) return { loaded: l, chainIndex: k };
    }
    return undefined;
  }

  load(path: string): Loaded | undefined {
    const c = this.cache.get(path);
    if (c !== undefined) return c ?? undefined;
    const bytes = this.host.readFile(path);
    if (bytes === undefined) {
      this.cache.set(path, null);
      return undefined;
    }
    return this.adopt({ path, text: decodeSource(bytes), system: false });
  }

  /** A simulated header is the file `<sim>/NAME`, a system file. */
  private loadSim(name: string): Loaded | undefined {
    const path = '<sim>/' + name;
    const c = this.cache.get(path);
    if (c !== undefined) return c ?? undefined;
    const text = this.sim.get(name);
    if (text === undefined) {
      this.cache.set(path, null);
      return undefined;
    }
    return this.adopt({ path, text, system: true });
  }
}

/**
 * The include-guard macro of a file shaped `#ifndef G` (or `#if !defined(G)`) … `#endif` with
 * nothing outside; such a file is not re-read once G is defined (gcc's multiple-include
 * optimization).
 */
export function guardOf(l: Loaded): string | null {
  if (l.guard !== undefined) return l.guard;
  l.guard = findGuard(l.tokens);
  return l.guard;
}

function findGuard(toks: Token[]): string | null {
  const isHash = (t: Token) => t.atBol && t.kind === TokenKind.Punct && t.text === '#';
  if (toks.length < 4 || !isHash(toks[0])) return null;
  const texts: string[] = [];
  let i = 1;
  for (; !toks[i].atBol; i++) texts.push(toks[i].text);
  let guard: string | undefined;
  if (texts.length === 2 && texts[0] === 'ifndef') guard = texts[1];
  else if (texts.length === 4 && texts[0] === 'if' && texts[1] === '!' && texts[2] === 'defined') guard = texts[3];
  else if (texts.length === 6 && texts[0] === 'if' && texts[1] === '!' && texts[2] === 'defined' && texts[3] === '(' && texts[5] === ')') {
    guard = texts[4];
  }
  if (guard === undefined || !/^[A-Za-z_$][\w$]*$/.test(guard)) return null;
  let depth = 0;
  for (; toks[i].kind !== TokenKind.EOF; i++) {
    if (!isHash(toks[i]) || toks[i + 1].atBol) continue;
    const d = toks[i + 1].text;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
    else if ((d === 'else' || d === 'elif') && depth === 0) return null;
    else if (d === 'endif' && depth-- === 0) {
      let k = i + 1;
      while (!toks[k].atBol) k++;
      return toks[k].kind === TokenKind.EOF ? guard : null;
    }
  }
  return null;
}

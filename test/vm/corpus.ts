// The differential corpus (test/vm/programs/*.c): listing, feature areas, the C library the
// programs may call, and a static portability lint (rules in test/vm/README.md).
//
// The programs run under gcc on an LP64 host and under kdsim's LLP64 engine (MSVC x64
// semantics), so they must avoid everything that differs between the two: `long`, pointer
// values, rand(), %p / %ld / %zu, wide strings, libm.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROGRAMS_DIR = join(__dirname, 'programs');

/** Feature areas: each program's name starts with one of these followed by '_'. */
export const AREAS = [
  'int',
  'i64',
  'conv',
  'struct',
  'union',
  'bitfield',
  'ptr',
  'fnptr',
  'rec',
  'switch',
  'goto',
  'varargs',
  'float',
  'string',
  'mem',
  'init',
  'misc',
  'driverlike',
] as const;
export type Area = (typeof AREAS)[number];

export interface Program {
  /** File name without `.c`, e.g. `int_limits`. */
  name: string;
  /** Absolute path of the source. */
  file: string;
  area: Area | undefined;
  source: string;
}

export function areaOf(name: string): Area | undefined {
  return AREAS.find((a) => name.startsWith(`${a}_`));
}

export function listPrograms(dir = PROGRAMS_DIR): Program[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -2);
      const file = join(dir, f);
      return { name, file, area: areaOf(name), source: readFileSync(file, 'latin1') };
    });
}

/** Headers a program may include: kdsim's hosted headers (kernel-sim/include) that mean the same under glibc. */
export const ALLOWED_HEADERS: readonly string[] = ['assert.h', 'limits.h', 'stdarg.h', 'stdbool.h', 'stddef.h', 'stdio.h', 'stdlib.h', 'string.h'];

/**
 * Every C library function the corpus calls: the set `kdsim exec` must provide. Each program's
 * undefined symbols (nm -u of its gcc object) must be in here, after GLIBC_ALIASES.
 */
export const LIBRARY_FUNCTIONS: readonly string[] = [
  // stdio.h
  'printf',
  'sprintf',
  'snprintf',
  'vprintf',
  'vsprintf',
  'vsnprintf',
  'puts',
  'putchar',
  // stdlib.h
  'malloc',
  'calloc',
  'realloc',
  'free',
  'exit',
  'abs',
  'atoi',
  'strtol',
  'strtoul',
  'qsort',
  // string.h
  'memcpy',
  'memmove',
  'memset',
  'memcmp',
  'memchr',
  'strlen',
  'strcpy',
  'strncpy',
  'strcat',
  'strncat',
  'strcmp',
  'strncmp',
  'strchr',
  'strrchr',
  'strstr',
  // assert.h (glibc: __assert_fail; kdsim's header: _assert)
  'assert',
];

/** glibc symbol names that stand for a C library facility under another name. */
export const GLIBC_ALIASES: Readonly<Record<string, string>> = { __assert_fail: 'assert' };

/** Types whose size differs between gcc on Linux and MSVC x64 (`long` has its own rule). */
const FORBIDDEN_TYPES = ['wchar_t', 'wint_t', 'long double'];

const LENGTH_OK = new Set(['', 'hh', 'h', 'll']);
const CONVERSION_OK = new Set(['d', 'i', 'u', 'o', 'x', 'X', 'c', 's', 'e', 'E', 'f', 'g', 'G', '%']);

interface Split {
  /** The source with comments removed and every string/char literal replaced by "" / ''. */
  code: string;
  /** The decoded contents of the string literals (escapes left as written). */
  strings: string[];
}

/** Separates code from comments and literals (enough of C's lexical rules for the lint). */
export function splitSource(src: string): Split {
  let code = '';
  const strings: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      code += ' ';
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      if (c === '"') strings.push(src.slice(i + 1, j));
      code += c + c;
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** Format directives in a string literal that the engine's printf might not share with glibc. */
function formatProblems(lit: string): string[] {
  const problems: string[] = [];
  const re = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|t|I64|I32|I)?([a-zA-Z%]?)/g;
  for (let m = re.exec(lit); m; m = re.exec(lit)) {
    const length = m[4] ?? '';
    const conv = m[5];
    if (conv === '') continue; /* "% 4" in an expression string: not a directive (gcc -Wformat checks real ones) */
    if (!LENGTH_OK.has(length) || !CONVERSION_OK.has(conv)) problems.push(`format directive "${m[0]}" in "${lit}"`);
  }
  return problems;
}

/** Portability problems of one program (empty when it follows the corpus rules). */
export function lint(source: string): string[] {
  const problems: string[] = [];
  const { code, strings } = splitSource(source);
  const flat = code.replace(/\s+/g, ' ');
  if (/\blong\b/.test(code.replace(/\blong\s+long\b/g, 'LL'))) problems.push('uses `long` (32-bit on LLP64, 64-bit under gcc here): use int or long long');
  for (const w of FORBIDDEN_TYPES) if (new RegExp(`\\b${w.replace(/ /g, '\\s+')}\\b`).test(flat)) problems.push(`uses \`${w}\``);
  for (const m of code.matchAll(/#\s*include\s*<([^>]*)>/g)) {
    if (!ALLOWED_HEADERS.includes(m[1])) problems.push(`includes <${m[1]}> (allowed: ${ALLOWED_HEADERS.join(' ')})`);
  }
  for (const m of source.matchAll(/#\s*include\s*"([^"]*)"/g)) problems.push(`includes "${m[1]}": programs are single files`);
  for (const s of strings) problems.push(...formatProblems(s));
  if (/\bL''|\bL""/.test(code) || /\bu8?""|\bU""/.test(code)) problems.push('uses a wide or prefixed string literal');
  for (const m of code.matchAll(/(?<![\w.])([1-9]\d*)(?![\w.])/g)) {
    if (BigInt(m[1]) > 2147483647n) {
      problems.push(`unsuffixed decimal literal ${m[1]}: MSVC types it unsigned long (32-bit, C90 rule), gcc long; add LL or ULL`);
    }
  }
  if (!/\bint\s+main\s*\(/.test(code)) problems.push('has no `int main(`');
  return problems;
}

/**
 * Whether the program declares bit-fields (`name : width;`), the only construct whose layout
 * differs between gcc's SysV and MSVC's x64 record rules for the types the corpus uses.
 * Over-approximates (a `c ? x : 0;` also matches); it only decides whether the -mms-bitfields
 * run is worth doing.
 */
export function declaresBitFields(source: string): boolean {
  return /\w\s*:\s*\d+\s*[;,]/.test(splitSource(source).code);
}

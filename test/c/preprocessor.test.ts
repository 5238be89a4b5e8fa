// Preprocessor: one test per feature, then the error and robustness cases (each must give a
// positioned diagnostic, never an exception or a hang).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticBag, formatDiagnostic } from '../../kernel-sim/c/diagnostics';
import { MemoryFileHost } from '../../kernel-sim/c/host';
import { type PreprocessOptions, type PreprocessResult, preprocess, preprocessSource, tokensToText } from '../../kernel-sim/c/preprocessor';
import { expansionChain, type Token, TokenKind, userPos } from '../../kernel-sim/c/token';

interface Run {
  r: PreprocessResult;
  /** Output token texts joined by single spaces. */
  out: string;
  diags: string[];
}

function run(
  files: Record<string, string>,
  extra: Partial<PreprocessOptions> & { sim?: Record<string, string>; main?: string } = {},
): Run {
  const sim = new Map(Object.entries(extra.sim ?? {}));
  const opts: PreprocessOptions = {
    host: new MemoryFileHost(files),
    simulatedHeaders: { get: (n) => sim.get(n) },
    includePaths: [],
    ...extra,
  };
  const bag = new DiagnosticBag();
  const r = preprocess(extra.main ?? 'main.c', opts, bag);
  return {
    r,
    get out() {
      return texts(r.tokens);
    },
    diags: bag.items.map(formatDiagnostic),
  };
}

function texts(toks: Token[]): string {
  return toks
    .filter((t) => t.kind !== TokenKind.EOF)
    .map((t) => t.text)
    .join(' ');
}

/** Preprocess one main file; expect no diagnostics; return the token texts. */
function pp(src: string, files: Record<string, string> = {}): string {
  const { out, diags } = run({ 'main.c': src, ...files });
  assert.deepEqual(diags, []);
  return out;
}

describe('object-like and function-like macros', () => {
  test('object-like', () => {
    assert.equal(pp('#define N 10\nint a[N];'), 'int a [ 10 ] ;');
  });
  test('function-like, name without ( is not expanded', () => {
    assert.equal(pp('#define f(x) [x]\nf(1) f + f\n(2)'), '[ 1 ] f + [ 2 ]');
  });
  test('arguments: nested parentheses protect commas, brackets do not', () => {
    assert.equal(pp('#define f(x) <x>\n#define g(x, y) x|y\nf((a, b)) g([a, b])'), '< ( a , b ) > [ a | b ]');
  });
  test('empty arguments', () => {
    assert.equal(pp('#define f(x) [x]\n#define g(a,b) a-b\nf() g(,) g(1,)'), '[ ] - 1 -');
  });
  test('macro without parameters called with ()', () => {
    assert.equal(pp('#define f() 42\nf() f'), '42 f');
  });
  test('invocation spanning lines and directives inside arguments (as gcc)', () => {
    assert.equal(pp('#define f(x) x\nf(1\n#undef f\n#define f 2\nf)\nf'), '1 2 2');
  });
  test('arguments are fully expanded before substitution, except next to # and ##', () => {
    assert.equal(pp('#define A 1\n#define str(x) #x\n#define xstr(x) str(x)\n#define id(x) x\nstr(A) xstr(A) id(A)'), '"A" "1" 1');
  });
});

describe('rescanning and hide sets', () => {
  test('self-reference does not recurse', () => {
    assert.equal(pp('#define foo foo a\nfoo'), 'foo a');
    assert.equal(pp('#define f(x) f(x)\nf(1)'), 'f ( 1 )');
  });
  test('mutual recursion stops', () => {
    assert.equal(pp('#define AA BB\n#define BB AA\nAA BB'), 'AA BB');
  });
  test('result followed by ( from the source (gcc)', () => {
    assert.equal(pp('#define k(x) x k\nk(1)(2)'), '1 k ( 2 )');
    assert.equal(pp('#define foo() bar\n#define bar() foo\nfoo()()()'), 'bar');
    assert.equal(pp('#define obj(x) obj2\n#define obj2(x) obj(x)\nobj(1)(2)(3)'), 'obj2 ( 3 )');
  });
  test('C99 6.10.3.4 example: f(2)(9)', () => {
    assert.equal(pp('#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)'), '2 * 9 * g');
  });
});

describe('# and ##', () => {
  test('stringizing escapes literals and collapses blanks', () => {
    assert.equal(pp('#define s(x) #x\ns(  a   +\n b  ) s("a\\n" \'\\\'\') s()'), '"a + b" "\\"a\\\\n\\" \'\\\\\'\'" ""');
  });
  test('pasting', () => {
    assert.equal(pp('#define cat(a,b) a##b\ncat(x, y) cat(1, 2) cat(<, <=) cat(, z) cat(,)'), 'xy 12 <<= z');
  });
  test('pasted tokens are rescanned', () => {
    assert.equal(pp('#define cat(a,b) a##b\n#define xy 7\ncat(x,y)'), '7');
  });
  test('# and ## in an object-like macro: ## pastes, # is a token', () => {
    assert.equal(pp('#define H # x ## y\nH'), '# xy');
  });
  test('invalid paste: error, both tokens kept', () => {
    const { out, diags } = run({ 'main.c': '#define cat(a,b) a##b\ncat(+, /)\n' });
    assert.equal(out, '+ /');
    assert.deepEqual(diags.map((d) => d.split('\n')[0]), [
      'main.c:2:1: error: pasting "+" and "/" does not give a valid preprocessing token',
    ]);
  });
});

describe('variadic macros', () => {
  test('__VA_ARGS__ and named variadic', () => {
    assert.equal(pp('#define f(a, ...) a: __VA_ARGS__\n#define g(args...) <args>\nf(1, 2, 3) g(x, y)'), '1 : 2 , 3 < x , y >');
  });
  test('GNU , ## __VA_ARGS__ swallows the comma when the argument is left out', () => {
    assert.equal(pp('#define e(fmt, ...) p(fmt, ## __VA_ARGS__)\ne(1) e(1,) e(1, 2)'), 'p ( 1 ) p ( 1 , ) p ( 1 , 2 )');
  });
  test('__VA_OPT__', () => {
    assert.equal(pp('#define E\n#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nF(1) F(1, E) F(1, 2)'), 'f ( 1 ) f ( 1 ) f ( 1 , 2 )');
  });
});

describe('#if expressions', () => {
  const cond = (e: string) => pp(`#if ${e}\nyes\n#else\nno\n#endif`);
  test('arithmetic, precedence, ternary', () => {
    assert.equal(cond('1 + 2 * 3 == 7'), 'yes');
    assert.equal(cond('(1 ? 2 : 0) - 2'), 'no');
    assert.equal(cond('10 / 3 == 3 && 10 % 3 == 1 && -7 / 2 == -3'), 'yes');
    assert.equal(cond('0x10 == 16 && 010 == 8 && 0b11 == 3'), 'yes');
  });
  test('unsigned arithmetic', () => {
    assert.equal(cond('-1 > 0u'), 'yes');
    assert.equal(cond('-1 > 0'), 'no');
    assert.equal(cond('0xFFFFFFFFFFFFFFFF == -1'), 'yes');
    assert.equal(cond('18446744073709551615 / 2 == 9223372036854775807'), 'yes');
    assert.equal(cond('(0 ? 1u : -1) > 0'), 'yes');
  });
  test('shifts', () => {
    assert.equal(cond('1 << 63 < 0'), 'yes');
    assert.equal(cond('-16 >> 2 == -4'), 'yes');
    assert.equal(cond('0xFFFFFFFFFFFFFFFFu >> 60 == 15'), 'yes');
    assert.equal(cond('1 << 64 == 0'), 'yes');
  });
  test('defined, unknown identifiers, true/false, char constants', () => {
    assert.equal(pp('#define X\n#if defined X && defined(X) && !defined Y\nyes\n#endif'), 'yes');
    assert.equal(cond('UNKNOWN == 0 && true == 0'), 'yes');
    assert.equal(cond("'A' == 65 && '\\377' < 0 && 'ab' == 0x6162"), 'yes');
    assert.equal(pp('#define D defined(X)\n#define X\n#if D\nyes\n#endif'), 'yes');
    // As gcc: arguments are expanded before `defined` is seen, so X vanishes first.
    assert.deepEqual(run({ 'main.c': '#define X\n#define F(x) x\n#if F(defined(X))\n#endif\n' }).diags, [
      'main.c:3:16: error: operator "defined" requires an identifier',
    ]);
  });
  test('short-circuit hides division by zero', () => {
    assert.equal(cond('0 && 1 / 0'), 'no');
    assert.equal(cond('1 || 1 % 0'), 'yes');
  });
  test('#ifdef / #ifndef / #elif chains', () => {
    const src = (v: string) =>
      `#define V ${v}\n#ifdef NOPE\na\n#elif V == 1\nb\n#elif V == 2\nc\n#else\nd\n#endif\n#ifndef NOPE\ne\n#endif`;
    assert.equal(pp(src('1')), 'b e');
    assert.equal(pp(src('2')), 'c e');
    assert.equal(pp(src('3')), 'd e');
  });
  test('skipped groups: no directive or literal errors', () => {
    assert.equal(pp("#if 0\n#foo\ndon't\n#if 1\n#error no\n#endif\n#else\nok\n#endif"), 'ok');
  });
});

describe('#include', () => {
  test('"x" from the including file\'s directory, then -I', () => {
    const { out, diags } = run(
      { 'src/main.c': '#include "a.h"\n#include "b.h"\n', 'src/a.h': 'A', 'inc/b.h': 'B', 'inc/a.h': 'WRONG' },
      { main: 'src/main.c', includePaths: ['inc'] },
    );
    assert.deepEqual(diags, []);
    assert.equal(out, 'A B');
  });
  test('<x>: simulated headers first, then -I; simulated files are system files', () => {
    const { r, out, diags } = run(
      { 'main.c': '#include <wdm.h>\n#include <other.h>\n', 'inc/wdm.h': 'WRONG', 'inc/other.h': 'O' },
      { includePaths: ['inc'], sim: { 'wdm.h': '#include "ntdef.h"\nW', 'ntdef.h': 'N' } },
    );
    assert.deepEqual(diags, []);
    assert.equal(out, 'N W O');
    const w = r.tokens.find((t) => t.text === 'W') as Token;
    assert.equal(w.file.path, '<sim>/wdm.h');
    assert.equal(w.file.system, true);
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['main.c', '<sim>/wdm.h', '<sim>/ntdef.h', 'inc/other.h'],
    );
  });
  test('backslashes in include names, .. segments', () => {
    assert.equal(pp('#include "sub\\\\x.h"', { 'sub/x.h': '#include "../y.h"', 'y.h': 'Y' }), 'Y');
  });
  test('computed include', () => {
    const { out, diags } = run({ 'main.c': '#define H "h.h"\n#define Q(x) <x.h>\n#include H\n#include Q(h)', 'h.h': 'HH' }, { includePaths: ['.'] });
    assert.deepEqual(diags, []);
    assert.equal(out, 'HH HH');
  });
  test('__has_include', () => {
    assert.equal(pp('#if __has_include("h.h") && !__has_include(<nope.h>) && defined(__has_include)\nyes\n#endif', { 'h.h': '' }), 'yes');
  });
  test('#pragma once and include guards', () => {
    const files = {
      'o.h': '#pragma once\nO',
      'g.h': '#ifndef G_H\n#define G_H\nG\n#endif\n',
    };
    assert.equal(pp('#include "o.h"\n#include "o.h"\n#include "g.h"\n#include "g.h"', files), 'O G');
  });
  test('#include_next continues the search', () => {
    const { out, diags } = run(
      { 'main.c': '#include <x.h>', 'a/x.h': 'A\n#include_next <x.h>', 'b/x.h': 'B' },
      { includePaths: ['a', 'b'] },
    );
    assert.deepEqual(diags, []);
    assert.equal(out, 'A B');
  });
  test('preprocessSource: main file in memory', () => {
    const bag = new DiagnosticBag();
    const r = preprocessSource(
      { path: 'dir/buf.c', text: '#include "h.h"\nX', system: false },
      { host: new MemoryFileHost({ 'dir/h.h': '#define X 5' }), simulatedHeaders: { get: () => undefined }, includePaths: [] },
      bag,
    );
    assert.deepEqual(bag.items, []);
    assert.equal(texts(r.tokens), '5');
  });
});

describe('predefined macros and #line', () => {
  test('__FILE__, __LINE__, __COUNTER__, __DATE__, __TIME__', () => {
    const out = pp('__FILE__ __LINE__\n#define L __LINE__\n#define f(x) x\nf(\nL\n) __COUNTER__ __COUNTER__ __DATE__ __TIME__');
    assert.equal(out, '"main.c" 1 5 0 1 "Jan  1 2025" "00:00:00"');
  });
  test('__LINE__ in a macro invoked over several lines is the line of the macro name', () => {
    assert.equal(pp('#define g(x) __LINE__ x\ng(\n1\n)'), '2 1');
  });
  test('MSVC predefines; __func__ family stays identifiers', () => {
    assert.equal(
      pp('_WIN32 _WIN64 _AMD64_ _M_AMD64 _M_X64 _MSC_VER _MSC_EXTENSIONS _INTEGRAL_MAX_BITS __KDSIM__ _KERNEL_MODE __STDC__ __STDC_VERSION__ __STDC_HOSTED__ __FUNCTION__ __func__ __FUNCSIG__'),
      '1 1 1 100 100 1938 1 64 1 1 1 199901L 1 __FUNCTION__ __func__ __FUNCSIG__',
    );
  });
  test('-D and -U', () => {
    const { out } = run({ 'main.c': 'A B C _WIN32 f(2)' }, { defines: [['A', undefined], ['B', '7'], ['C=3', undefined], ['f(x)', 'x+x']], undefines: ['_WIN32'] });
    assert.equal(out, '1 7 3 _WIN32 2 + 2');
  });
  test('#line changes __LINE__, __FILE__ and token positions', () => {
    const { r, out } = run({ 'main.c': 'a\n#line 100 "other.c"\nb __LINE__ __FILE__\n#line 7\nc __LINE__' });
    assert.equal(out, 'a b 100 "other.c" c 7');
    const b = r.tokens[1];
    assert.deepEqual([b.file.path, b.line, b.col], ['other.c', 100, 1]);
    const c = r.tokens.find((t) => t.text === 'c') as Token;
    assert.deepEqual([c.file.path, c.line], ['other.c', 7]);
  });
});

describe('pragmas', () => {
  test('#pragma, _Pragma and __pragma are recorded and removed', () => {
    const { r, out, diags } = run({
      'main.c': '#pragma alloc_text(PAGE, Fn)\nint a;\n#define P _Pragma("pack(push, 8)")\nP int b; __pragma(warning(disable: 4201)) int c;\n#pragma once\n',
    });
    assert.deepEqual(diags, []);
    assert.equal(out, 'int a ; int b ; int c ;');
    assert.deepEqual(
      r.pragmas.map((p) => [texts(p.tokens), p.line, p.col, p.tokenIndex]),
      [
        ['alloc_text ( PAGE , Fn )', 1, 1, 0],
        ['pack ( push , 8 )', 4, 1, 3],
        ['warning ( disable : 4201 )', 4, 10, 6],
      ],
    );
  });
  test('push_macro / pop_macro', () => {
    assert.equal(pp('#define X 1\n#pragma push_macro("X")\n#undef X\n#define X 2\nX\n#pragma pop_macro("X")\nX'), '2 1');
  });
});

describe('token positions and expansion history', () => {
  test('tokens from a macro body are spelled in the definition and carry the invocation chain', () => {
    const { r } = run({ 'main.c': '#define IN 1 + x\n#define OUT(a) (IN, a)\n  OUT(y)\n' });
    const one = r.tokens.find((t) => t.text === '1') as Token;
    assert.deepEqual([one.line, one.col], [1, 12]);
    assert.deepEqual(
      expansionChain(one).map((e) => [e.macro, e.line, e.col]),
      [
        ['IN', 2, 17],
        ['OUT', 3, 3],
      ],
    );
    assert.deepEqual([userPos(one).line, userPos(one).col], [3, 3]);
    const y = r.tokens.find((t) => t.text === 'y') as Token;
    assert.deepEqual([y.line, y.col, y.expansion], [3, 7, undefined]);
  });
  test('tokensToText lays out lines and never fuses tokens', () => {
    const { r } = run({ 'main.c': '#define M -\n#define E\nint a = -M 1;\nb-E-c\n  x' });
    assert.equal(tokensToText(r.tokens), 'int a = - - 1;\nb- -c\nx\n');
  });
});

describe('directive diagnostics', () => {
  const diagsOf = (src: string, files: Record<string, string> = {}) => run({ 'main.c': src, ...files }).diags;
  test('redefinition warns, identical redefinition does not', () => {
    assert.deepEqual(diagsOf('#define A 1 + 2\n#define A 1 + 2\n#define A 1+2\n'), ["main.c:3:9: warning: 'A' redefined"]);
  });
  test('defining "defined" is an error', () => {
    assert.deepEqual(diagsOf('#define defined 1\n'), ['main.c:1:9: error: "defined" cannot be used as a macro name']);
  });
  test('invalid directive, #error, #warning', () => {
    assert.deepEqual(diagsOf('#foo bar\n#error stop   here\n#warning careful\n'), [
      'main.c:1:2: error: invalid preprocessing directive #foo',
      'main.c:2:2: error: #error stop here',
      'main.c:3:2: warning: #warning careful',
    ]);
  });
  test('unterminated #if, at the #if', () => {
    assert.deepEqual(diagsOf('x\n  #if 1\ny\n'), ['main.c:2:3: error: unterminated #if']);
    assert.deepEqual(diagsOf('#ifdef X\n#else\n'), ['main.c:1:1: error: unterminated #else']);
  });
  test('#else after #else, #elif after #else, stray #endif/#else', () => {
    assert.deepEqual(diagsOf('#if 1\n#else\n#else\n#endif\n'), ['main.c:3:2: error: #else after #else']);
    assert.deepEqual(diagsOf('#if 0\n#else\n#elif 1\n#endif\n'), ['main.c:3:2: error: #elif after #else']);
    assert.deepEqual(diagsOf('#endif\n#else\n'), ['main.c:1:2: error: #endif without #if', 'main.c:2:2: error: #else without #if']);
  });
  test('#if errors', () => {
    assert.deepEqual(diagsOf('#if 1 / 0\n#endif\n#if\n#endif\n#if (1\n#endif\n#if 1.0\n#endif\n#if 0\n#elif\n#endif\n#if 1 +\n#endif\n#if "s"\n#endif\n'), [
      'main.c:1:7: error: division by zero in #if',
      'main.c:3:2: error: #if with no expression',
      "main.c:5:6: error: missing ')' in expression",
      'main.c:7:5: error: floating constant in preprocessor expression',
      'main.c:10:2: error: #elif with no expression',
      "main.c:12:7: error: operator '+' has no right operand",
      'main.c:14:5: error: token ""s"" is not valid in preprocessor expressions',
    ]);
  });
  test('missing header', () => {
    assert.deepEqual(diagsOf('#include "nope.h"\n#include <sys/nope.h>\n'), [
      "main.c:1:10: error: 'nope.h' file not found",
      "main.c:2:10: error: 'sys/nope.h' file not found",
    ]);
  });
  test('wrong argument count', () => {
    assert.deepEqual(diagsOf('#define f(a, b) a\nf(1)\nf(1, 2, 3)\n'), [
      "main.c:2:1: error: macro 'f' requires 2 arguments, but only 1 given",
      "main.c:3:1: error: macro 'f' passed 3 arguments, but takes just 2",
    ]);
  });
  test('unterminated macro call at EOF', () => {
    const { out, diags } = run({ 'main.c': '#define f(x) x\nint f(1, 2\n' });
    assert.deepEqual(diags, ["main.c:2:5: error: unterminated argument list invoking macro 'f'"]);
    assert.equal(out, 'int f ( 1 , 2');
  });
  test('unterminated literal in live code is an error, in a #define a warning', () => {
    assert.deepEqual(diagsOf("#define Q 'x\nint a = 'b;\n"), [
      "main.c:1:11: warning: missing terminating ' character",
      "main.c:2:9: error: missing terminating ' character",
    ]);
  });
  test('bad #define forms', () => {
    assert.deepEqual(diagsOf('#define f(x) #y\n#define g(x) ## x\n#define h(x, x) x\n#define 3 x\n#define\n'), [
      "main.c:1:14: error: '#' is not followed by a macro parameter",
      "main.c:2:14: error: '##' cannot appear at either end of a macro expansion",
      'main.c:3:14: error: duplicate macro parameter "x"',
      'main.c:4:9: error: macro names must be identifiers',
      'main.c:5:2: error: no macro name given in #define directive',
    ]);
  });
});

describe('robustness (no exception, no hang)', () => {
  test('include cycle without guards → depth error', { timeout: 20_000 }, () => {
    const { diags } = run({ 'main.c': '#include "a.h"\n', 'a.h': '#include "b.h"\nint a;\n', 'b.h': '#include "a.h"\n#include "a.h"\n' });
    assert.equal(diags.length, 1);
    assert.match(diags[0], /^a\.h:1:10: error: #include nested depth 200 exceeds maximum of 200$/);
  });

  test('runaway expansion: a macro that doubles 30 times', { timeout: 60_000 }, () => {
    let src = '#define A0 x\n';
    for (let i = 1; i <= 30; i++) src += `#define A${i} A${i - 1} A${i - 1}\n`;
    src += 'int y;\nA30\n';
    const { diags } = run({ 'main.c': src });
    assert.deepEqual(
      diags.map((d) => d.split('\n')[0]),
      ['main.c:33:1: error: macro expansion too large (runaway expansion?)'],
    );
  });

  test('10,000-deep nested parentheses in a macro argument', { timeout: 20_000 }, () => {
    const n = 10_000;
    const { r, diags } = run({ 'main.c': `#define f(x) [x]\nf(${'('.repeat(n)}1${')'.repeat(n)})\n` });
    assert.deepEqual(diags, []);
    assert.equal(r.tokens.length, 2 * n + 4);
  });

  test('10,000-deep nested macro calls → diagnostic', { timeout: 20_000 }, () => {
    const n = 10_000;
    const { r, diags } = run({ 'main.c': `#define f(x) x\n${'f('.repeat(n)}1${')'.repeat(n)}\n` });
    assert.deepEqual(diags, ['main.c:2:513: error: macro arguments nested too deeply']);
    assert.ok(r.tokens.length > 2);
    assert.equal(pp(`#define f(x) x\n${'f('.repeat(200)}1${')'.repeat(200)}\n`), '1');
  });

  test('10,000 nested #if', { timeout: 20_000 }, () => {
    const n = 10_000;
    const src = '#if 1\n'.repeat(n) + 'x\n' + '#if 0\ny\n#endif\n'.repeat(3) + '#endif\n'.repeat(n);
    const { out, diags } = run({ 'main.c': src });
    assert.deepEqual(diags, []);
    assert.equal(out, 'x');
    const unterminated = run({ 'main.c': '#if 1\n'.repeat(n) });
    assert.equal(unterminated.diags.length, 100 + 1); // capped by MAX_ERRORS, plus "too many errors"
  });

  test('10,000 nested parentheses in #if', { timeout: 20_000 }, () => {
    const n = 10_000;
    const { diags } = run({ 'main.c': `#if ${'('.repeat(n)}1${')'.repeat(n)}\n#endif\n` });
    assert.deepEqual(diags, ['main.c:1:1005: error: #if expression nested too deeply']);
  });

  test('10 MB file of a repeated line', { timeout: 60_000 }, () => {
    const line = '#define SQR(x) ((x) * (x))\n';
    const body = 'int v = SQR(3) + 0x10; /* comment */\n';
    const src = line + body.repeat(Math.ceil(10_000_000 / body.length));
    const { r, diags } = run({ 'main.c': src });
    assert.deepEqual(diags, []);
    assert.equal(r.tokens.length, Math.ceil(10_000_000 / body.length) * 15 + 1);
  });

  test('garbage never throws', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = ['#', 'define', 'if', 'f', '(', ')', ',', '##', 'x', '\n', ' ', '"', "'", '...', '__VA_ARGS__', 'include', '<', '>', '1', 'elif', 'endif', '\\'];
    for (let round = 0; round < 200; round++) {
      let src = '';
      for (let i = 0; i < 200; i++) src += pieces[Math.floor(rnd() * pieces.length)];
      const { r } = run({ 'main.c': src });
      assert.equal(r.tokens[r.tokens.length - 1].kind, TokenKind.EOF);
    }
  });
});

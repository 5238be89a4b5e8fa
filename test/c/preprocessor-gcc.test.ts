// Differential test against gcc: each input is preprocessed by `gcc -E -P -undef -nostdinc
// -std=c99` and by kdsim; both outputs are compared as token sequences (gcc's output is
// re-lexed with our lexer, so whitespace and line layout don't matter). Skipped without gcc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DiagnosticBag, formatDiagnostic } from '../../kernel-sim/c/diagnostics';
import { tokenize } from '../../kernel-sim/c/lexer';
import { normalize } from '../../kernel-sim/c/path';
import { preprocess } from '../../kernel-sim/c/preprocessor';
import { type Token, TokenKind } from '../../kernel-sim/c/token';

interface Case {
  name: string;
  /** Files relative to a fresh directory; the main file is `main.c` unless `main` says otherwise. */
  files: Record<string, string>;
  main?: string;
  includePaths?: string[];
  /** Replaces -std=c99 (e.g. gnu99 for GNU-mode comma swallowing). */
  std?: string;
}

const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const root = hasGcc ? mkdtempSync(join(tmpdir(), 'kdsim-pp-')) : '';
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

// String literals that name files are compared as normalised paths (gcc keeps `sub/../x.h`).
function tokenTexts(toks: Token[]): string[] {
  return toks
    .filter((t) => t.kind !== TokenKind.EOF)
    .map((t) => (t.kind === TokenKind.String && /\.[ch]"$/.test(t.text) ? `"${normalize(t.text.slice(1, -1))}"` : t.text));
}

function check(c: Case, index: number): void {
  const dir = join(root, String(index));
  for (const [name, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const main = c.main ?? 'main.c';
  const inc = c.includePaths ?? [];
  const args = ['-E', '-P', '-undef', '-nostdinc', `-std=${c.std ?? 'c99'}`, ...inc.map((i) => `-I${i}`), main];
  const g = spawnSync('gcc', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(g.status, 0, `gcc failed:\n${g.stderr}`);
  const gccToks = tokenize({ path: 'gcc-output', text: g.stdout, system: false }, new DiagnosticBag());

  const bag = new DiagnosticBag();
  const host = {
    readFile: (p: string) => (existsSync(join(dir, p)) ? new Uint8Array(readFileSync(join(dir, p))) : undefined),
  };
  const ours = preprocess(main, { host, simulatedHeaders: { get: () => undefined }, includePaths: inc }, bag);
  assert.deepEqual(bag.items.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const want = tokenTexts(gccToks);
  const got = tokenTexts(ours.tokens);
  assert.deepEqual(got, want, `\nkdsim: ${got.join(' ')}\ngcc:   ${want.join(' ')}`);
}

const one = (name: string, src: string, extra: Omit<Case, 'name' | 'files'> & { files?: Record<string, string> } = {}): Case => ({
  name,
  ...extra,
  files: { 'main.c': src, ...(extra.files ?? {}) },
});

const cases: Case[] = [
  one(
    'object-like macros',
    `#define N 10
#define EMPTY
#define PLUS +
#define TWICE N N
int a[N] = { TWICE }; EMPTY x PLUS+ y -PLUS z
#undef N
N`,
  ),
  one(
    'function-like macros, arguments and invocation forms',
    `#define f(x) [x]
#define g(a, b) a|b
#define h() H
#define id(x) x
f(1) f + f
(2) f((a, b)) g([a, b]) f() g(,) g(1,) h() h id(id)(3)
f(
  multi
  line
)
g(f(1), f(f(2)))`,
  ),
  one(
    'rescanning and hide sets',
    `#define foo foo a
#define AA BB
#define BB AA
#define k(x) x k
#define bar() baz
#define baz() bar
#define obj(x) obj2
#define obj2(x) obj(x)
#define f(a) a*g
#define g(a) f(a)
#define lp (
#define q(x) x
#define ff(x) x ff
foo AA BB k(1)(2) bar()()() obj(1)(2)(3) f(2)(9)
q lp 1) q(q)(1) ff(ff)(1)(2)`,
  ),
  one(
    'rescanning corner cases',
    `#define f(x) g(x
#define g(x) x
f(1))
#define foo() foo
foo()() foo
#define a a b
#define b a
a b
#define recur(x) x recur
recur(recur(1))(2)
#define EXPR(x) (x)
#define NEST EXPR(NEST)
NEST
#define i(x) x
#define j i(j)
j i(j) i(i(j))
#define A1(x) B1(x) A1
#define B1(x) A1(x)
A1(1)(2)(3)
#define lp (
#define rp )
#define F1(x) [x]
F1 lp 1 rp
#define ID(x) x
ID(F1 lp 2 rp)
ID(F1) (3)
#define C0(x) x(
C0(F1) 4)
#define SEMI ;
#define MACRO(x) x SEMI
MACRO(MACRO(1))
#define Z Z[0]
#define P(x) x
P(Z)
#define XX(x) YY(x) x
#define YY(x) XX(x) x
XX(1)
#define fs(x) #x
#define gs fs(
gs 1)
#define hh(x) x
hh(hh)(2)
#define EMPTY
#define call(x) x
call EMPTY (1)
#define x2(a) a a
x2(__COUNTER__)
#define hash_hash # ## #
#define mkstr(a) # a
#define in_between(a) mkstr(a)
#define join(c, d) in_between(c hash_hash d)
char p[] = join(x, y);
#define OBJ (1)
#define FN(x) x
FN OBJ
#define t1(x) x ## __LINE__
t1(a)
#define APPLY(m, ...) m(__VA_ARGS__)
APPLY(fs, a b)
#define NIL(x) x
#define G_0(arg) NIL(G_1)(arg)
#define G_1(arg) NIL(arg)
G_0(42)`,
  ),
  one(
    'C99 6.10.3.5 EXAMPLE 3',
    `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`,
  ),
  one(
    'C99 6.10.3.5 EXAMPLE 4',
    `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0) str(: @\\n), s);
#include xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`,
    { files: { 'vers2.h': 'int version2;\n' } },
  ),
  one(
    'C99 6.10.3.5 EXAMPLE 5',
    `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
 t(10,,), t(,11,), t(,,12), t(,,) };
`,
  ),
  one(
    'C99 6.10.3.5 EXAMPLE 7',
    `#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test):\\
 printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
`,
  ),
  one(
    'stringizing',
    `#define s(x) #x
#define xs(x) s(x)
#define E
#define f(x) [x]
s(  a   +
  b  ) s("a\\n" '\\'' "\\\\") s() s(  ) s(a/**/b) s(a /* c */ b) s(L"w" u8"u" 'x')
xs(E a) xs(a E b) xs(f(1)) xs(x f(1)) xs([f(1)]) xs(__LINE__) s(@ \\n) s((a,b))
xs(E) xs(E E x E) s(<: :> <% %> %: %:%: [)`,
  ),
  one(
    'token pasting',
    `#define cat(a, b) a ## b
#define cat3(a, b, c) a ## b ## c
#define xcat(a, b) cat(a, b)
#define xy 7
#define ONE 1
cat(x, y) cat(1, 2) cat(<, <=) cat(-, >) cat(, z) cat(z,) cat(,) cat(+, =) cat(., 5) cat(0x, 1f)
cat3(a, b, c) cat3(, , q) cat3(1, , 2) cat(ONE, ONE) xcat(ONE, ONE) cat(L, "s") cat(L, 'c')
cat(a b, c d) cat(, a b) cat(a b,)
#define obj x ## y
obj`,
  ),
  one(
    'variadic macros',
    `#define f(a, ...) a: __VA_ARGS__ .
#define g(args...) <args>
#define h(...) #__VA_ARGS__
#define n(fmt, args...) p(fmt, args)
f(1, 2, 3) f(1) f(1,) g(x, y) g() h(a,b ,  c) h() n(1, 2, 3)
#define cnt(...) cntx(__VA_ARGS__, 3, 2, 1, 0)
#define cntx(a, b, c, n, ...) n
cnt(x) cnt(x, y) cnt(x, y, z)`,
  ),
  one(
    'GNU comma swallowing with , ## __VA_ARGS__',
    `#define e(fmt, ...) p(fmt, ## __VA_ARGS__)
#define e2(fmt, args...) q(fmt, ##args)
e(1) e(1,) e(1, 2) e(1, 2, 3) e2(1) e2(1, 2)`,
  ),
  one(
    'GNU mode: , ## __VA_ARGS__ with only a variable argument',
    `#define e(...) p(0, ## __VA_ARGS__)
e() e(1) e(1, 2)`,
    { std: 'gnu99' },
  ),
  one(
    '__VA_OPT__',
    `#define E
#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)
#define G(...) [__VA_OPT__(x ## __VA_ARGS__ y)]
F(1) F(1, E) F(1, 2) F(1, 2, 3) G() G(a) G(a, b)`,
  ),
  one(
    '#if arithmetic',
    [
      '1 + 2 * 3 == 7',
      '(1 ? 2 : 0) - 2',
      '10 / 3 == 3 && 10 % 3 == 1',
      '-7 / 2 == -3 && -7 % 2 == -1',
      '0x10 == 16 && 010 == 8',
      '-1 > 0u',
      '-1 > 0',
      '0xFFFFFFFFFFFFFFFF == -1',
      '18446744073709551615 / 2 == 9223372036854775807',
      '(0 ? 1u : -1) > 0',
      '(1 ? -1 : 0u) > 0',
      '1 << 63 < 0',
      '-16 >> 2 == -4',
      '0xFFFFFFFFFFFFFFFFu >> 60 == 15',
      '0x8000000000000000 >> 63 == 1',
      '-1 >> 63 == -1',
      '~0u == 0xFFFFFFFFFFFFFFFF',
      '~0 == -1',
      '!0 + !5 == 1',
      '-(-9223372036854775807 - 1) < 0',
      '(2 || 1 / 0) == 1',
      '0 && 1 % 0',
      '1 ? 2 ? 3 : 4 : 5',
      '0 ? 1 : 0 ? 2 : 3',
      '(1, 0)',
      "'A' == 65 && '\\377' < 0 && 'ab' == 0x6162 && '\\n' == 10",
      "'\\xff' == -1",
      'UNDEFINED_THING == 0',
      'true || false',
      '3 > 2 > 1',
      '(1 | 6) ^ 3 & 5',
      '1000000 * 1000000 == 1000000000000',
      '0x7fffffffffffffff + 0 > 0',
    ]
      .map((e, i) => `#if ${e}\nT${i}\n#else\nF${i}\n#endif\n`)
      .join(''),
  ),
  one(
    '#if with defined and macros',
    `#define X
#define ONE 1
#define D defined(X) && defined ONE
#define F(x) (x + 1)
#if defined X && defined(X) && !defined Y
a
#endif
#if D
b
#endif
#if F(ONE) == 2 && ONE
c
#endif
#if defined(F) && !defined(F2)
d
#endif`,
  ),
  one(
    '#ifdef, #ifndef, #elif chains and nested skipped groups',
    `#define V 2
#ifdef NOPE
a
#elif V == 1
b
#elif V == 2
c
# if 0
  #garbage 'unterminated
  #if 1
  d
  #else
  e
  #endif
# elif 1
  f
# else
  g
# endif
#elif V == 2
h
#else
i
#endif
#ifndef NOPE
j
#else
k
#endif
#if 0
#elif 0
l
#else
m
#endif`,
  ),
  {
    name: '#include "..." relative and via -I, <...> via -I',
    files: {
      'src/main.c': `#include "local.h"
#include "sub/deep.h"
#include "inc1.h"
#include <inc2.h>
#include <sys/types.h>
end`,
      'src/local.h': 'local\n',
      'src/sub/deep.h': '#include "sibling.h"\ndeep\n',
      'src/sub/sibling.h': 'sibling\n',
      'inc/inc1.h': 'inc1\n',
      'inc/inc2.h': '#include "inc1.h"\ninc2\n',
      'inc/sys/types.h': 'types __FILE__\n',
    },
    main: 'src/main.c',
    includePaths: ['inc'],
  },
  {
    name: 'include guards, #pragma once and computed includes',
    files: {
      'main.c': `#include "g.h"
#include "g.h"
#include "o.h"
#include "o.h"
#define HDR "c.h"
#define ANG(x) <x.h>
#include HDR
#include ANG(c)
#include "g2.h"
#include "g2.h"
G_VALUE`,
      'g.h': '#ifndef G_H\n#define G_H\n#define G_VALUE 42\nguarded\n#endif\n',
      'g2.h': '#if !defined(G2_H)\n#define G2_H\nguarded2\n#endif\n',
      'o.h': '#pragma once\nonce\n',
      'c.h': 'computed __INCLUDE_LEVEL__\n',
    },
    includePaths: ['.'],
  },
  {
    name: '__FILE__, __LINE__, __COUNTER__',
    files: {
      'main.c': `__FILE__ __LINE__
#define L __LINE__
#define f(x) x
#define g(x) __LINE__ x
f(
L
) f(__LINE__
)
g(
1
)
__COUNTER__ __COUNTER__ L
#include "sub/h.h"
__FILE__ __LINE__ __COUNTER__`,
      'sub/h.h': '__FILE__ __LINE__ __COUNTER__\n',
    },
  },
  one(
    '#line',
    `a __LINE__
#line 100
b __LINE__ __FILE__
#line 200 "renamed.c"
c __LINE__ __FILE__
#define N 300
#define NAME "macro.c"
#line N NAME
d __LINE__ __FILE__`,
  ),
  one(
    'directives inside macro arguments',
    `#define f(x) x
f(1
#undef f
#define f 2
f)
f
#define g(x) <x>
g(a
#ifdef NOPE
b
#else
c
#endif
)`,
  ),
  one(
    'comments, splices and digraphs',
    `#define X 1 /* a
*/ 2
X
/* c
*/ #define Y 3
Y
#def\\
ine Z \\
  4
Z
%:define D <: :> <% %>
D
#define P(a) a %:%: b
P(x)`,
  ),
  one(
    'null directive, spacing that must not fuse tokens',
    `#
#define M -
#define E
#define PLUS +
-M -E- a PLUS+ b PLUS= c.E.d
#define cat(a, b) a b
cat(+, +) cat(x, y)`,
  ),
];

describe('preprocessor vs gcc -E', () => {
  cases.forEach((c, i) => {
    test(c.name, (t) => {
      if (!hasGcc) {
        t.skip('gcc not installed');
        return;
      }
      check(c, i);
    });
  });
});

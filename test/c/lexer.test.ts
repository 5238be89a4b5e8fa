// Lexer: token positions and flags, every literal form and its decoder, and robustness.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticBag, formatDiagnostic } from '../../kernel-sim/c/diagnostics';
import { decodeSource } from '../../kernel-sim/c/host';
import {
  decodeCharLiteral,
  decodeStringLiteral,
  isFloatLiteral,
  lexSingle,
  parseFloatLiteral,
  parseIntegerLiteral,
  tokenize,
} from '../../kernel-sim/c/lexer';
import { type Token, TokenKind } from '../../kernel-sim/c/token';

function lex(text: string, path = 't.c'): { toks: Token[]; diags: string[] } {
  const bag = new DiagnosticBag();
  const toks = tokenize({ path, text, system: false }, bag);
  return { toks, diags: bag.items.map(formatDiagnostic) };
}

/** "text@line:col" for each token but EOF. */
function where(text: string): string[] {
  return lex(text)
    .toks.filter((t) => t.kind !== TokenKind.EOF)
    .map((t) => `${t.text}@${t.line}:${t.col}`);
}

function texts(text: string): string[] {
  return lex(text)
    .toks.filter((t) => t.kind !== TokenKind.EOF)
    .map((t) => t.text);
}

describe('lexer positions', () => {
  test('lines and columns, tabs count one column', () => {
    assert.deepEqual(where('int x;\n\tfoo = 12;'), ['int@1:1', 'x@1:5', ';@1:6', 'foo@2:2', '=@2:6', '12@2:8', ';@2:10']);
  });

  test('CRLF and lone CR end lines', () => {
    assert.deepEqual(where('a\r\nb\rc\n\r\nd'), ['a@1:1', 'b@2:1', 'c@3:1', 'd@5:1']);
  });

  test('a token spelled across a line splice has the spliced text and its first position', () => {
    assert.deepEqual(where('ab\\\ncd + 1'), ['abcd@1:1', '+@2:4', '1@2:6']);
    assert.deepEqual(where('x = "ab\\\r\ncd";'), ['x@1:1', '=@1:3', '"abcd"@1:5', ';@2:4']);
    assert.deepEqual(where('+\\\n+ -\\\n='), ['++@1:1', '-=@2:3']);
  });

  test('splices inside a directive keep later lines counted', () => {
    assert.deepEqual(where('#define X \\\n  1 \\\n  2\nY'), ['#@1:1', 'define@1:2', 'X@1:9', '1@2:3', '2@3:3', 'Y@4:1']);
  });

  test('backslash, blanks, newline is a splice (as gcc)', () => {
    assert.deepEqual(where('a\\  \nb'), ['ab@1:1']);
  });

  test('comments: positions after multi-line block comments and line comments', () => {
    assert.deepEqual(where('a /* x\n y */ b // c\nd'), ['a@1:1', 'b@2:7', 'd@3:1']);
    assert.deepEqual(where('// one \\\n still comment\nz'), ['z@3:1']);
  });

  test('hasSpace and atBol', () => {
    const { toks } = lex('  a b/**/c\n#d(e)');
    const flags = toks.map((t) => `${t.text}:${t.hasSpace ? 's' : '-'}${t.atBol ? 'b' : '-'}`);
    assert.deepEqual(flags, ['a:sb', 'b:s-', 'c:s-', '#:-b', 'd:--', '(:--', 'e:--', '):--', ':-b']);
  });

  test('a newline inside a block comment does not start a line (gcc)', () => {
    const { toks } = lex('x /* a\n */ y');
    assert.equal(toks[1].atBol, false);
  });

  test('EOF token position is the end of the file', () => {
    const { toks } = lex('a\nbc');
    const eof = toks[toks.length - 1];
    assert.equal(eof.kind, TokenKind.EOF);
    assert.deepEqual([eof.line, eof.col], [2, 3]);
  });
});

describe('lexer token forms', () => {
  test('pp-numbers follow C99 rules', () => {
    assert.deepEqual(texts('1e+5 0x1p-3 1ui64 0x10i64 .5 1.2.3 0x1e+5 1..2 08 1E-3f 0xABCDEFul'), [
      '1e+5', '0x1p-3', '1ui64', '0x10i64', '.5', '1.2.3', '0x1e+5', '1..2', '08', '1E-3f', '0xABCDEFul',
    ]);
    assert.deepEqual(texts('1+2 a.b 1.e'), ['1', '+', '2', 'a', '.', 'b', '1.e']);
  });

  test('character constants and strings with prefixes', () => {
    const { toks } = lex(`'a' L'x' u'y' U'z' u8'q' 'tPnI' "s" L"w" u"u" U"U" u8"8" '\\'' "\\"x"`);
    const got = toks.filter((t) => t.kind !== TokenKind.EOF).map((t) => [t.kind, t.text]);
    const C = TokenKind.Char;
    const S = TokenKind.String;
    assert.deepEqual(got, [
      [C, "'a'"], [C, "L'x'"], [C, "u'y'"], [C, "U'z'"], [C, "u8'q'"], [C, "'tPnI'"],
      [S, '"s"'], [S, 'L"w"'], [S, 'u"u"'], [S, 'U"U"'], [S, 'u8"8"'], [C, "'\\''"], [S, '"\\"x"'],
    ]);
  });

  test('identifiers next to quotes that are not prefixes', () => {
    assert.deepEqual(texts(`Lx'a' u88"s"`), ['Lx', "'a'", 'u88', '"s"']);
  });

  test('all punctuators', () => {
    const ps = '[ ] ( ) { } . -> ++ -- & * + - ~ ! / % << >> < > <= >= == != ^ | && || ? : ; ... = *= /= %= += -= <<= >>= &= ^= |= , # ##';
    assert.deepEqual(texts(ps), ps.split(' '));
    assert.deepEqual(texts('a<<=b>>=c->d...e'), ['a', '<<=', 'b', '>>=', 'c', '->', 'd', '...', 'e']);
    assert.deepEqual(texts('x+++++y'), ['x', '++', '++', '+', 'y']);
  });

  test('digraphs are normalised to their canonical spelling', () => {
    assert.deepEqual(texts('<: :> <% %> %: %:%:'), ['[', ']', '{', '}', '#', '##']);
    assert.deepEqual(where('a<:1:>'), ['a@1:1', '[@1:2', '1@1:4', ']@1:5']);
  });

  test('header names after #include only', () => {
    const { toks } = lex('#include <a/b.h>\n#  include_next <c>\nx <d>');
    const got = toks.filter((t) => t.kind !== TokenKind.EOF).map((t) => t.text);
    assert.deepEqual(got, ['#', 'include', '<a/b.h>', '#', 'include_next', '<c>', 'x', '<', 'd', '>']);
    assert.equal(toks[2].kind, TokenKind.String);
  });

  test('stray characters become Other tokens', () => {
    const { toks, diags } = lex('a @ ` \\ é 😀 b');
    assert.deepEqual(diags, []);
    const others = toks.filter((t) => t.kind === TokenKind.Other).map((t) => t.text);
    assert.deepEqual(others, ['@', '`', '\\', 'é', '😀']);
  });

  test('lexSingle recognises exactly one token', () => {
    assert.equal(lexSingle('ab'), TokenKind.Identifier);
    assert.equal(lexSingle('<<='), TokenKind.Punct);
    assert.equal(lexSingle('L"x"'), TokenKind.String);
    assert.equal(lexSingle('+-'), undefined);
    assert.equal(lexSingle('//'), undefined);
    assert.equal(lexSingle('"x'), undefined);
  });
});

describe('lexer diagnostics', () => {
  test('unterminated comment: error at its start, lexing stops', () => {
    const { toks, diags } = lex('a\n  /* never\nclosed');
    assert.deepEqual(diags, ['t.c:2:3: error: unterminated comment']);
    assert.deepEqual(
      toks.map((t) => t.text),
      ['a', ''],
    );
  });

  test('unterminated string and char: error at start, rest of line skipped', () => {
    const { toks, diags } = lex('x = "abc;\ny = \'q + 1;\nz');
    assert.deepEqual(diags, ['t.c:1:5: error: missing terminating " character', "t.c:2:5: error: missing terminating ' character"]);
    assert.deepEqual(
      toks.map((t) => t.text),
      ['x', '=', '"abc;', 'y', '=', "'q + 1;", 'z', ''],
    );
    assert.equal(toks[2].kind, TokenKind.Other);
  });

  test('deferred literal errors are not reported by the lexer', () => {
    const bag = new DiagnosticBag();
    tokenize({ path: 't.c', text: "don't", system: false }, bag, { deferLiteralErrors: true });
    assert.equal(bag.items.length, 0);
  });

  test('Latin-1 bytes in a comment decode and lex without complaint', () => {
    const bytes = new Uint8Array([...Buffer.from('/* caf'), 0xe9, ...Buffer.from(' */ int x;\n')]);
    const text = decodeSource(bytes);
    assert.ok(text.includes('\u00e9'));
    const bag = new DiagnosticBag();
    const toks = tokenize({ path: 'l1.c', text, system: false }, bag);
    assert.equal(bag.items.length, 0);
    assert.deepEqual(
      toks.map((t) => t.text),
      ['int', 'x', ';', ''],
    );
  });

  test('garbage bytes never throw', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 50; round++) {
      const bytes = new Uint8Array(2000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
      const text = decodeSource(bytes);
      const bag = new DiagnosticBag();
      const toks = tokenize({ path: 'g.c', text, system: false }, bag);
      assert.equal(toks[toks.length - 1].kind, TokenKind.EOF);
      for (const t of toks) assert.ok(t.line >= 1 && t.col >= 1);
    }
  });
});

describe('integer literals', () => {
  const cases: Array<[string, bigint, boolean, string, number]> = [
    ['0', 0n, false, 'int', 8],
    ['42', 42n, false, 'int', 10],
    ['017', 15n, false, 'int', 8],
    ['0x1F', 31n, false, 'int', 16],
    ['0b101', 5n, false, 'int', 2],
    ['10u', 10n, true, 'int', 10],
    ['10UL', 10n, true, 'long', 10],
    ['10lu', 10n, true, 'long', 10],
    ['10ll', 10n, false, 'long long', 10],
    ['10ULL', 10n, true, 'long long', 10],
    ['10LLu', 10n, true, 'long long', 10],
    ['1ui64', 1n, true, 'long long', 10],
    ['0x10i64', 16n, false, 'long long', 16],
    ['5i32', 5n, false, 'int', 10],
    ['0xFFFFFFFFFFFFFFFF', 0xffffffffffffffffn, false, 'int', 16],
  ];
  for (const [text, value, unsigned, size, radix] of cases) {
    test(text, () => {
      const r = parseIntegerLiteral(text);
      assert.ok(!('error' in r), 'error' in r ? r.error : '');
      assert.deepEqual([r.value, r.unsigned, r.size, r.radix], [value, unsigned, size, radix]);
    });
  }
  test('MSVC suffix width is reported', () => {
    const r = parseIntegerLiteral('1i16');
    assert.ok(!('error' in r) && r.msvcBits === 16);
  });
  test('errors', () => {
    assert.deepEqual(parseIntegerLiteral('08'), { error: 'invalid digit "8" in octal constant' });
    assert.deepEqual(parseIntegerLiteral('1lL'), { error: 'invalid suffix "lL" on integer constant' });
    assert.deepEqual(parseIntegerLiteral('0x'), { error: 'invalid suffix "x" on integer constant' });
    assert.deepEqual(parseIntegerLiteral('12abc'), { error: 'invalid suffix "abc" on integer constant' });
    assert.deepEqual(parseIntegerLiteral('0x10000000000000000'), { error: 'integer constant is too large for its type' });
  });
});

describe('float literals', () => {
  test('forms and kinds', () => {
    assert.deepEqual(parseFloatLiteral('1.5'), { value: 1.5, kind: 'double' });
    assert.deepEqual(parseFloatLiteral('1e+5'), { value: 1e5, kind: 'double' });
    assert.deepEqual(parseFloatLiteral('.25f'), { value: 0.25, kind: 'float' });
    assert.deepEqual(parseFloatLiteral('2.L'), { value: 2, kind: 'long double' });
    assert.deepEqual(parseFloatLiteral('0x1p-3'), { value: 0.125, kind: 'double' });
    assert.deepEqual(parseFloatLiteral('0x1.8p1f'), { value: 3, kind: 'float' });
    assert.deepEqual(parseFloatLiteral('0xA.p0'), { value: 10, kind: 'double' });
    assert.equal((parseFloatLiteral('0.1f') as { value: number }).value, Math.fround(0.1));
  });
  test('errors', () => {
    assert.ok('error' in parseFloatLiteral('1.5x'));
    assert.ok('error' in parseFloatLiteral('0x1.5'));
    assert.ok('error' in parseFloatLiteral('1e'));
  });
  test('isFloatLiteral', () => {
    assert.deepEqual(
      ['1.0', '1e5', '0x1p3', '0xE', '0x1e5', '10', '1ui64'].map(isFloatLiteral),
      [true, true, true, false, false, false, false],
    );
  });
});

describe('character constants', () => {
  const value = (t: string) => {
    const r = decodeCharLiteral(t);
    assert.ok(!('error' in r), `${t}: ${'error' in r ? r.error : ''}`);
    return r.value;
  };
  test("multi-character 'tPnI' == 0x74506E49 (gcc and MSVC)", () => {
    assert.equal(value("'tPnI'"), 0x74506e49);
    assert.equal(value("'ab'"), 0x6162);
  });
  test('plain char is signed', () => {
    assert.equal(value("'\\xff'"), -1);
    assert.equal(value("'\\200'"), -128);
    assert.equal(value("'\u00e9'"), 0xe9 - 256);
  });
  test('wide and unicode', () => {
    assert.deepEqual(decodeCharLiteral("L'x'"), { value: 120, wide: true, prefix: 'L', units: 1 });
    assert.equal(value("L'ab'"), 97, 'MSVC keeps the first character (C4066)');
    assert.equal(value("L'\\xffff'"), 0xffff);
    assert.equal(value("L'\u20ac'"), 0x20ac);
    assert.equal(value("u'\\u00e9'"), 0xe9);
    assert.equal(value("U'\\U0001F600'"), 0x1f600);
  });
  test('all escapes', () => {
    const esc: Array<[string, number]> = [
      ['\\n', 10], ['\\t', 9], ['\\\\', 92], ["\\'", 39], ['\\"', 34], ['\\?', 63], ['\\a', 7], ['\\b', 8],
      ['\\f', 12], ['\\r', 13], ['\\v', 11], ['\\e', 27], ['\\0', 0], ['\\101', 65], ['\\x41', 65], ['\\x7f', 127],
    ];
    for (const [e, v] of esc) assert.equal(value(`'${e}'`), v, e);
  });
  test('errors', () => {
    assert.deepEqual(decodeCharLiteral("''"), { error: 'empty character constant' });
    assert.deepEqual(decodeCharLiteral("'\\x100'"), { error: 'hex escape sequence out of range' });
    assert.deepEqual(decodeCharLiteral("'a"), { error: "missing terminating ' character" });
    assert.ok('error' in decodeCharLiteral("'\\u12'"));
  });
});

describe('string literals', () => {
  const bytes = (t: string) => {
    const r = decodeStringLiteral(t);
    assert.ok(!('error' in r), `${t}: ${'error' in r ? r.error : ''}`);
    return r.bytes;
  };
  test('narrow: code points up to 0xFF are one byte, above that UTF-8', () => {
    assert.deepEqual(bytes('"ab\\n"'), [97, 98, 10]);
    assert.deepEqual(bytes('"\u00e9"'), [0xe9]);
    assert.deepEqual(bytes('"\u20ac"'), [0xe2, 0x82, 0xac]);
    assert.deepEqual(bytes('"\\u00e9"'), [0xc3, 0xa9]);
    assert.deepEqual(bytes('"\\x41\\0\\377"'), [65, 0, 255]);
    assert.deepEqual(bytes('u8"\u00e9"'), [0xc3, 0xa9], 'u8 literals are always UTF-8');
  });
  test('wide strings', () => {
    assert.deepEqual(decodeStringLiteral('L"A\u20ac"'), { bytes: [65, 0x20ac], wide: true, charSize: 2, prefix: 'L' });
    assert.deepEqual(bytes('u"\\U0001F600"'), [0xd83d, 0xde00]);
    assert.deepEqual(decodeStringLiteral('U"\u{1F600}"'), { bytes: [0x1f600], wide: true, charSize: 4, prefix: 'U' });
    assert.deepEqual(bytes('L"\\xffff"'), [0xffff]);
  });
  test('errors', () => {
    assert.deepEqual(decodeStringLiteral('"\\x"'), { error: '\\x used with no following hex digits' });
    assert.deepEqual(decodeStringLiteral('"\\x100"'), { error: 'hex escape sequence out of range' });
    assert.ok('error' in decodeStringLiteral('"abc'));
  });
});

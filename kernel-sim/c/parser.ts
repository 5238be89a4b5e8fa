// Translation unit (C11 6.9): external declarations and function definitions.
// Hand-written recursive descent with a typedef table, in the manner of chibicc's parse.c.

import type { DiagnosticBag } from './diagnostics';
import { declaration, declspec, skipTo, staticAssert } from './parse-decl';
import { type GlobalTable, ParserState, SyntaxPanic } from './parse-state';
import { functionBody } from './parse-stmt';
import type { PragmaRecord } from './preprocessor';
import { type Token, TokenKind } from './token';
import { type CType, type EnumType, type RecordType, arrayOf, typeToString } from './types';
import type { VarObj } from './ast';

export interface TranslationUnitScope {
  typedefs: Map<string, CType>;
  tags: Map<string, RecordType | EnumType>;
  enumConstants: Map<string, bigint>;
}

export function newGlobalTable(): GlobalTable {
  return { functions: new Map(), globals: new Map(), functionList: [], globalList: [], unitLocal: new Map(), unit: -1, definedIn: new Map(), nextId: 1 };
}

// translation-unit = (function-definition | declaration)*
export function parseTranslationUnit(
  tokens: Token[],
  diags: DiagnosticBag,
  table: GlobalTable,
  pragmas: readonly PragmaRecord[],
): TranslationUnitScope {
  table.unitLocal = new Map();
  table.unit++;
  const p = new ParserState(tokens, diags, table, pragmas);
  const firstGlobal = table.globalList.length;
  const definedHere = (): VarObj[] => table.globalList.slice(firstGlobal);
  try {
    while (!p.atEOF()) {
      const start = p.pos;
      p.nesting = 0;
      try {
        externalDeclaration(p);
      } catch (x) {
        if (!(x instanceof SyntaxPanic)) throw x;
        if (x.fatal) break;
        p.fn = undefined;
        while (p.scopes.length > 1) p.popScope();
        if (!x.resynced) skipTo(p, start, [';', '}'], '\u0000');
      }
    }
  } catch (x) {
    // A pathological input that still exhausts the JS stack is reported, never thrown.
    if (!(x instanceof RangeError)) throw x;
    p.error(p.tok, 'program too complex: nesting exceeds the front end\'s limits');
  }
  const file = p.scopes[0];
  const typedefs = new Map<string, CType>();
  const enumConstants = new Map<string, bigint>();
  for (const [name, e] of file.names) {
    if (e.kind === 'typedef') typedefs.set(name, e.type);
    else if (e.kind === 'enum') enumConstants.set(name, e.value);
  }
  table.globalList.push(...p.compoundLiterals);
  checkIncompleteObjects(p, definedHere);
  return { typedefs, tags: new Map(file.tags), enumConstants };
}

/**
 * At the end of a translation unit every object defined in it must have a complete type
 * (a struct may be completed after the object is declared); open arrays get one element.
 */
function checkIncompleteObjects(p: ParserState, defined: () => VarObj[]): void {
  for (const v of defined()) {
    if (v.isExtern || v.type.size >= 0) continue;
    if (v.type.kind === 'array' && v.type.length === undefined && v.type.base.size >= 0) {
      p.diags.at('warning', v.pos, `array '${v.name}' assumed to have one element`);
      v.type = arrayOf(v.type.base, 1);
      continue;
    }
    p.diags.at('error', v.pos, `storage size of '${v.name}' isn't known (incomplete type '${typeToString(v.type)}')`);
  }
}

function externalDeclaration(p: ParserState): void {
  const t = p.tok;
  if (t.kind === TokenKind.Punct && t.text === ';') {
    p.next();
    return;
  }
  if (t.kind === TokenKind.Identifier && (t.text === '_Static_assert' || t.text === 'static_assert')) {
    staticAssert(p);
    return;
  }
  if (t.kind === TokenKind.Other) p.fail(t, `stray '${t.text}' in program`);
  p.syncPragmas();
  const spec = declspec(p, true);
  const def = declaration(p, spec, undefined);
  if (def) functionBody(p, def.fn, def.decl);
}

// The C front end's entry point: source files → checked, typed, laid-out Program.

import type { FuncObj, Program } from './ast';
import { type Diagnostic, DiagnosticBag } from './diagnostics';
import type { FileHost, SimulatedHeaders } from './host';
import { newGlobalTable, parseTranslationUnit } from './parser';
import { preprocess, type PragmaRecord } from './preprocessor';
import type { Macro } from './pp-macro';
import type { SourceFile } from './token';
import type { CType, EnumType, RecordType } from './types';

export interface CompileOptions {
  host: FileHost;
  simulatedHeaders: SimulatedHeaders;
  includePaths?: string[];
  defines?: Array<[string, string | undefined]>;
  undefines?: string[];
}

export interface CompileResult {
  /** Present even with errors (what could be parsed); run it only when `ok`. */
  program: Program;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Compiles the translation units `sources` (paths) into one program. */
export function compile(sources: readonly string[], opts: CompileOptions): CompileResult {
  const diags = new DiagnosticBag();
  const table = newGlobalTable();
  const files: SourceFile[] = [];
  const typedefs = new Map<string, CType>();
  const tags = new Map<string, RecordType | EnumType>();
  const enumConstants = new Map<string, bigint>();
  const pragmas: PragmaRecord[] = [];
  const macros = new Map<string, Macro>();
  for (const src of sources) {
    if (diags.tooMany) break;
    const pp = preprocess(
      src,
      { host: opts.host, simulatedHeaders: opts.simulatedHeaders, includePaths: opts.includePaths ?? [], defines: opts.defines, undefines: opts.undefines },
      diags,
    );
    files.push(...pp.files);
    pragmas.push(...pp.pragmas);
    for (const [name, m] of pp.macros) if (!m.builtin && !macros.has(name)) macros.set(name, m);
    const scope = parseTranslationUnit(pp.tokens, diags, table, pp.pragmas);
    for (const [k, v] of scope.typedefs) if (!typedefs.has(k)) typedefs.set(k, v);
    for (const [k, v] of scope.tags) if (!tags.has(k)) tags.set(k, v);
    for (const [k, v] of scope.enumConstants) if (!enumConstants.has(k)) enumConstants.set(k, v);
  }
  applyAllocText(pragmas, table.functionList);
  const program: Program = {
    files,
    globals: table.globalList,
    functions: table.functionList,
    typedefs,
    tags,
    enumConstants,
    pragmas,
    macros,
  };
  return { program, diagnostics: diags.items, ok: diags.errorCount === 0 };
}

/** `#pragma alloc_text(PAGE, Fn, ...)` places functions in a section ("PAGE" = pageable). */
function applyAllocText(pragmas: readonly PragmaRecord[], functions: readonly FuncObj[]): void {
  const byName = new Map(functions.map((f) => [f.name, f]));
  for (const pr of pragmas) {
    const t = pr.tokens;
    if (t[0]?.text !== 'alloc_text' || t[1]?.text !== '(') continue;
    const words = t.slice(2).filter((x) => x.text !== ',' && x.text !== ')');
    const section = words[0]?.text.replace(/^"|"$/g, '');
    if (!section) continue;
    for (const w of words.slice(1)) {
      const fn = byName.get(w.text);
      if (fn) fn.attrs.section = section;
    }
  }
}

export { formatDiagnostic, type Diagnostic } from './diagnostics';
export { MemoryFileHost, decodeSource, type FileHost, type SimulatedHeaders } from './host';
export type { Program } from './ast';

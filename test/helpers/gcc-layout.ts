// Differential layout checking: the same C declarations laid out by kdsim's front end and
// by gcc -mms-bitfields (the MSVC record layout rules on a GNU compiler), compared per type.
//
// For every type asked for, both sides produce a TypeLayout: sizeof, _Alignof, and for each
// member reachable from the type (through nested and anonymous struct/union members, and the
// last element of arrays of records) its byte offset, or for a bit-field a byte-mask
// fingerprint: the bytes of a zeroed object after the bit-field was set to all ones.
// The member paths come from kdsim's Program (gcc has no reflection); gcc then computes the
// offset or mask of each path, so a member kdsim misplaces shows up as a differing value and
// a member it drops shows up in sizeof.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, formatDiagnostic, MemoryFileHost, type CompileResult } from '../../kernel-sim/c';
import type { Program } from '../../kernel-sim/c/ast';
import type { CType, RecordType } from '../../kernel-sim/c/types';

/** A member's offset (bytes from the start of the type) or a bit-field's mask ("bits 4:f0 5:03"). */
export type MemberLayout = number | string;

export interface TypeLayout {
  size: number;
  align: number;
  members: Record<string, MemberLayout>;
}

export type Layouts = Record<string, TypeLayout>;

export interface MemberPath {
  /** C access path from an object of the type: "u.s.x", "arr[3].f". */
  path: string;
  bitfield: boolean;
}

/** Macros each compiler needs so one declaration text means the same to both. */
export const GCC_SIDE_MACROS = '#define DECLSPEC_ALIGN(n) __attribute__((aligned(n)))\n';
export const KDSIM_SIDE_MACROS = '#define DECLSPEC_ALIGN(n) __declspec(align(n))\n';

/**
 * Typedefs that mean the same under LP64 gcc and LLP64 kdsim (no `long`, no wchar_t):
 * the Windows names the declarations use.
 */
export const WINDOWS_PRELUDE = `
typedef void VOID;
typedef void *PVOID;
typedef char CHAR;
typedef unsigned char UCHAR;
typedef unsigned char BOOLEAN;
typedef unsigned char *PUCHAR;
typedef short SHORT;
typedef unsigned short USHORT;
typedef unsigned short WCHAR;
typedef int LONG;
typedef unsigned int ULONG;
typedef int NTSTATUS;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG;
typedef long long LONG_PTR;
typedef unsigned long long ULONG_PTR;
typedef unsigned long long SIZE_T;
typedef unsigned long long KAFFINITY;
typedef ULONG_PTR KSPIN_LOCK;
typedef UCHAR KIRQL;
`;

let gccChecked: boolean | undefined;

/** Is a gcc that understands -mms-bitfields on PATH? */
export function gccAvailable(): boolean {
  if (gccChecked === undefined) {
    const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
    gccChecked = r.status === 0;
  }
  return gccChecked;
}

/** Resolves "struct tag" / "union tag" / typedef name to a kdsim type. */
export function kdsimType(program: Program, name: string): CType | undefined {
  const m = /^(struct|union|enum)\s+(\w+)$/.exec(name.trim());
  if (m) {
    const t = program.tags.get(m[2]);
    return t && t.kind === m[1] ? t : undefined;
  }
  return program.typedefs.get(name.trim());
}

function isRecordType(t: CType): t is RecordType {
  return t.kind === 'struct' || t.kind === 'union';
}

/** Walks the members of `t`, calling `visit` with each member's path, absolute offset and member. */
function walkMembers(
  t: RecordType,
  base: number,
  prefix: string,
  visit: (path: string, offset: number, bit: { bitOffset: number; bitWidth: number } | undefined) => void,
  depth = 0,
): void {
  if (depth > 32) return;
  for (const m of t.members) {
    const offset = base + m.offset;
    if (m.name === undefined) {
      // Unnamed bit-field: not addressable. Anonymous struct/union: its members are reached
      // directly through the enclosing object.
      if (m.bitWidth === undefined && isRecordType(m.type)) walkMembers(m.type, offset, prefix, visit, depth + 1);
      continue;
    }
    const path = prefix ? `${prefix}.${m.name}` : m.name;
    if (m.bitWidth !== undefined) {
      visit(path, offset, { bitOffset: m.bitOffset ?? 0, bitWidth: m.bitWidth });
      continue;
    }
    visit(path, offset, undefined);
    let mt: CType = m.type;
    let elemPath = path;
    let elemOffset = offset;
    // Arrays of records: descend into the last element (checks the element stride too).
    while (mt.kind === 'array' && mt.length !== undefined && mt.length > 0) {
      elemPath += `[${mt.length - 1}]`;
      elemOffset += (mt.length - 1) * mt.base.size;
      mt = mt.base;
    }
    if (isRecordType(mt)) walkMembers(mt, elemOffset, elemPath, visit, depth + 1);
  }
}

/** The member paths of a type as kdsim sees it (what the gcc probe is asked about). */
export function memberPaths(t: CType): MemberPath[] {
  const out: MemberPath[] = [];
  if (isRecordType(t)) walkMembers(t, 0, '', (path, _o, bit) => out.push({ path, bitfield: bit !== undefined }));
  return out;
}

/** "bits 4:f0 5:03": the non-zero bytes (index:hex) of an object with only these bits set. */
export function bitMask(size: number, byteOffset: number, bitOffset: number, bitWidth: number): string {
  const bytes = new Uint8Array(Math.max(size, 0));
  const first = byteOffset * 8 + bitOffset;
  for (let b = first; b < first + bitWidth; b++) {
    const i = b >> 3;
    if (i < bytes.length) bytes[i] |= 1 << (b & 7);
    else return `bits out of object: bit ${b} of ${size} bytes`;
  }
  return formatMask(bytes);
}

function formatMask(bytes: Uint8Array): string {
  const parts: string[] = [];
  bytes.forEach((v, i) => {
    if (v !== 0) parts.push(`${i}:${v.toString(16).padStart(2, '0')}`);
  });
  return `bits ${parts.join(' ')}`.trimEnd();
}

/** Layout of one type as kdsim computed it. */
export function kdsimLayout(t: CType): TypeLayout {
  const members: Record<string, MemberLayout> = {};
  if (isRecordType(t)) {
    walkMembers(t, 0, '', (path, offset, bit) => {
      members[path] = bit ? bitMask(t.size, offset, bit.bitOffset, bit.bitWidth) : offset;
    });
  }
  return { size: t.size, align: t.align, members };
}

export function kdsimLayouts(program: Program, typeNames: readonly string[]): Layouts {
  const out: Layouts = {};
  for (const name of typeNames) {
    const t = kdsimType(program, name);
    out[name] = t ? kdsimLayout(t) : { size: -999, align: -999, members: { '<kdsim has no such type>': -1 } };
  }
  return out;
}

function cString(s: string): string {
  return JSON.stringify(s);
}

/**
 * A C program that prints, one JSON object per line, the layout of each type:
 * {"type":..., "size":..., "align":..., "members":{path: offset | "bits ..."}}.
 */
export function gccProbeSource(declarations: string, types: ReadonlyArray<{ name: string; paths: readonly MemberPath[] }>): string {
  const out: string[] = [];
  out.push('#include <stdio.h>', '#include <string.h>', '#include <stddef.h>', '');
  out.push(declarations, '');
  out.push(
    'static void kd_mask(const void *p, size_t n) {',
    '  const unsigned char *b = (const unsigned char *)p;',
    '  printf("\\"bits");',
    '  for (size_t i = 0; i < n; i++) if (b[i]) printf(" %zu:%02x", i, b[i]);',
    '  printf("\\"");',
    '}',
    '',
    'int main(void) {',
  );
  for (const { name, paths } of types) {
    out.push(`  printf("{\\"type\\":%s,\\"size\\":%zu,\\"align\\":%zu,\\"members\\":{", ${cString(cString(name))}, sizeof(${name}), (size_t)_Alignof(${name}));`);
    paths.forEach((m, i) => {
      const sep = i === 0 ? '' : ',';
      out.push(`  printf("${sep}%s:", ${cString(cString(m.path))});`);
      if (m.bitfield) {
        out.push(`  { ${name} v; memset(&v, 0, sizeof v); v.${m.path} = -1; kd_mask(&v, sizeof v); }`);
      } else {
        out.push(`  printf("%zu", (size_t)&((${name} *)0)->${m.path});`);
      }
    });
    out.push('  printf("}}\\n");');
  }
  out.push('  return 0;', '}', '');
  return out.join('\n');
}

export type GccResult =
  | { ok: true; layouts: Layouts; /** Types whose probe gcc could not compile (kdsim reported a path gcc does not know). */ errors: Record<string, string> }
  | { ok: false; skip: string }
  | { ok: false; error: string };

type ProbeTypes = ReadonlyArray<{ name: string; paths: readonly MemberPath[] }>;

function runProbe(dir: string, declarations: string, types: ProbeTypes): { layouts: Layouts } | { error: string } {
  const src = join(dir, 'probe.c');
  const exe = join(dir, 'probe');
  writeFileSync(src, gccProbeSource(declarations, types));
  const cc = spawnSync('gcc', ['-mms-bitfields', '-fms-extensions', '-std=gnu11', '-w', '-o', exe, src], { encoding: 'utf8' });
  if (cc.status !== 0) return { error: `gcc failed:\n${cc.stderr}` };
  const run = spawnSync(exe, [], { encoding: 'utf8' });
  if (run.status !== 0) return { error: `probe failed (${run.status}): ${run.stderr}` };
  const layouts: Layouts = {};
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const j = JSON.parse(line) as { type: string } & TypeLayout;
    layouts[j.type] = { size: j.size, align: j.align, members: j.members };
  }
  return { layouts };
}

/**
 * Compiles and runs the probe with gcc -mms-bitfields; layouts by type name. When the probe
 * for all types does not compile (e.g. a member path kdsim invented), each type is retried
 * alone so one bad type does not hide the others.
 */
export function gccLayouts(declarations: string, types: ProbeTypes): GccResult {
  if (!gccAvailable()) return { ok: false, skip: 'gcc not found' };
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-layout-'));
  try {
    const all = runProbe(dir, declarations, types);
    if ('layouts' in all) return { ok: true, layouts: all.layouts, errors: {} };
    // The declarations alone must compile, or the case itself is wrong.
    const bare = runProbe(dir, declarations, []);
    if ('error' in bare) return { ok: false, error: bare.error };
    const layouts: Layouts = {};
    const errors: Record<string, string> = {};
    for (const t of types) {
      const one = runProbe(dir, declarations, [t]);
      if ('layouts' in one) Object.assign(layouts, one.layouts);
      else errors[t.name] = one.error;
    }
    return { ok: true, layouts, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LayoutComparison {
  kdsim: Layouts;
  gcc: GccResult;
  compile: CompileResult;
  /** kdsim's diagnostics, formatted (for assertion messages). */
  messages: string[];
}

/**
 * Lays out `types` from `declarations` with both compilers. The declarations are preceded by
 * the per-compiler macros (DECLSPEC_ALIGN) and `prelude`.
 */
export function compareLayouts(declarations: string, types: readonly string[], prelude = WINDOWS_PRELUDE): LayoutComparison {
  const kdsimText = KDSIM_SIDE_MACROS + prelude + '\n' + declarations + '\n';
  const host = new MemoryFileHost({ '/layout/decls.c': kdsimText });
  const r = compile(['/layout/decls.c'], { host, simulatedHeaders: { get: (): string | undefined => undefined } });
  const kd = kdsimLayouts(r.program, types);
  const probeTypes = types.map((name) => {
    const t = kdsimType(r.program, name);
    return { name, paths: t ? memberPaths(t) : [] };
  });
  const gcc = gccLayouts(GCC_SIDE_MACROS + prelude + '\n' + declarations + '\n', probeTypes);
  return { kdsim: kd, gcc, compile: r, messages: r.diagnostics.map((d) => formatDiagnostic(d)) };
}

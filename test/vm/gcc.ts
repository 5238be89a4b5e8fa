// The gcc side of the differential corpus: the reference build and run of each program, plus
// the static checks that keep a program meaningful for an LLP64 engine with MSVC semantics.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeEnd, run, type ProcResult } from './proc';

export const ROOT = join(__dirname, '..', '..');
export const KDSIM_INCLUDE = join(ROOT, 'kernel-sim', 'include');

/** The reference build (the flags the corpus README promises). */
export const REFERENCE_FLAGS = ['-std=gnu11', '-O0', '-w', '-fno-builtin'];
/** Format strings must match their arguments (a wrong %lld prints differently on the engine). */
export const FORMAT_CHECK_FLAGS = ['-fsyntax-only', '-std=gnu11', '-Wall', '-Werror=implicit-function-declaration', '-Werror=format'];
/** MSVC record and bit-field layout: the output must not change (programs are layout-insensitive). */
export const MS_LAYOUT_FLAGS = [...REFERENCE_FLAGS, '-mms-bitfields'];
/** KDSIM_VM_STRICT=1: optimised build with UBSan/ASan; the output must not change. */
export const SANITIZER_FLAGS = ['-std=gnu11', '-O2', '-w', '-fno-builtin', '-fsanitize=undefined,address', '-fno-sanitize-recover=all'];

/**
 * gcc reading kdsim's own hosted headers (kernel-sim/include) instead of glibc's: the program
 * must only use what kdsim declares. The prelude maps the MSVC spellings those headers use.
 */
export const KDSIM_HEADERS_PRELUDE = `
#define _WIN64 1
#define _M_AMD64 100
#define _MSC_VER 1938
#define __KDSIM__ 1
#undef __declspec
#define __declspec(x) __kdsim_declspec_##x
#define __kdsim_declspec_noreturn __attribute__((noreturn))
#define __kdsim_declspec_dllimport
#define __kdsim_declspec_restrict
#define __kdsim_declspec_noinline __attribute__((noinline))
#define __kdsim_declspec_nothrow
#define __kdsim_declspec_selectany
#define __kdsim_declspec_align(n) __attribute__((aligned(n)))
`;
export function kdsimHeadersFlags(preludeFile: string): string[] {
  return [
    '-fsyntax-only',
    '-std=gnu11',
    '-fms-extensions',
    '-mms-bitfields',
    '-fno-builtin',
    '-nostdinc',
    `-I${KDSIM_INCLUDE}`,
    '-include',
    preludeFile,
    '-w',
    '-Werror=implicit-function-declaration',
  ];
}

export const MINGW = 'x86_64-w64-mingw32-gcc';

export function available(cc: string): boolean {
  const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

export const COMPILE_LIMITS = { timeoutMs: 60_000, maxOutputBytes: 1 << 20 };
/** A program's run: well under 0.2 s under gcc -O0; generous limits for a loaded machine. */
export const RUN_LIMITS = { timeoutMs: 20_000, maxOutputBytes: 1 << 20 };

/** Compiles (or syntax-checks) and fails with the compiler's messages if it did not succeed. */
export async function compileOrThrow(cc: string, args: readonly string[], what: string): Promise<void> {
  const r = await run(cc, args, COMPILE_LIMITS);
  if (r.status !== 0) throw new Error(`${what}: ${cc} ${describeEnd(r)}\n${r.stdout}${r.stderr}`);
}

/** glibc start-up references every executable has. */
const STARTUP_SYMBOLS = new Set(['__libc_start_main']);

/** The C library functions an executable calls: its undefined (`U`) symbols, versions stripped. */
export async function libraryCalls(exe: string): Promise<string[]> {
  const r = await run('nm', ['-u', exe], COMPILE_LIMITS);
  if (r.status !== 0) throw new Error(`nm -u ${exe}: ${describeEnd(r)}\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 2 && f[0] === 'U')
    .map((f) => f[1].replace(/@.*$/, ''))
    .filter((name) => !STARTUP_SYMBOLS.has(name));
}

export function runProgram(exe: string): Promise<ProcResult> {
  return run(exe, [], RUN_LIMITS);
}

/** Printable ASCII, tab and newline: what every corpus program prints (no encoding questions). */
export function isPlainText(s: string): boolean {
  return /^[\t\n\x20-\x7e]*$/.test(s);
}

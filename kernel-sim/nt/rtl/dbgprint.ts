// DbgPrint, DbgPrintEx and vDbgPrintEx (wdm/nf-wdm-dbgprint, KERNEL_MODEL §1.2 and §6).
// Formatting is the C library's printf engine in its 'msvc' dialect, which also knows the
// kernel's counted-string conversions: %wZ (PUNICODE_STRING), %Z / %hZ (PANSI_STRING).
// Output goes unfiltered to KernelServices.debugPrint; the kernel applies the component
// filter. Breaking into the debugger (DbgBreakPoint) and assertions are the kernel core's.

import { type DdiImpl, type DdiTable, type KernelServices, num, u32 } from '../ddi';
import { fromUnsigned } from '../../vm/memory';
import { formatPrintf, type PrintfArgs, scanFormat } from '../../vm/crt/printf';
import { argsFromValues, argsFromVaList } from '../../vm/crt/printf-args';
import type { Value } from '../../vm/runtime';
import { ansiBytes, readCounted, unicodeUnits } from './counted-string';
import { STATUS_SUCCESS } from './status';

/** dpfilter.h: DbgPrint(...) is DbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, ...). */
export const DPFLTR_DEFAULT_ID = 101;
export const DPFLTR_ERROR_LEVEL = 0;
export const DPFLTR_INFO_LEVEL = 3;

/** "any single call to DbgPrint will only transmit 512 bytes of information". */
export const DBGPRINT_MAX_BYTES = 512;

/** KERNEL_MODEL §1.1: PASSIVE_LEVEL 0; device IRQLs go up to 12 on x64. */
const PASSIVE_LEVEL = 0;
const MAX_DIRQL = 12;

/** Starts every line kdsim adds to the debug output about a misuse of DbgPrint. */
export const VERIFIER_WARNING = 'kdsim verifier warning:';

/** The kernel formatter's extras: counted strings read from simulated memory, and %n. */
function kernelArgs(k: KernelServices, base: PrintfArgs): PrintfArgs {
  const m = k.mem;
  return {
    ...base,
    unicodeString: (p) => {
      const s = readCounted(m, fromUnsigned(p));
      return s.buffer === 0 ? null : unicodeUnits(m, s);
    },
    ansiString: (p) => {
      const s = readCounted(m, fromUnsigned(p));
      return s.buffer === 0 ? null : ansiBytes(m, s);
    },
    storeCount: (p, n, size) => {
      const a = fromUnsigned(p);
      if (size === 1) m.writeU8(a, n);
      else if (size === 2) m.writeU16(a, n);
      else if (size === 4) m.writeU32(a, n);
      else m.writeU64(a, BigInt(n));
    },
  };
}

const utf8 = new TextDecoder('utf-8');

/**
 * The text one call sends. The kernel formats into a 512-byte buffer with _vsnprintf; when
 * the output does not fit, the buffer is sent full with its last byte replaced by '\n'
 * (ntoskrnl's vDbgPrintExWithPrefixInternal, as ReactOS reproduces it). The bytes are read as
 * UTF-8: the formatter turns wide text into UTF-8, and source literals are UTF-8.
 */
function formatMessage(k: KernelServices, format: Uint8Array, args: PrintfArgs): string {
  const r = formatPrintf(format, kernelArgs(k, args), 'msvc', { maxOutput: DBGPRINT_MAX_BYTES });
  let bytes = r.bytes;
  if (r.length > DBGPRINT_MAX_BYTES) {
    bytes = bytes.slice(0, DBGPRINT_MAX_BYTES);
    bytes[DBGPRINT_MAX_BYTES - 1] = 0x0a;
  }
  return utf8.decode(bytes);
}

/**
 * The rules of the DbgPrint page that Windows does not enforce with a bug check: Unicode
 * conversions only at PASSIVE_LEVEL (converting to ANSI can touch pageable NLS data), no
 * floating point, no call above DIRQL (the debugger's IPIs can deadlock). Each violation adds
 * a line to the debug output, at error level so the default filter shows it.
 */
function warnings(routine: string, format: Uint8Array, irql: number): string[] {
  const out: string[] = [];
  const conversions = scanFormat(format, 'msvc');
  const wide = conversions.filter((c) => c.wide).map((c) => c.text);
  if (wide.length > 0 && irql > PASSIVE_LEVEL) {
    out.push(`${VERIFIER_WARNING} ${routine} used the Unicode format ${wide.join(' ')} at IRQL ${irql}; Unicode format codes (%C %S %lc %ls %wc %ws %wZ) are allowed only at PASSIVE_LEVEL\n`);
  }
  const floats = conversions.filter((c) => c.kind === 'float').map((c) => c.text);
  if (floats.length > 0) {
    out.push(`${VERIFIER_WARNING} ${routine} used the floating-point format ${floats.join(' ')}; DbgPrint does not support floating-point types (%f %e %E %g %G %a %A)\n`);
  }
  if (irql > MAX_DIRQL) {
    out.push(`${VERIFIER_WARNING} ${routine} called at IRQL ${irql}, above DIRQL; the debugger communicates with other processors by IPI and can deadlock\n`);
  }
  return out;
}

function dbgPrint(k: KernelServices, routine: string, componentId: number, level: number, formatPtr: number, args: PrintfArgs): number {
  const format = k.mem.readCString(formatPtr);
  k.debugPrint(formatMessage(k, format, args), componentId, level);
  for (const w of warnings(routine, format, k.irql())) k.debugPrint(w, componentId, DPFLTR_ERROR_LEVEL);
  return STATUS_SUCCESS;
}

type Impl = (k: KernelServices, a: readonly Value[]) => Value;
const ddi = (call: Impl): DdiImpl => ({ call: (k, a) => call(k, a) });

export function dbgPrintDdis(): DdiTable {
  return {
    DbgPrint: ddi((k, a) => dbgPrint(k, 'DbgPrint', DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, num(a[0]), argsFromValues(k.mem, a, 1))),
    DbgPrintEx: ddi((k, a) => dbgPrint(k, 'DbgPrintEx', u32(a[0]), u32(a[1]), num(a[2]), argsFromValues(k.mem, a, 3))),
    vDbgPrintEx: ddi((k, a) => dbgPrint(k, 'vDbgPrintEx', u32(a[0]), u32(a[1]), num(a[2]), argsFromVaList(k.mem, num(a[3])))),
  };
}

// The input and serial device headers of the simulated include directory (ntddkbd.h,
// ntddmou.h, kbdmou.h, ntdd8042.h, ntddser.h):
//   1. each compiles through kdsim's front end after <ntddk.h> or <wdm.h>, without a diagnostic;
//   2. every structure's sizeof, alignment and member offsets, every constant (object-like
//      macro or enumerator) as kdsim evaluates it, and every string/initializer/function-like
//      macro's expansion match what MinGW-w64's x86_64-w64-mingw32-gcc gives for its own copy
//      of the header (a true LLP64 compiler with the MSVC record layout);
//      MinGW's copy defines no macro ours lacks, and the GUIDs (under DEFINE_GUID) are equal;
//   3. what MinGW-w64 lacks is checked against values cited from Microsoft's documentation.
//
// The structures and constants are not listed by hand: kdsim tells which typedefs and
// enumerators each header adds, and the object-like macros are read from the header text, so
// anything added later is compared too. REQUIRED guards against something being dropped.
// Values are read from MinGW without running a Windows program: the probe is compiled with -S
// into an array of `unsigned long long` and the assembler's .quad lines are parsed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import type { CType } from '../../kernel-sim/c/types';
import { loadSimulatedHeaders } from '../../node-host/files';
import { kdsimLayout, memberPaths, type TypeLayout } from '../helpers/gcc-layout';

const ROOT = join(__dirname, '..', '..');
const INCLUDE = join(ROOT, 'kernel-sim', 'include');
const PRELUDE = join(__dirname, 'fixtures', 'headers', 'gcc-prelude.h');
const MINGW = 'x86_64-w64-mingw32-gcc';

/** In dependency order: kbdmou.h and ntdd8042.h include ntddkbd.h and ntddmou.h. */
const HEADERS = ['ntddkbd.h', 'ntddmou.h', 'kbdmou.h', 'ntdd8042.h', 'ntddser.h'] as const;
type Header = (typeof HEADERS)[number];

/** Names the brief asks for: a header that lost one fails here, not silently in the diff. */
const REQUIRED: Record<Header, string[]> = {
  'ntddkbd.h': [
    'IOCTL_KEYBOARD_QUERY_ATTRIBUTES', 'IOCTL_KEYBOARD_SET_TYPEMATIC', 'IOCTL_KEYBOARD_SET_INDICATORS',
    'IOCTL_KEYBOARD_QUERY_TYPEMATIC', 'IOCTL_KEYBOARD_QUERY_INDICATORS', 'IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION',
    'KEY_MAKE', 'KEY_BREAK', 'KEY_E0', 'KEY_E1', 'KEY_TERMSRV_SET_LED', 'KEYBOARD_OVERRUN_MAKE_CODE',
    'KEYBOARD_CAPS_LOCK_ON', 'KEYBOARD_NUM_LOCK_ON', 'KEYBOARD_SCROLL_LOCK_ON', 'ENHANCED_KEYBOARD',
    'type:KEYBOARD_INPUT_DATA', 'type:KEYBOARD_ID', 'type:KEYBOARD_ATTRIBUTES', 'type:KEYBOARD_TYPEMATIC_PARAMETERS',
    'type:KEYBOARD_INDICATOR_PARAMETERS', 'type:KEYBOARD_UNIT_ID_PARAMETER', 'type:KEYBOARD_INDICATOR_TRANSLATION',
  ],
  'ntddmou.h': [
    'IOCTL_MOUSE_QUERY_ATTRIBUTES', 'MOUSE_LEFT_BUTTON_DOWN', 'MOUSE_BUTTON_5_UP', 'MOUSE_WHEEL', 'MOUSE_HWHEEL',
    'MOUSE_MOVE_RELATIVE', 'MOUSE_MOVE_ABSOLUTE', 'MOUSE_VIRTUAL_DESKTOP', 'MOUSE_ATTRIBUTES_CHANGED',
    'MOUSE_INPORT_HARDWARE', 'MOUSE_I8042_HARDWARE', 'MOUSE_SERIAL_HARDWARE', 'WHEELMOUSE_I8042_HARDWARE',
    'type:MOUSE_INPUT_DATA', 'type:MOUSE_ATTRIBUTES', 'type:MOUSE_UNIT_ID_PARAMETER',
  ],
  'kbdmou.h': [
    'IOCTL_INTERNAL_KEYBOARD_CONNECT', 'IOCTL_INTERNAL_KEYBOARD_DISCONNECT', 'IOCTL_INTERNAL_KEYBOARD_ENABLE',
    'IOCTL_INTERNAL_KEYBOARD_DISABLE', 'IOCTL_INTERNAL_MOUSE_CONNECT', 'IOCTL_INTERNAL_MOUSE_DISCONNECT',
    'IOCTL_INTERNAL_MOUSE_ENABLE', 'IOCTL_INTERNAL_MOUSE_DISABLE', 'DD_KEYBOARD_PORT_DEVICE_NAME_U',
    'DD_POINTER_PORT_DEVICE_NAME_U', 'KEYBOARD_PORTS_MAXIMUM', 'I8042_ERROR_VALUE_BASE',
    'type:CONNECT_DATA', 'type:PSERVICE_CALLBACK_ROUTINE',
  ],
  'ntdd8042.h': [
    'IOCTL_INTERNAL_I8042_HOOK_KEYBOARD', 'IOCTL_INTERNAL_I8042_HOOK_MOUSE', 'IOCTL_INTERNAL_I8042_KEYBOARD_WRITE_BUFFER',
    'IOCTL_INTERNAL_I8042_MOUSE_WRITE_BUFFER', 'IOCTL_INTERNAL_I8042_CONTROLLER_WRITE_BUFFER',
    'IOCTL_INTERNAL_I8042_KEYBOARD_START_INFORMATION', 'IOCTL_INTERNAL_I8042_MOUSE_START_INFORMATION',
    'type:INTERNAL_I8042_HOOK_KEYBOARD', 'type:INTERNAL_I8042_HOOK_MOUSE', 'type:INTERNAL_I8042_START_INFORMATION',
    'type:KEYBOARD_SCAN_STATE', 'type:MOUSE_STATE', 'type:TRANSMIT_STATE', 'type:OUTPUT_PACKET',
    'type:PI8042_KEYBOARD_ISR', 'type:PI8042_MOUSE_ISR', 'type:PI8042_KEYBOARD_INITIALIZATION_ROUTINE',
    'type:PI8042_SYNCH_READ_PORT', 'type:PI8042_SYNCH_WRITE_PORT', 'type:PI8042_QUEUE_PACKET',
    'type:PI8042_ISR_WRITE_PORT',
  ],
  'ntddser.h': [
    'IOCTL_SERIAL_SET_BAUD_RATE', 'IOCTL_SERIAL_GET_BAUD_RATE', 'IOCTL_SERIAL_SET_LINE_CONTROL',
    'IOCTL_SERIAL_GET_LINE_CONTROL', 'IOCTL_SERIAL_SET_TIMEOUTS', 'IOCTL_SERIAL_GET_TIMEOUTS',
    'IOCTL_SERIAL_SET_HANDFLOW', 'IOCTL_SERIAL_GET_HANDFLOW', 'IOCTL_SERIAL_SET_CHARS', 'IOCTL_SERIAL_GET_CHARS',
    'IOCTL_SERIAL_SET_DTR', 'IOCTL_SERIAL_CLR_DTR', 'IOCTL_SERIAL_SET_RTS', 'IOCTL_SERIAL_CLR_RTS',
    'IOCTL_SERIAL_GET_MODEMSTATUS', 'IOCTL_SERIAL_GET_COMMSTATUS', 'IOCTL_SERIAL_PURGE', 'IOCTL_SERIAL_SET_QUEUE_SIZE',
    'IOCTL_SERIAL_WAIT_ON_MASK', 'IOCTL_SERIAL_SET_WAIT_MASK', 'IOCTL_SERIAL_GET_WAIT_MASK',
    'IOCTL_SERIAL_GET_PROPERTIES', 'IOCTL_SERIAL_IMMEDIATE_CHAR', 'IOCTL_SERIAL_XOFF_COUNTER',
    'IOCTL_SERIAL_RESET_DEVICE', 'STOP_BIT_1', 'NO_PARITY', 'SERIAL_EV_RXCHAR', 'SERIAL_PURGE_RXCLEAR',
    'SERIAL_DTR_STATE', 'SERIAL_CTS_STATE', 'SERIAL_ERROR_OVERRUN', 'SERIAL_LSRMST_MST',
    'type:SERIAL_BAUD_RATE', 'type:SERIAL_LINE_CONTROL', 'type:SERIAL_TIMEOUTS', 'type:SERIAL_HANDFLOW',
    'type:SERIAL_CHARS', 'type:SERIAL_STATUS', 'type:SERIAL_QUEUE_SIZE', 'type:SERIAL_COMMPROP',
  ],
};

// ---- What MinGW-w64 lacks, from Microsoft's documentation ------------------------------------
// Values: Microsoft's Win32 metadata as published in the windows crate's documentation
// (https://microsoft.github.io/windows-docs-rs/doc/windows/Win32/...), which is generated from
// the WDK headers, and the Learn reference pages named per entry.

const DOCUMENTED_VALUES: Record<string, { value: number; source: string }> = {
  // Win32/Devices/HumanInterfaceDevice/constant.IOCTL_KEYBOARD_QUERY_EXTENDED_ATTRIBUTES: 721408
  // (= CTL_CODE(FILE_DEVICE_KEYBOARD, 0x80, METHOD_BUFFERED, FILE_ANY_ACCESS); Learn:
  // windows-hardware/drivers/ddi/ntddkbd/ni-ntddkbd-ioctl_keyboard_query_extended_attributes).
  IOCTL_KEYBOARD_QUERY_EXTENDED_ATTRIBUTES: { value: 721408, source: 'windows-docs-rs HumanInterfaceDevice' },
  KEY_RIM_VKEY: { value: 0x40, source: 'windows-docs-rs HumanInterfaceDevice/constant.KEY_RIM_VKEY (64)' },
  KEY_FROM_KEYBOARD_OVERRIDER: { value: 0x80, source: 'windows-docs-rs HumanInterfaceDevice (128)' },
  KEY_UNICODE_SEQUENCE_ITEM: { value: 0x100, source: 'windows-docs-rs HumanInterfaceDevice (256)' },
  KEY_UNICODE_SEQUENCE_END: { value: 0x200, source: 'windows-docs-rs HumanInterfaceDevice (512)' },
  // Learn: win32/api/ntddkbd/ns-ntddkbd-keyboard_extended_attributes ("Only
  // KEYBOARD_EXTENDED_ATTRIBUTES_STRUCT_VERSION_1 supported"), value 1 in the metadata.
  KEYBOARD_EXTENDED_ATTRIBUTES_STRUCT_VERSION_1: { value: 1, source: 'windows-docs-rs HumanInterfaceDevice (1)' },
  // Win32/Devices/SerialCommunication: CTL_CODE(FILE_DEVICE_SERIAL_PORT, 33/34/40/41, ...).
  IOCTL_SERIAL_GET_COMMCONFIG: { value: 1769604, source: 'windows-docs-rs SerialCommunication (0x1B0084)' },
  IOCTL_SERIAL_SET_COMMCONFIG: { value: 1769608, source: 'windows-docs-rs SerialCommunication (0x1B0088)' },
  // Learn: windows-hardware/drivers/ddi/ntddser/ni-ntddser-ioctl_serial_apply_default_configuration
  IOCTL_SERIAL_APPLY_DEFAULT_CONFIGURATION: { value: 1769632, source: 'windows-docs-rs SerialCommunication (0x1B00A0)' },
  IOCTL_SERIAL_SET_INTERVAL_TIMER_RESOLUTION: { value: 1769636, source: 'windows-docs-rs SerialCommunication (0x1B00A4)' },
  // Win32/System/Ioctl/constant.IOCTL_SERENUM_EXPOSE_HARDWARE / _REMOVE_HARDWARE (winioctl.h too).
  IOCTL_SERENUM_EXPOSE_HARDWARE: { value: 3604992, source: 'windows-docs-rs System/Ioctl (0x370200)' },
  IOCTL_SERENUM_REMOVE_HARDWARE: { value: 3604996, source: 'windows-docs-rs System/Ioctl (0x370204)' },
};

// Learn: win32/api/ntddkbd/ns-ntddkbd-keyboard_extended_attributes: seven UCHAR members in
// this order, so sizeof 7, alignment 1.
const DOCUMENTED_LAYOUTS: Record<string, TypeLayout> = {
  KEYBOARD_EXTENDED_ATTRIBUTES: {
    size: 7,
    align: 1,
    members: {
      Version: 0, FormFactor: 1, KeyType: 2, PhysicalLayout: 3, VendorSpecificPhysicalLayout: 4,
      IETFLanguageTagIndex: 5, ImplementedInputAssistControls: 6,
    },
  },
};
/** Typedefs MinGW lacks that are not structures (nothing to compare but their existence). */
const DOCUMENTED_OTHER_TYPES = new Set(['PKEYBOARD_EXTENDED_ATTRIBUTES']);

// ---- kdsim side --------------------------------------------------------------------------------

const simulatedHeaders = loadSimulatedHeaders();

function kdsim(src: string): ReturnType<typeof compile> {
  return compile(['/t/main.c'], { host: new MemoryFileHost({ '/t/main.c': src }), simulatedHeaders });
}

function messages(r: ReturnType<typeof compile>): string[] {
  return r.diagnostics.map((d) => formatDiagnostic(d));
}

const includes = (hs: readonly string[]): string => hs.map((h) => `#include <${h}>\n`).join('');

/** A DEFINE_GUID for kdsim that turns each GUID into enumerators: `<name>__kd<i>` (16-bit parts). */
const KDSIM_DEFINE_GUID = `#define DEFINE_GUID(n, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) enum { \\
  n##__kd0 = (int)((l) & 0xFFFF), n##__kd1 = (int)(((l) >> 16) & 0xFFFF), n##__kd2 = (w1), n##__kd3 = (w2), \\
  n##__kd4 = (b1), n##__kd5 = (b2), n##__kd6 = (b3), n##__kd7 = (b4), n##__kd8 = (b5), n##__kd9 = (b6), \\
  n##__kd10 = (b7), n##__kd11 = (b8) }
`;

type MacroKind = 'integer' | 'string' | 'initializer' | 'function';
interface Macro {
  name: string;
  kind: MacroKind;
  params: string[];
}

interface HeaderFacts {
  /** Object-like and function-like macros the header defines (not its guard, not the GUID aliases). */
  macros: Macro[];
  /** Names passed to DEFINE_GUID. */
  guids: string[];
  /** Typedefs the header adds, as kdsim lays them out. */
  types: Map<string, CType>;
  enumerators: string[];
}

/** The #defines of a header file, classified by their replacement text. */
function headerMacros(text: string): { macros: Macro[]; guids: string[] } {
  const macros: Macro[] = [];
  const guids: string[] = [];
  let inGuidBlock = false;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    if (/^#ifdef\s+DEFINE_GUID\b/.test(line)) inGuidBlock = true;
    else if (inGuidBlock && /^#endif\b/.test(line)) inGuidBlock = false;
    const guid = /^DEFINE_GUID\((\w+)/.exec(line);
    if (guid) guids.push(guid[1]);
    const m = /^#define\s+(\w+)(\(([^)]*)\))?\s*(.*)$/.exec(line);
    if (!m || inGuidBlock) continue;
    const body = m[4].replace(/\/\*.*?\*\//g, '').trim();
    if (body === '') continue; // the include guard
    const params = m[3] !== undefined ? m[3].split(',').map((s) => s.trim()) : [];
    const kind: MacroKind =
      m[2] !== undefined ? 'function' : /^L?"/.test(body) ? 'string' : body.startsWith('{') ? 'initializer' : 'integer';
    macros.push({ name: m[1], kind, params });
  }
  return { macros, guids };
}

let factsCache: Map<Header, HeaderFacts> | undefined;

/** What each header adds over <ntddk.h> and the headers before it, as kdsim sees it. */
function facts(): Map<Header, HeaderFacts> {
  if (factsCache) return factsCache;
  const out = new Map<Header, HeaderFacts>();
  let before = kdsim('#include <ntddk.h>\n');
  HEADERS.forEach((h, i) => {
    const r = kdsim('#include <ntddk.h>\n' + includes(HEADERS.slice(0, i + 1)));
    assert.deepEqual(messages(r), [], `kdsim diagnostics for ${h}`);
    const types = new Map<string, CType>();
    for (const [name, t] of r.program.typedefs) if (!before.program.typedefs.has(name)) types.set(name, t);
    const enumerators = [...r.program.enumConstants.keys()].filter((n) => !before.program.enumConstants.has(n));
    out.set(h, { ...headerMacros(readFileSync(join(INCLUDE, h), 'utf8')), types, enumerators });
    before = r;
  });
  factsCache = out;
  return out;
}

/** Structures are compared member by member; enums by size; pointer and function typedefs not at all. */
function comparable(t: CType): 'record' | 'enum' | undefined {
  return t.kind === 'struct' || t.kind === 'union' ? 'record' : t.kind === 'enum' ? 'enum' : undefined;
}

/** Every expression evaluated by kdsim as a 64-bit value (four 16-bit enumerators each). */
function kdsimValues(prefix: string, exprs: readonly string[]): bigint[] {
  const lines = exprs.map((e, i) => {
    const part = (k: number): string => `kd_v${i}_${k} = (int)(((unsigned long long)(${e}) >> ${16 * k}) & 0xFFFF)`;
    return `enum { ${[0, 1, 2, 3].map(part).join(', ')} };`;
  });
  const r = kdsim(prefix + lines.join('\n') + '\n');
  assert.deepEqual(messages(r), [], 'kdsim could not evaluate the constants');
  return exprs.map((_e, i) => {
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 16n) | BigInt(r.program.enumConstants.get(`kd_v${i}_${k}`) ?? -1n);
    return v;
  });
}

// ---- MinGW-w64 side ------------------------------------------------------------------------------

let scratch = '';
function tempFile(name: string, text: string): string {
  if (!scratch) scratch = mkdtempSync(join(tmpdir(), 'kdsim-input-serial-'));
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Mingw {
  /** MinGW's ddk/ directory, put on the include path (its ntddk.h includes <wdm.h>). */
  ddk: string;
  /** Where MinGW has each header (in include/ or include/ddk/); absent: MinGW lacks it. */
  headers: Map<Header, string>;
}

/** MinGW-w64's compiler and DDK headers, or why they cannot be used. */
function findMingw(): Mingw | string {
  const r = spawnSync(MINGW, ['-xc', '-E', '-v', '/dev/null'], { encoding: 'utf8' });
  if (r.status !== 0) return `${MINGW} is not installed (Debian: gcc-mingw-w64-x86-64)`;
  const list = /#include <\.\.\.> search starts here:\n([\s\S]*?)End of search list/.exec(r.stderr ?? '');
  const dirs = (list?.[1] ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  const root = dirs.find((d) => existsSync(join(d, 'ddk', 'ntddk.h')));
  if (!root) return `${MINGW} has no ddk/ntddk.h in ${dirs.join(', ')}`;
  const headers = new Map<Header, string>();
  for (const h of HEADERS) {
    const path = [join(root, h), join(root, 'ddk', h)].find((p) => existsSync(p));
    if (path) headers.set(h, path);
  }
  return { ddk: join(root, 'ddk'), headers };
}

const mingw = findMingw();

/** MinGW's includes, each header preceded by a DEFINE_GUID that records the GUID's parts. */
function mingwPrefix(m: Mingw): string {
  const guid =
    '#undef DEFINE_GUID\n#define DEFINE_GUID(n, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) ' +
    'const unsigned long long kd_guid_##n[] = { l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8 }\n';
  return '#include <ntddk.h>\n' + HEADERS.filter((h) => m.headers.has(h)).map((h) => `${guid}#include <${h}>\n`).join('');
}

/** Compiles `src` with MinGW to assembly; the .quad values under each label. */
function mingwData(m: Mingw, name: string, src: string): Map<string, bigint[]> {
  const file = tempFile(`${name}.c`, src);
  const asm = file.replace(/\.c$/, '.s');
  const r = spawnSync(MINGW, ['-S', '-std=gnu11', '-w', `-I${m.ddk}`, '-o', asm, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${MINGW} rejected the probe:\n${(r.stderr ?? '').slice(0, 4000)}`);
  const data = new Map<string, bigint[]>();
  let current: bigint[] | undefined;
  for (const line of readFileSync(asm, 'utf8').split('\n')) {
    const label = /^([A-Za-z_]\w*):/.exec(line);
    if (label) data.set(label[1], (current = []));
    const quad = /^\s*\.quad\s+(-?\d+)\s*$/.exec(line);
    if (quad && current) current.push(BigInt.asUintN(64, BigInt(quad[1])));
    const space = /^\s*\.(?:space|zero)\s+(\d+)\s*$/.exec(line);
    if (space && current) for (let k = 0; k < Number(space[1]) / 8; k++) current.push(0n);
  }
  return data;
}

/** The expansion of each item's `expr` after `prefix` (`-E -P`), whitespace removed, by index. */
function expansions(cc: string[], prefix: string, items: { expr: string }[], name: string): Map<string, string> {
  // The tag is an index: a macro name there would be expanded too.
  const file = tempFile(`${name}.c`, prefix + items.map((x, i) => `kd_text ${i} @@ ${x.expr} @@\n`).join(''));
  const r = spawnSync(cc[0], [...cc.slice(1), '-E', '-P', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cc[0]} -E failed:\n${(r.stderr ?? '').slice(0, 4000)}`);
  const out = new Map<string, string>();
  for (const m of r.stdout.matchAll(/kd_text (\S+) @@([\s\S]*?)@@/g)) out.set(m[1], m[2].replace(/\s+/g, ''));
  return out;
}

/** kdsim's headers read by MinGW's gcc the way headers-gcc.test.ts does (for -E only). */
const OUR_HEADERS_WITH_MINGW = [MINGW, '-std=gnu11', '-fms-extensions', '-fshort-wchar', '-nostdinc', `-I${INCLUDE}`, '-include', PRELUDE];

const hex = (v: bigint): string => `0x${v.toString(16)}`;

// ---- 1. Each header through kdsim ------------------------------------------------------------------

describe('the input and serial headers compile through kdsim', () => {
  for (const h of HEADERS) {
    for (const base of ['ntddk.h', 'wdm.h']) {
      test(`${h} after <${base}>, no diagnostics`, () => {
        assert.deepEqual(messages(kdsim(`#include <${base}>\n#include <${h}>\n`)), []);
      });
    }
  }

  test('all five together, in both orders and twice (guards)', () => {
    const all = [...HEADERS, ...HEADERS];
    assert.deepEqual(messages(kdsim('#include <ntddk.h>\n' + includes(all))), []);
    assert.deepEqual(messages(kdsim('#include <ntddk.h>\n' + includes([...all].reverse()))), []);
  });

  test('the GUID declarations compile when DEFINE_GUID is defined (initguid.h style)', () => {
    const define = '#define DEFINE_GUID(n, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) const GUID n = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }\n';
    const r = kdsim(`#include <ntddk.h>\n${define}${includes(HEADERS)}const GUID *kd_guids[] = { &GUID_DEVINTERFACE_KEYBOARD, &GUID_CLASS_MOUSE, &GUID_DEVINTERFACE_COMPORT, &GUID_SERENUM_BUS_ENUMERATOR };\n`);
    assert.deepEqual(messages(r), []);
  });

  test('every name the brief requires is declared', () => {
    const f = facts();
    const missing: string[] = [];
    for (const h of HEADERS) {
      const macros = new Set(f.get(h)?.macros.map((m) => m.name));
      for (const name of REQUIRED[h]) {
        const type = name.startsWith('type:') ? name.slice(5) : undefined;
        if (type ? !f.get(h)?.types.has(type) : !macros.has(name)) missing.push(`${h}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('the class service callback and the i8042 hooks carry their IRQL annotations', (t) => {
    // kdsim records kdsim_irql attributes but keeps none on pointer typedefs, so read the
    // preprocessed declarations (as headers-gcc.test.ts does).
    const gcc = ['gcc', MINGW].find((cc) => spawnSync(cc, ['--version']).status === 0);
    if (!gcc) return t.skip('neither gcc nor MinGW-w64 is installed');
    const file = tempFile('irql.c', '#include <ntddk.h>\n' + includes(HEADERS));
    const r = spawnSync(gcc, ['-std=gnu11', '-fms-extensions', '-nostdinc', `-I${INCLUDE}`, '-include', PRELUDE, '-E', '-P', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const decls = r.stdout.replace(/\s+/g, '').split(/;/);
    const of = (name: string): string => decls.find((d) => d.includes(`(*${name})(`)) ?? '';
    assert.match(of('PSERVICE_CALLBACK_ROUTINE'), /kdsim_irql\("requires",2\)/, 'class service callback: DISPATCH_LEVEL');
    for (const hook of ['PI8042_KEYBOARD_ISR', 'PI8042_MOUSE_ISR', 'PI8042_SYNCH_READ_PORT', 'PI8042_SYNCH_WRITE_PORT']) {
      assert.match(of(hook), /kdsim_irql\("requires_same"\)/, hook);
    }
  });
});

// ---- 2. Against MinGW-w64 --------------------------------------------------------------------------

describe('values and layouts match MinGW-w64 (x86_64-w64-mingw32-gcc)', { skip: typeof mingw === 'string' ? mingw : false }, () => {
  const m = typeof mingw === 'string' ? ({ ddk: '', headers: new Map() } as Mingw) : mingw;

  for (const h of HEADERS) {
    const skip = m.headers.has(h) ? false : `MinGW-w64 has no ${h}: nothing to compare it with`;

    test(`${h}: sizeof, alignment and member offsets of every structure`, { skip }, () => {
      const f = facts().get(h);
      assert.ok(f);
      const records = [...f.types].filter(([name, t]) => comparable(t) && !DOCUMENTED_LAYOUTS[name]);
      const kd: Record<string, TypeLayout> = {};
      const exprs: string[] = [];
      const shape: { name: string; paths: string[] }[] = [];
      for (const [name, t] of records) {
        const layout = kdsimLayout(t);
        kd[name] = comparable(t) === 'record' ? layout : { size: layout.size, align: layout.align, members: {} };
        const paths = comparable(t) === 'record' ? memberPaths(t).filter((p) => !p.bitfield).map((p) => p.path) : [];
        exprs.push(`sizeof(${name})`, `_Alignof(${name})`, ...paths.map((p) => `__builtin_offsetof(${name}, ${p})`));
        shape.push({ name, paths });
      }
      assert.ok(records.length > 0, `${h} adds no structures?`);
      const data = mingwData(m, `layout-${h}`, `${mingwPrefix(m)}const unsigned long long kd_layout[] = {\n${exprs.join(',\n')}\n};\n`);
      const values = data.get('kd_layout') ?? [];
      assert.equal(values.length, exprs.length, 'MinGW probe output');
      const mg: Record<string, TypeLayout> = {};
      let k = 0;
      for (const { name, paths } of shape) {
        const members: Record<string, number> = {};
        const size = Number(values[k++]);
        const align = Number(values[k++]);
        for (const p of paths) members[p] = Number(values[k++]);
        mg[name] = { size, align, members };
      }
      assert.deepEqual(kd, mg, `layouts (actual = kdsim, expected = MinGW-w64)`);
    });

    test(`${h}: every constant as kdsim evaluates it`, { skip }, () => {
      const f = facts().get(h);
      assert.ok(f);
      const names = [...f.macros.filter((x) => x.kind === 'integer').map((x) => x.name), ...f.enumerators];
      const ours = kdsimValues('#include <ntddk.h>\n' + includes(HEADERS), names);
      // A macro MinGW lacks gives (0, 0); what it has gives (value, 1).
      const probe = names.map((n) => (f.enumerators.includes(n) ? `(unsigned long long)(${n}), 1,` : `#ifdef ${n}\n(unsigned long long)(${n}), 1,\n#else\n0, 0,\n#endif`));
      const data = mingwData(m, `values-${h}`, `${mingwPrefix(m)}const unsigned long long kd_values[] = {\n${probe.join('\n')}\n};\n`);
      const theirs = data.get('kd_values') ?? [];
      assert.equal(theirs.length, 2 * names.length, 'MinGW probe output');
      const wrong: string[] = [];
      names.forEach((n, i) => {
        const present = theirs[2 * i + 1] === 1n;
        const doc = DOCUMENTED_VALUES[n];
        if (present) {
          if (ours[i] !== theirs[2 * i]) wrong.push(`${n}: kdsim ${hex(ours[i])}, MinGW ${hex(theirs[2 * i])}`);
          if (doc && BigInt(doc.value) !== theirs[2 * i]) wrong.push(`${n}: documented ${hex(BigInt(doc.value))} (${doc.source}), MinGW ${hex(theirs[2 * i])}`);
        } else if (!doc) {
          wrong.push(`${n}: MinGW-w64 lacks it and DOCUMENTED_VALUES has no reference value`);
        }
      });
      assert.deepEqual(wrong, []);
    });

    test(`${h}: MinGW defines no macro that this header lacks`, { skip }, () => {
      const f = facts().get(h);
      assert.ok(f);
      const ours = new Set([...f.macros.map((x) => x.name), ...f.guids, ...f.enumerators, ...f.types.keys()]);
      // The GUID aliases (GUID_CLASS_*) sit in the DEFINE_GUID block with the GUIDs.
      const text = readFileSync(join(INCLUDE, h), 'utf8');
      const theirs = [...readFileSync(m.headers.get(h) ?? '', 'utf8').matchAll(/^\s*#\s*define\s+([A-Za-z]\w*)/gm)].map((x) => x[1]);
      const lacking = theirs.filter((n) => !ours.has(n) && !new RegExp(`#define\\s+${n}\\b`).test(text) && !/^DUMMY/.test(n));
      assert.deepEqual(lacking, []);
    });

    test(`${h}: string, GUID-initializer and function-like macros expand alike`, { skip }, () => {
      const f = facts().get(h);
      assert.ok(f);
      const items = f.macros
        .filter((x) => x.kind !== 'integer')
        .map((x, i) => ({ tag: String(i), name: x.name, kind: x.kind, expr: x.kind === 'function' ? `${x.name}(${x.params.map((_p, j) => `kd_arg${j}`).join(', ')})` : x.name }));
      if (items.length === 0) return;
      const ours = expansions(OUR_HEADERS_WITH_MINGW, '#include <ntddk.h>\n' + includes(HEADERS), items, `ours-${h}`);
      const theirs = expansions([MINGW, '-std=gnu11', `-I${m.ddk}`], mingwPrefix(m), items, `theirs-${h}`);
      const numbers = (s: string | undefined): string[] => (s?.match(/0[xX][0-9a-fA-F]+|\d+/g) ?? []).map((n) => BigInt(n).toString());
      const wrong: string[] = [];
      for (const it of items) {
        const a = ours.get(it.tag);
        const b = theirs.get(it.tag);
        const same = it.kind === 'initializer' ? numbers(a).join() === numbers(b).join() : a === b;
        if (a === undefined || b === undefined || !same) wrong.push(`${it.name}: kdsim headers give ${a}, MinGW ${b}`);
      }
      assert.deepEqual(wrong, []);
    });

    test(`${h}: GUIDs`, { skip }, (t) => {
      const f = facts().get(h);
      assert.ok(f);
      if (f.guids.length === 0) return t.skip(`${h} declares no GUIDs`);
      const r = kdsim('#include <ntddk.h>\n' + KDSIM_DEFINE_GUID + includes(HEADERS));
      assert.deepEqual(messages(r), []);
      const data = mingwData(m, `guids-${h}`, mingwPrefix(m));
      for (const g of f.guids) {
        const part = (i: number): bigint => BigInt(r.program.enumConstants.get(`${g}__kd${i}`) ?? -1n);
        const ours = [(part(1) << 16n) | part(0), ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(part)];
        assert.deepEqual(ours.map(hex), (data.get(`kd_guid_${g}`) ?? []).map(hex), g);
      }
    });
  }
});

// ---- 3. Documented values, with or without MinGW ------------------------------------------------------

test('what MinGW-w64 lacks matches the values cited from Microsoft documentation', () => {
  const names = Object.keys(DOCUMENTED_VALUES);
  const ours = kdsimValues('#include <ntddk.h>\n' + includes(HEADERS), names);
  const wrong: string[] = [];
  names.forEach((n, i) => {
    if (ours[i] !== BigInt(DOCUMENTED_VALUES[n].value)) wrong.push(`${n}: kdsim ${hex(ours[i])}, documented ${DOCUMENTED_VALUES[n].value} (${DOCUMENTED_VALUES[n].source})`);
  });
  assert.deepEqual(wrong, []);
  const f = facts().get('ntddkbd.h');
  for (const [name, layout] of Object.entries(DOCUMENTED_LAYOUTS)) {
    const t = f?.types.get(name);
    assert.ok(t, name);
    assert.deepEqual(kdsimLayout(t), layout, name);
  }
  for (const name of DOCUMENTED_OTHER_TYPES) assert.ok(f?.types.has(name), name);
});

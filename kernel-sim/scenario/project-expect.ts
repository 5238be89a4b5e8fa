// kdsim.json "scenario.expect": each expectation is an object with exactly one key naming
// the check (its value is the check's main argument) plus optional modifier keys:
//   {"noBugCheck": true}                {"bugCheck": "0xD1", "p1": "0x10"}
//   {"dbgPrint": "regex", "count": 3}    {"irpCompletes": 0, "status": "STATUS_SUCCESS", "within": "1ms"}
//   {"dpcRuns": "SmpDpcForIsr", "min": 1} {"isrRuns": "SmpIsr", "max": 10}
//   {"maxDuration": "25us", "routine": "SmpIsr"}   {"maxIsrToDpcLatency": "50us"}   {"noLeaks": true}
//   {"irpCompletes": 1, "text": "hello"}  {"deviceOutput": "com1", "kind": "tx", "text": "hi\r\n"}
//   {"classInput": "keyboard", "packets": [{"MakeCode": "0x1E", "Flags": "KEY_BREAK"}]}
//   {"maxDpcQueueDepth": 4}

import { Checker, child, closest, describe } from './check';
import { suggestDevice } from './project-devices';
import { BUGCHECK_NAMES, STATUS_NAMES } from './names';
import { INPUT_PACKETS, readFieldValue } from './input-packets';
import type { Expectation, InputClass } from './project-types';
import { parseBigNumber, parseNumber } from './values';

/** Check key → the modifier keys it accepts. */
export const EXPECTATION_KEYS = {
  noBugCheck: [],
  bugCheck: ['p1'],
  dbgPrint: ['count', 'min', 'max'],
  irpCompletes: ['status', 'within', 'information', 'data', 'text'],
  dpcRuns: ['count', 'min', 'max'],
  isrRuns: ['count', 'min', 'max'],
  maxDuration: ['routine'],
  maxIsrToDpcLatency: [],
  noLeaks: [],
  deviceOutput: ['kind', 'data', 'text', 'contains'],
  classInput: ['device', 'packets', 'count', 'min', 'max'],
  maxDpcQueueDepth: [],
} as const satisfies Record<string, readonly string[]>;

type CheckKey = keyof typeof EXPECTATION_KEYS;
const CHECK_KEYS = Object.keys(EXPECTATION_KEYS) as CheckKey[];
const ROUTINE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What expectations may refer to besides requests. */
export interface ExpectRefs {
  requestCount: number;
  deviceIds: readonly string[];
  classDrivers: ReadonlyMap<string, readonly InputClass[]>;
}

export function readExpectations(c: Checker, v: unknown, path: string, refs: ExpectRefs): Expectation[] {
  const out: Expectation[] = [];
  (c.array(v, path) ?? []).forEach((raw, i) => {
    const e = readExpectation(c, raw, child(path, i), refs);
    if (e) out.push(e);
  });
  return out;
}

function readExpectation(c: Checker, raw: unknown, path: string, refs: ExpectRefs): Expectation | undefined {
  const requestCount = refs.requestCount;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    c.error(path, `must be an object such as {"noBugCheck": true}, not ${describe(raw)}`);
    return undefined;
  }
  const present = CHECK_KEYS.filter((k) => k in raw);
  if (present.length === 0) {
    const guess = Object.keys(raw)
      .map((k) => closest(k, CHECK_KEYS))
      .find((g) => g !== undefined);
    c.error(path, `an expectation needs one of ${CHECK_KEYS.map((k) => `'${k}'`).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`);
    return undefined;
  }
  if (present.length > 1) {
    c.error(child(path, present[1]), `one check per expectation: '${present[0]}' and '${present[1]}' are both given (write two expectations)`);
    return undefined;
  }
  const key = present[0];
  const o = c.object(raw, path, [key, ...EXPECTATION_KEYS[key]], `a '${key}' expectation`);
  if (!o) return undefined;
  const p = (k: string): string => child(path, k);
  switch (key) {
    case 'noBugCheck':
    case 'noLeaks':
      if (o[key] !== true) {
        c.error(p(key), `must be true${key === 'noBugCheck' ? " (to expect a bug check, use {\"bugCheck\": \"0xD1\"})" : ''}`);
        return undefined;
      }
      return { kind: key === 'noBugCheck' ? 'no-bugcheck' : 'no-leaks' };
    case 'bugCheck': {
      const code = readBugCheckCode(c, o.bugCheck, p('bugCheck'));
      let p1: bigint | undefined;
      if (o.p1 !== undefined) {
        p1 = parseBigNumber(o.p1);
        if (p1 === undefined || p1 >= 1n << 64n) c.error(p('p1'), 'must be a 64-bit number or a hex string such as "0x2"');
      }
      if (code === undefined || (o.p1 !== undefined && p1 === undefined)) return undefined;
      return p1 === undefined ? { kind: 'bugcheck', code } : { kind: 'bugcheck', code, p1 };
    }
    case 'dbgPrint': {
      const match = c.string(o.dbgPrint, p('dbgPrint'), { nonEmpty: true });
      if (match !== undefined) {
        try {
          new RegExp(match);
        } catch (e) {
          c.error(p('dbgPrint'), `is not a valid regular expression: ${(e as Error).message}`);
          return undefined;
        }
      }
      const counts = readCounts(c, o, path);
      if (match === undefined || !counts) return undefined;
      return { kind: 'dbgprint', match, ...counts };
    }
    case 'irpCompletes': {
      const request = c.int(o.irpCompletes, p('irpCompletes'), { min: 0 });
      if (request !== undefined && request >= requestCount) {
        c.error(p('irpCompletes'), requestCount === 0 ? 'the scenario sends no requests' : `there is no request ${request} (scenario.requests has ${requestCount}, numbered from 0)`);
        return undefined;
      }
      const status = o.status === undefined ? undefined : readStatus(c, o.status, p('status'));
      const withinNs = c.duration(o.within, p('within'), { positive: true });
      const information = c.int(o.information, p('information'), { min: 0 });
      const data = readData(c, o, path, false);
      if (request === undefined || (o.status !== undefined && status === undefined) || (o.within !== undefined && withinNs === undefined) || data === null) return undefined;
      const e: Expectation = { kind: 'irp-complete', request };
      if (status !== undefined) e.status = status;
      if (withinNs !== undefined) e.withinNs = withinNs;
      if (information !== undefined) e.information = information;
      if (data !== undefined) e.data = data.bytes;
      return e;
    }
    case 'deviceOutput': {
      const device = c.string(o.deviceOutput, p('deviceOutput'), { nonEmpty: true });
      if (device !== undefined && !refs.deviceIds.includes(device)) {
        c.error(p('deviceOutput'), `no device has id '${device}'${suggestDevice(device, refs.deviceIds)}`);
        return undefined;
      }
      const outputKind = c.string(o.kind, p('kind'), { nonEmpty: true }) ?? 'tx';
      const data = readData(c, o, path, true);
      if (device === undefined || data === null) return undefined;
      if (data === undefined) {
        c.error(path, "give the expected output as 'data' (bytes), 'text' (exact) or 'contains' (a part of it)");
        return undefined;
      }
      return data.contains ? { kind: 'device-output', device, outputKind, contains: data.bytes } : { kind: 'device-output', device, outputKind, data: data.bytes };
    }
    case 'classInput': {
      const inputClass = c.oneOf(o.classInput, p('classInput'), ['keyboard', 'mouse'] as const);
      let device: string | undefined;
      if (o.device !== undefined) {
        device = c.string(o.device, p('device'), { nonEmpty: true });
        if (device !== undefined && !refs.deviceIds.includes(device)) {
          c.error(p('device'), `no device has id '${device}'${suggestDevice(device, refs.deviceIds)}`);
          return undefined;
        }
      }
      const counts = readCounts(c, o, path);
      if (inputClass === undefined || !counts) return undefined;
      // Legal but can never see a packet (and a max/count of 0 would pass vacuously).
      if (device !== undefined && !refs.classDrivers.get(device)?.includes(inputClass)) {
        c.warn(p('device'), `device '${device}' has no ${inputClass} class driver above it: add "classDriver": "${inputClass}" to the device`);
      } else if (device === undefined && ![...refs.classDrivers.values()].some((l) => l.includes(inputClass))) {
        c.warn(p('classInput'), `no device has a ${inputClass} class driver above it, so none can receive packets: add "classDriver": "${inputClass}" to the port device`);
      }
      const packets = o.packets === undefined ? undefined : readPackets(c, o.packets, p('packets'), inputClass);
      if (packets === null) return undefined;
      if (packets && (counts.count !== undefined || counts.min !== undefined || counts.max !== undefined)) {
        c.error(p('packets'), "the packets list fixes the count: drop 'count'/'min'/'max'");
        return undefined;
      }
      const min = counts.count ?? counts.min ?? (counts.max === undefined && !packets ? 1 : undefined);
      const max = counts.count ?? counts.max;
      const e: Expectation = { kind: 'class-input', inputClass };
      if (device !== undefined) e.device = device;
      if (packets) e.packets = packets;
      if (min !== undefined) e.min = min;
      if (max !== undefined) e.max = max;
      return e;
    }
    case 'maxDpcQueueDepth': {
      const depth = c.int(o.maxDpcQueueDepth, p('maxDpcQueueDepth'), { min: 0 });
      return depth === undefined ? undefined : { kind: 'max-dpc-queue-depth', depth };
    }
    case 'dpcRuns':
    case 'isrRuns': {
      const routine = c.string(o[key], p(key), { pattern: ROUTINE_RE, patternHint: 'a C function name' });
      const counts = readCounts(c, o, path);
      if (routine === undefined || !counts) return undefined;
      // A bare {"dpcRuns": "X"} means "X runs at least once".
      const min = counts.count ?? counts.min ?? (counts.max === undefined ? 1 : undefined);
      const max = counts.count ?? counts.max;
      const bounds = { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
      return key === 'dpcRuns' ? { kind: 'dpc-runs', routine, ...bounds } : { kind: 'isr-runs', routine, ...bounds };
    }
    case 'maxDuration': {
      const ns = c.duration(o.maxDuration, p('maxDuration'), { positive: true });
      c.require(o, 'routine', path, 'the ISR, DPC or other routine whose longest run is limited');
      const routine = c.string(o.routine, p('routine'), { pattern: ROUTINE_RE, patternHint: 'a C function name' });
      if (ns === undefined || routine === undefined) return undefined;
      return { kind: 'max-duration', routine, ns };
    }
    case 'maxIsrToDpcLatency': {
      const ns = c.duration(o.maxIsrToDpcLatency, p('maxIsrToDpcLatency'), { positive: true });
      return ns === undefined ? undefined : { kind: 'max-isr-to-dpc-latency', ns };
    }
  }
}

/** 'data' (bytes) / 'text' (Latin-1 characters) / 'contains' (text, when allowed): null when invalid. */
function readData(c: Checker, o: Record<string, unknown>, path: string, allowContains: boolean): { bytes: number[]; contains: boolean } | undefined | null {
  const given = (['data', 'text', 'contains'] as const).filter((k) => o[k] !== undefined && (k !== 'contains' || allowContains));
  if (given.length > 1) {
    c.error(child(path, given[1]), `give one of '${given[0]}' and '${given[1]}'`);
    return null;
  }
  if (given.length === 0) return undefined;
  const key = given[0];
  if (key === 'data') {
    const arr = c.array(o.data, child(path, 'data'));
    if (!arr) return null;
    const bytes: number[] = [];
    for (let i = 0; i < arr.length; i++) {
      const b = c.int(arr[i], child(child(path, 'data'), i), { min: 0, max: 255 });
      if (b === undefined) return null;
      bytes.push(b);
    }
    return { bytes, contains: false };
  }
  const text = c.string(o[key], child(path, key));
  if (text === undefined) return null;
  if (key === 'contains' && text === '') {
    // Every output contains the empty string: such an expectation could never fail.
    c.error(child(path, key), "must not be empty (every output contains \"\"); to expect no output use {\"text\": \"\"}");
    return null;
  }
  if ([...text].some((ch) => ch.charCodeAt(0) > 0xff)) {
    c.error(child(path, key), 'text must be Latin-1 (one byte per character); use \'data\' for other bytes');
    return null;
  }
  return { bytes: [...text].map((ch) => ch.charCodeAt(0)), contains: key === 'contains' };
}

function readPackets(c: Checker, v: unknown, path: string, cls: InputClass): Array<Record<string, number>> | null {
  const arr = c.array(v, path);
  if (!arr) return null;
  const layout = INPUT_PACKETS[cls];
  const names = layout.fields.map((x) => x.name);
  const out: Array<Record<string, number>> = [];
  let ok = true;
  arr.forEach((raw, i) => {
    const pp = child(path, i);
    const o = c.object(raw, pp, names, `a ${layout.type} packet`);
    if (!o) {
      ok = false;
      return;
    }
    const packet: Record<string, number> = {};
    for (const field of layout.fields) {
      if (o[field.name] === undefined) continue;
      const r = readFieldValue(field, o[field.name]);
      if ('problem' in r) {
        const flagNames = field.flags ? Object.keys(field.flags) : [];
        const guess = r.badName !== undefined ? closest(r.badName, flagNames) : undefined;
        const hint = field.flags ? ` or flag names such as "${flagNames.slice(0, 2).join('|')}"` : '';
        c.error(child(pp, field.name), `${r.problem}${guess ? ` (did you mean '${guess}'?)` : ''}: must be a number, a hex string${hint}, not ${describe(o[field.name])}`);
        ok = false;
      } else packet[field.name] = r.value;
    }
    out.push(packet);
  });
  return ok ? out : null;
}

function readCounts(c: Checker, o: Record<string, unknown>, path: string): { count?: number; min?: number; max?: number } | undefined {
  const count = c.int(o.count, child(path, 'count'), { min: 0 });
  const min = c.int(o.min, child(path, 'min'), { min: 0 });
  const max = c.int(o.max, child(path, 'max'), { min: 0 });
  if ((o.count !== undefined && count === undefined) || (o.min !== undefined && min === undefined) || (o.max !== undefined && max === undefined)) return undefined;
  if (count !== undefined && (min !== undefined || max !== undefined)) {
    c.error(child(path, 'count'), "give either an exact 'count' or 'min'/'max' bounds, not both");
    return undefined;
  }
  if (min !== undefined && max !== undefined && min > max) {
    c.error(child(path, 'max'), `max (${max}) is below min (${min})`);
    return undefined;
  }
  const out: { count?: number; min?: number; max?: number } = {};
  if (count !== undefined) out.count = count;
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}

/** An NTSTATUS as a name ("STATUS_SUCCESS"), a number (signed or not) or a hex string. */
export function parseStatus(v: unknown): number | undefined {
  if (typeof v === 'string' && Object.hasOwn(STATUS_NAMES, v)) return STATUS_NAMES[v];
  const n = parseNumber(v);
  if (n === undefined || !Number.isInteger(n) || n < -0x8000_0000 || n > 0xffff_ffff) return undefined;
  return n >>> 0;
}

/** A bug check code as a name ("DRIVER_IRQL_NOT_LESS_OR_EQUAL"), a number or a hex string. */
export function parseBugCheckCode(v: unknown): number | undefined {
  if (typeof v === 'string' && Object.hasOwn(BUGCHECK_NAMES, v)) return BUGCHECK_NAMES[v];
  const n = parseNumber(v);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffff_ffff) return undefined;
  return n;
}

function readStatus(c: Checker, v: unknown, path: string): number | undefined {
  const s = parseStatus(v);
  if (s !== undefined) return s;
  const guess = typeof v === 'string' ? closest(v, Object.keys(STATUS_NAMES)) : undefined;
  c.error(path, `must be an NTSTATUS name such as "STATUS_SUCCESS", a 32-bit number or a hex string, not ${describe(v)}${guess ? ` (did you mean '${guess}'?)` : ''}`);
  return undefined;
}

function readBugCheckCode(c: Checker, v: unknown, path: string): number | undefined {
  const code = parseBugCheckCode(v);
  if (code !== undefined) return code;
  const guess = typeof v === 'string' ? closest(v, Object.keys(BUGCHECK_NAMES)) : undefined;
  c.error(path, `must be a bug check code such as "0xD1" or a name such as "DRIVER_IRQL_NOT_LESS_OR_EQUAL", not ${describe(v)}${guess ? ` (did you mean '${guess}'?)` : ''}`);
  return undefined;
}

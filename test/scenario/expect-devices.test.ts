// Expectations about what devices and class drivers saw: the `classDriver` device key, the data
// a request returned (irpCompletes data/text), deviceOutput, classInput and maxDpcQueueDepth.
// Parsing (decoded forms; each bad form reported at its JSON pointer), judging hand-built run
// outcomes (pass, fail, what the detail names and the simulated time `atNs` a failure points
// at), and the JSON Schema describing the same keys as the parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeExpectation, evaluateExpectations, type ClassPacket, type ExpectationResult, type RunOutcome } from '../../kernel-sim/scenario/expect';
import { formatFieldValue, INPUT_PACKETS, packetField, parseFieldValue } from '../../kernel-sim/scenario/input-packets';
import { EXPECTATION_KEYS } from '../../kernel-sim/scenario/project-expect';
import { formatProjectError, parseProject, type ProjectError } from '../../kernel-sim/scenario/project';
import type { Expectation, InputClass, ProjectConfig } from '../../kernel-sim/scenario/project-types';

// ---- Parsing ------------------------------------------------------------------------------

/** An 8042 serving a keyboard and a mouse, a COM port, and an InPort bus mouse. */
const DEVICES = [
  {
    id: 'i8042',
    model: 'i8042',
    bus: 'isa',
    hardwareId: '*PNP0303',
    resources: [
      { type: 'port', start: '0x60', length: 1 },
      { type: 'port', start: '0x64', length: 1 },
      { type: 'interrupt', vector: '0x61' },
    ],
    classDriver: ['keyboard', 'mouse'],
  },
  {
    id: 'com1',
    model: 'uart16550',
    bus: 'isa',
    hardwareId: '*PNP0501',
    resources: [
      { type: 'port', start: '0x3F8', length: 8 },
      { type: 'interrupt', vector: '0x54' },
    ],
  },
  {
    id: 'inport0',
    model: 'inport',
    bus: 'isa',
    hardwareId: '*PNP0F00',
    resources: [
      { type: 'port', start: '0x23C', length: 4 },
      { type: 'interrupt', vector: '0x85' },
    ],
    classDriver: 'mouse',
  },
];

function project(expect: unknown[], devices: unknown[] = DEVICES): Record<string, unknown> {
  return { sources: ['driver.c'], devices, scenario: { requests: [{ major: 'read', length: 4 }, { major: 'ioctl', ioctl: '0x222004', length: 2 }], expect } };
}

function parse(json: unknown): { config?: ProjectConfig; errors: ProjectError[] } {
  return parseProject(JSON.stringify(json, null, 2), '/proj');
}

function listed(errors: readonly ProjectError[]): string {
  return errors.map((e) => formatProjectError('kdsim.json', e)).join('\n') || '(none)';
}

/** The decoded expectations of a project that parses without errors or warnings. */
function expectations(...expect: unknown[]): Expectation[] {
  const r = parse(project(expect));
  assert.deepEqual(r.errors, [], listed(r.errors));
  assert.ok(r.config);
  return r.config.scenario.expect;
}

/** Asserts a problem at exactly `path` whose message matches `re`; an error leaves no config. */
function expectProblem(json: unknown, path: string, re: RegExp, severity: 'error' | 'warning' = 'error'): ProjectError {
  const r = parse(json);
  const hit = r.errors.find((e) => e.path === path && e.severity === severity && re.test(e.message));
  assert.ok(hit, `expected ${severity} at ${path} matching ${re}; got:\n${listed(r.errors)}`);
  if (severity === 'error') assert.equal(r.config, undefined, 'no config when there are errors');
  else assert.ok(r.config, `a warning alone keeps the config; got:\n${listed(r.errors)}`);
  assert.ok(hit.line !== undefined && hit.column !== undefined, 'the problem has a position in the file');
  return hit;
}

const E0 = '/scenario/expect/0';

test('classDriver: one class or a list, decoded as a list; absent means none', () => {
  const r = parse(project([]));
  assert.deepEqual(r.errors, [], listed(r.errors));
  assert.deepEqual(
    r.config?.devices.map((d) => [d.id, d.classDriver]),
    [
      ['i8042', ['keyboard', 'mouse']],
      ['com1', undefined],
      ['inport0', ['mouse']],
    ],
  );
  assert.equal('classDriver' in (r.config?.devices[1] ?? {}), false, 'no classDriver key when none is given');
});

test('classDriver: typos, wrong types and duplicates are reported at the entry', () => {
  const withClass = (classDriver: unknown): Record<string, unknown> => project([], [{ ...DEVICES[0], classDriver }]);
  const typo = expectProblem(withClass('keybaord'), '/devices/0/classDriver', /must be one of 'keyboard', 'mouse', not "keybaord" \(did you mean 'keyboard'\?\)/);
  assert.equal(typo.severity, 'error');
  expectProblem(withClass(['keyboard', 'Mouse']), '/devices/0/classDriver/1', /not "Mouse" \(did you mean 'mouse'\?\)/);
  expectProblem(withClass(['keyboard', 'pen']), '/devices/0/classDriver/1', /must be one of 'keyboard', 'mouse', not "pen"$/);
  expectProblem(withClass(true), '/devices/0/classDriver', /not boolean true/);
  // A duplicate is harmless (the class connects once): a warning, and the list keeps one.
  expectProblem(withClass(['mouse', 'keyboard', 'mouse']), '/devices/0/classDriver/2', /'mouse' is listed twice/, 'warning');
  const dup = parse(withClass(['mouse', 'keyboard', 'mouse']));
  assert.deepEqual(dup.config?.devices[0].classDriver, ['mouse', 'keyboard']);
  // A misspelt key is caught by the device's known keys.
  expectProblem(project([], [{ ...DEVICES[2], classDriver: undefined, classdriver: 'mouse' }]), '/devices/0/classdriver', /unknown property 'classdriver' for a device \(did you mean 'classDriver'\?\)/, 'warning');
});

test('irpCompletes: data as bytes (numbers or hex strings) or text, decoded to bytes', () => {
  assert.deepEqual(expectations({ irpCompletes: 0, data: [0x41, '0x42', '67'] }, { irpCompletes: 1, text: 'hi\r\n', status: 'STATUS_SUCCESS' }, { irpCompletes: 0, text: 'é\u00ff' }, { irpCompletes: 0, data: [] }), [
    { kind: 'irp-complete', request: 0, data: [0x41, 0x42, 67] },
    { kind: 'irp-complete', request: 1, status: 0, data: [0x68, 0x69, 0x0d, 0x0a] },
    { kind: 'irp-complete', request: 0, data: [0xe9, 0xff] },
    { kind: 'irp-complete', request: 0, data: [] },
  ]);
});

test('irpCompletes: bad data is reported at the offending byte or key', () => {
  expectProblem(project([{ irpCompletes: 0, data: [1], text: 'x' }]), `${E0}/text`, /give one of 'data' and 'text'/);
  expectProblem(project([{ irpCompletes: 0, data: [1, 256] }]), `${E0}/data/1`, /must be between 0 and 255 \(got 256\)/);
  expectProblem(project([{ irpCompletes: 0, data: [1, 2, -1] }]), `${E0}/data/2`, /must be between 0 and 255 \(got -1\)/);
  expectProblem(project([{ irpCompletes: 0, data: ['0x1', 'zz'] }]), `${E0}/data/1`, /must be an integer or a hex string such as "0x10", not "zz"/);
  expectProblem(project([{ irpCompletes: 0, data: 'AB' }]), `${E0}/data`, /must be an array, not "AB"/);
  expectProblem(project([{ irpCompletes: 0, text: 42 }]), `${E0}/text`, /must be a string, not number 42/);
  // Text is one byte per character: anything past U+00FF (including surrogate pairs) is refused.
  expectProblem(project([{ irpCompletes: 0, text: 'h€llo' }]), `${E0}/text`, /text must be Latin-1 \(one byte per character\); use 'data' for other bytes/);
  expectProblem(project([{ irpCompletes: 0, text: 'ok \u{1F600}' }]), `${E0}/text`, /Latin-1/);
  // 'contains' is a deviceOutput modifier only.
  expectProblem(project([{ irpCompletes: 0, contains: 'x' }]), `${E0}/contains`, /unknown property 'contains'/, 'warning');
});

test('deviceOutput: kind defaults to "tx"; exact data or text, or contains', () => {
  assert.deepEqual(expectations({ deviceOutput: 'com1', text: 'AT\r' }, { deviceOutput: 'com1', kind: 'mcr', data: ['0x0B'] }, { deviceOutput: 'i8042', kind: 'leds', contains: '\u0002' }, { deviceOutput: 'com1', text: '' }), [
    { kind: 'device-output', device: 'com1', outputKind: 'tx', data: [0x41, 0x54, 0x0d] },
    { kind: 'device-output', device: 'com1', outputKind: 'mcr', data: [0x0b] },
    { kind: 'device-output', device: 'i8042', outputKind: 'leds', contains: [2] },
    { kind: 'device-output', device: 'com1', outputKind: 'tx', data: [] },
  ]);
});

test('deviceOutput: unknown device (with a suggestion), none or several of data/text/contains, bad kind', () => {
  expectProblem(project([{ deviceOutput: 'com2', text: 'x' }]), `${E0}/deviceOutput`, /no device has id 'com2' \(did you mean 'com1'\?\)/);
  expectProblem(project([{ deviceOutput: 'serial', text: 'x' }]), `${E0}/deviceOutput`, /no device has id 'serial' \(declared: 'i8042', 'com1', 'inport0'\)/);
  expectProblem(project([{ deviceOutput: 'com1', text: 'x' }], []), `${E0}/deviceOutput`, /the project declares no devices/);
  expectProblem(project([{ deviceOutput: 'com1' }]), E0, /give the expected output as 'data' \(bytes\), 'text' \(exact\) or 'contains' \(a part of it\)/);
  expectProblem(project([{ deviceOutput: 'com1', text: 'a', contains: 'a' }]), `${E0}/contains`, /give one of 'text' and 'contains'/);
  expectProblem(project([{ deviceOutput: 'com1', data: [1], text: 'a' }]), `${E0}/text`, /give one of 'data' and 'text'/);
  expectProblem(project([{ deviceOutput: 'com1', data: [1, 'x'] }]), `${E0}/data/1`, /must be an integer or a hex string/);
  expectProblem(project([{ deviceOutput: 'com1', contains: 'Ωmega' }]), `${E0}/contains`, /Latin-1/);
  expectProblem(project([{ deviceOutput: 'com1', kind: '', text: 'x' }]), `${E0}/kind`, /must not be empty/);
  expectProblem(project([{ deviceOutput: 'com1', kind: 3, text: 'x' }]), `${E0}/kind`, /must be a string, not number 3/);
  expectProblem(project([{ deviceOutput: 'com1', text: 'x', knd: 'tx' }]), `${E0}/knd`, /unknown property 'knd' for a 'deviceOutput' expectation \(did you mean 'kind'\?\)/, 'warning');
});

test('classInput: class, device, counts (at least one by default) and packets decoded to field values', () => {
  assert.deepEqual(expectations({ classInput: 'keyboard' }, { classInput: 'mouse', device: 'inport0', count: 0 }, { classInput: 'mouse', min: 2, max: 5 }, { classInput: 'mouse', max: 3 }), [
    { kind: 'class-input', inputClass: 'keyboard', min: 1 },
    { kind: 'class-input', inputClass: 'mouse', device: 'inport0', min: 0, max: 0 },
    { kind: 'class-input', inputClass: 'mouse', min: 2, max: 5 },
    { kind: 'class-input', inputClass: 'mouse', max: 3 },
  ]);
  const [kbd, mou] = expectations(
    { classInput: 'keyboard', device: 'i8042', packets: [{ MakeCode: '0x1D', Flags: 'KEY_MAKE|KEY_E0' }, { MakeCode: 29, Flags: 'KEY_BREAK | KEY_E0', UnitId: 0 }, { ExtraInformation: '0xFFFFFFFF' }] },
    { classInput: 'mouse', packets: [{ ButtonFlags: 'MOUSE_WHEEL', ButtonData: -120 }, { ButtonData: '0xFF88', LastX: '-3', LastY: 0xfffffffe, Flags: 'MOUSE_MOVE_RELATIVE' }, { ButtonFlags: 'MOUSE_LEFT_BUTTON_DOWN|0x8' }] },
  );
  assert.deepEqual(kbd, {
    kind: 'class-input',
    inputClass: 'keyboard',
    device: 'i8042',
    packets: [{ MakeCode: 0x1d, Flags: 2 }, { MakeCode: 0x1d, Flags: 3, UnitId: 0 }, { ExtraInformation: 0xffffffff }],
  });
  // Signed fields decode to signed numbers whichever way they are written.
  assert.deepEqual(mou, {
    kind: 'class-input',
    inputClass: 'mouse',
    packets: [{ ButtonFlags: 0x400, ButtonData: -120 }, { Flags: 0, ButtonData: -120, LastX: -3, LastY: -2 }, { ButtonFlags: 0x9 }],
  });
  assert.deepEqual(expectations({ classInput: 'keyboard', packets: [] }), [{ kind: 'class-input', inputClass: 'keyboard', packets: [] }], 'an empty list expects no packet');
});

test('classInput: unknown class, unknown device, bad flag, unknown field, packets with counts', () => {
  expectProblem(project([{ classInput: 'keybord' }]), `${E0}/classInput`, /must be one of 'keyboard', 'mouse', not "keybord" \(did you mean 'keyboard'\?\)/);
  expectProblem(project([{ classInput: 'pointer' }]), `${E0}/classInput`, /must be one of 'keyboard', 'mouse', not "pointer"/);
  expectProblem(project([{ classInput: 'mouse', device: 'inport' }]), `${E0}/device`, /no device has id 'inport' \(did you mean 'inport0'\?\)/);
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: 1 }], count: 1 }]), `${E0}/packets`, /the packets list fixes the count: drop 'count'\/'min'\/'max'/);
  expectProblem(project([{ classInput: 'keyboard', packets: [], max: 0 }]), `${E0}/packets`, /fixes the count/);
  expectProblem(project([{ classInput: 'mouse', count: 1, min: 1 }]), `${E0}/count`, /either an exact 'count' or 'min'\/'max' bounds/);
  expectProblem(project([{ classInput: 'mouse', min: 3, max: 2 }]), `${E0}/max`, /max \(2\) is below min \(3\)/);
  // Flag names belong to their field and class.
  const badFlag = expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: 1 }, { Flags: 'KEY_BRAEK' }] }]), `${E0}/packets/1/Flags`, /must be a number, a hex string or flag names such as "KEY_MAKE\|KEY_BREAK", not "KEY_BRAEK"/);
  assert.equal(badFlag.severity, 'error');
  expectProblem(project([{ classInput: 'keyboard', packets: [{ Flags: 'MOUSE_WHEEL' }] }]), `${E0}/packets/0/Flags`, /flag names such as "KEY_MAKE\|KEY_BREAK", not "MOUSE_WHEEL"/);
  expectProblem(project([{ classInput: 'mouse', packets: [{ ButtonFlags: 'KEY_BREAK' }] }]), `${E0}/packets/0/ButtonFlags`, /flag names such as "MOUSE_LEFT_BUTTON_DOWN\|MOUSE_LEFT_BUTTON_UP"/);
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: 'KEY_BREAK' }] }]), `${E0}/packets/0/MakeCode`, /must be a number, a hex string, not "KEY_BREAK"/);
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: 1.5 }] }]), `${E0}/packets/0/MakeCode`, /not number 1\.5/);
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: '' }] }]), `${E0}/packets/0/MakeCode`, /not ""/);
  expectProblem(project([{ classInput: 'keyboard', packets: {} }]), `${E0}/packets`, /must be an array, not an object/);
  expectProblem(project([{ classInput: 'keyboard', packets: [3] }]), `${E0}/packets/0`, /must be an object, not number 3/);
  // A field the packet type does not have is a warning naming the type (and the likely field).
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCod: '0x1E' }] }]), `${E0}/packets/0/MakeCod`, /unknown property 'MakeCod' for a KEYBOARD_INPUT_DATA packet \(did you mean 'MakeCode'\?\); it is ignored/, 'warning');
  expectProblem(project([{ classInput: 'mouse', packets: [{ MakeCode: 1 }] }]), `${E0}/packets/0/MakeCode`, /unknown property 'MakeCode' for a MOUSE_INPUT_DATA packet/, 'warning');
});

test('maxDpcQueueDepth: a non-negative integer', () => {
  assert.deepEqual(expectations({ maxDpcQueueDepth: 4 }, { maxDpcQueueDepth: '0x2' }, { maxDpcQueueDepth: 0 }), [
    { kind: 'max-dpc-queue-depth', depth: 4 },
    { kind: 'max-dpc-queue-depth', depth: 2 },
    { kind: 'max-dpc-queue-depth', depth: 0 },
  ]);
  expectProblem(project([{ maxDpcQueueDepth: -1 }]), `${E0}/maxDpcQueueDepth`, /must be at least 0 \(got -1\)/);
  expectProblem(project([{ maxDpcQueueDepth: 1.5 }]), `${E0}/maxDpcQueueDepth`, /must be an integer or a hex string such as "0x10", not number 1\.5/);
  expectProblem(project([{ maxDpcQueueDepth: 'deep' }]), `${E0}/maxDpcQueueDepth`, /not "deep"/);
  expectProblem(project([{ maxDpcQueueDepth: 2, max: 3 }]), `${E0}/max`, /unknown property 'max' for a 'maxDpcQueueDepth' expectation/, 'warning');
  expectProblem(project([{ maxDpcQueueDepth: 2, classInput: 'mouse' }]), `${E0}/maxDpcQueueDepth`, /one check per expectation: 'classInput' and 'maxDpcQueueDepth' are both given/);
  expectProblem(project([{ maxDpcQueuDepth: 2 }]), E0, /an expectation needs one of .*'maxDpcQueueDepth' \(did you mean 'maxDpcQueueDepth'\?\)/);
});

test('every bad expectation is reported in one pass, each at its own pointer', () => {
  const r = parse(project([{ deviceOutput: 'com9', text: 'x' }, { classInput: 'mouse', packets: [{ ButtonFlags: 'MOUSE_WHEL' }] }, { irpCompletes: 0, data: [300] }, { maxDpcQueueDepth: -2 }]));
  assert.equal(r.config, undefined);
  assert.deepEqual(
    r.errors.map((e) => e.path),
    ['/scenario/expect/0/deviceOutput', '/scenario/expect/1/packets/0/ButtonFlags', '/scenario/expect/2/data/0', '/scenario/expect/3/maxDpcQueueDepth'],
  );
});

test('packet field values: out-of-range numbers are refused rather than wrapped', () => {
  expectProblem(project([{ classInput: 'keyboard', packets: [{ MakeCode: 0x1001e }] }]), `${E0}/packets/0/MakeCode`, /./);
  expectProblem(project([{ classInput: 'keyboard', packets: [{ ExtraInformation: '0x100000000' }] }]), `${E0}/packets/0/ExtraInformation`, /./);
});

test('a bad flag name is named and the closest flag suggested', () => {
  expectProblem(project([{ classInput: 'keyboard', packets: [{ Flags: 'KEY_BREAK|KEY_EO' }] }]), `${E0}/packets/0/Flags`, /'KEY_EO'.*did you mean 'KEY_E0'/);
});

test('classInput for a class no device connects is flagged', () => {
  const noKeyboard = [DEVICES[1], DEVICES[2]];
  expectProblem(project([{ classInput: 'keyboard', max: 0 }], noKeyboard), `${E0}/classInput`, /classDriver/, 'warning');
  expectProblem(project([{ classInput: 'keyboard', device: 'inport0' }]), `${E0}/device`, /classDriver/, 'warning');
});

// ---- Judging ------------------------------------------------------------------------------

function outcome(extra: Partial<RunOutcome> = {}): RunOutcome {
  return {
    endNs: 100_000_000,
    dbgPrint: [],
    requests: [],
    isrRuns: new Map(),
    dpcRuns: new Map(),
    maxDurationNs: new Map(),
    leaks: [],
    ...extra,
  };
}

/** Judges one expectation (after the implied "no bug check", which is dropped). */
function judge(e: Expectation, o: RunOutcome): ExpectationResult {
  const all = evaluateExpectations([e], o);
  assert.equal(all.length, 2);
  assert.equal(all[0].ok, true, 'no bug check');
  return all[1];
}

function kbd(atNs: number, fields: Record<string, number>, device = 'i8042'): ClassPacket {
  return { inputClass: 'keyboard', device, atNs, cpu: 0, fields: { UnitId: 0, MakeCode: 0, Flags: 0, Reserved: 0, ExtraInformation: 0, ...fields } };
}

function mouse(atNs: number, fields: Record<string, number>, device = 'inport0'): ClassPacket {
  const f = { UnitId: 0, Flags: 0, ButtonFlags: 0, ButtonData: 0, RawButtons: 0, LastX: 0, LastY: 0, ExtraInformation: 0, ...fields };
  return { inputClass: 'mouse', device, atNs, cpu: 1, fields: { ...f, Buttons: ((f.ButtonData & 0xffff) << 16 | f.ButtonFlags) >>> 0 } };
}

/** "A" pressed and released, then right Ctrl (E0 1D) pressed and released. */
const TYPED: ClassPacket[] = [kbd(10_000_000, { MakeCode: 0x1e }), kbd(12_000_000, { MakeCode: 0x1e, Flags: 1 }), kbd(20_000_000, { MakeCode: 0x1d, Flags: 2 }), kbd(21_000_000, { MakeCode: 0x1d, Flags: 3 })];
const MOVED: ClassPacket[] = [mouse(15_000_000, { LastX: 5, LastY: -3 }), mouse(25_000_000, { ButtonFlags: 0x400, ButtonData: -120 })];

const keys = (packets: Array<Record<string, number>>, device?: string): Expectation => ({ kind: 'class-input', inputClass: 'keyboard', packets, ...(device ? { device } : {}) });

test('irpCompletes data: the returned bytes compared exactly; the result points at the completion', () => {
  const o = outcome({
    requests: [
      { index: 0, completed: true, status: 0, information: 4, issuedAtNs: 1_000_000, completedAtNs: 3_500_000, data: [0x4f, 0x4b, 0x0d, 0x0a] },
      { index: 1, completed: true, status: 0xc0000010, information: 0, issuedAtNs: 2_000_000, completedAtNs: 2_000_500 },
      { index: 2, completed: false, issuedAtNs: 4_000_000 },
    ],
  });
  const ok = judge({ kind: 'irp-complete', request: 0, data: [0x4f, 0x4b, 0x0d, 0x0a] }, o);
  assert.deepEqual(ok, { expectation: 'request 0 completes returning "OK\\r\\n"', ok: true, detail: 'completed with STATUS_SUCCESS (0x00000000) after 2.5ms', atNs: 3_500_000 });

  const differs = judge({ kind: 'irp-complete', request: 0, data: [0x4f, 0x4b, 0x21, 0x0a] }, o);
  assert.equal(differs.ok, false);
  assert.equal(differs.atNs, 3_500_000, 'the completion time');
  assert.equal(differs.detail, 'completed with STATUS_SUCCESS (0x00000000) after 2.5ms (returned "OK\\r\\n", expected "OK!\\n" (first difference at byte 2: 0xD instead of 0x21))');

  const shorter = judge({ kind: 'irp-complete', request: 0, data: [0x4f, 0x4b, 0x0d, 0x0a, 0x00, 0xff] }, o);
  assert.equal(shorter.ok, false);
  assert.match(shorter.detail, /returned "OK\\r\\n", expected \[4F 4B 0D 0A 00 FF\] \(4 bytes instead of 6\)\)$/);

  // A failed request returns nothing: shown as empty, next to the status that explains it.
  const failed = judge({ kind: 'irp-complete', request: 1, data: [1] }, o);
  assert.equal(failed.ok, false);
  assert.equal(failed.atNs, 2_000_500);
  assert.match(failed.detail, /^completed with STATUS_INVALID_DEVICE_REQUEST \(0xC0000010\) after 500ns \(returned "", expected \[01\] \(0 bytes instead of 1\)\)$/);
  assert.equal(judge({ kind: 'irp-complete', request: 1, data: [] }, o).ok, true, 'no data expected, none returned');

  // Pending at the end: the end of the run is when it failed.
  const pending = judge({ kind: 'irp-complete', request: 2, data: [1] }, o);
  assert.deepEqual([pending.ok, pending.atNs], [false, 100_000_000]);
  assert.match(pending.detail, /request 2 \(issued at 4ms\) was still pending at the end of the run/);

  // Every problem is listed, data with the others.
  const both = judge({ kind: 'irp-complete', request: 0, status: 0xc0000001, information: 3, data: [0] }, o);
  assert.match(both.detail, /\(expected STATUS_UNSUCCESSFUL \(0xC0000001\); Information 4, expected 3; returned "OK\\r\\n", expected \[00\] \(first difference at byte 0: 0x4F instead of 0x0\)\)$/);
});

test('irpCompletes data: the expectation says what data it expects', () => {
  assert.match(describeExpectation({ kind: 'irp-complete', request: 0, data: [0x4f, 0x4b] }), /"OK"/);
});

test('deviceOutput: exact bytes, exact text, contains; judged at the end of the run', () => {
  const o = outcome({
    deviceOutput: new Map([
      ['com1:tx', [0x41, 0x54, 0x0d, 0x4f, 0x4b]],
      ['com1:mcr', [0x0b, 0x08]],
      ['i8042:leds', [0x02]],
    ]),
  });
  const exact = judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', data: [0x41, 0x54, 0x0d, 0x4f, 0x4b] }, o);
  assert.deepEqual(exact, { expectation: 'device com1 outputs tx "AT\\rOK"', ok: true, detail: 'device com1 sent tx "AT\\rOK"', atNs: 100_000_000 });
  assert.equal(judge({ kind: 'device-output', device: 'com1', outputKind: 'mcr', data: [0x0b, 0x08] }, o).ok, true);

  const wrong = judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', data: [0x41, 0x54, 0x0d, 0x4f, 0x4e] }, o);
  assert.equal(wrong.ok, false);
  assert.equal(wrong.atNs, 100_000_000);
  assert.equal(wrong.detail, 'device com1 sent tx "AT\\rOK" (first difference at byte 4: 0x4B instead of 0x4E)');
  const longer = judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', data: [0x41, 0x54] }, o);
  assert.equal(longer.detail, 'device com1 sent tx "AT\\rOK" (5 bytes instead of 2)');

  const part = judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', contains: [0x4f, 0x4b] }, o);
  assert.deepEqual([part.ok, part.expectation], [true, 'device com1 tx output contains "OK"']);
  const missing = judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', contains: [0x45, 0x52, 0x52] }, o);
  assert.deepEqual([missing.ok, missing.detail, missing.atNs], [false, 'device com1 sent tx "AT\\rOK"', 100_000_000]);

  // Non-printable output is shown in hex; a kind never produced is "no output".
  const leds = judge({ kind: 'device-output', device: 'i8042', outputKind: 'leds', data: [0x06] }, o);
  assert.equal(leds.detail, 'device i8042 sent leds [02] (first difference at byte 0: 0x2 instead of 0x6)');
  assert.equal(leds.expectation, 'device i8042 outputs leds [06]');
  const silent = judge({ kind: 'device-output', device: 'com1', outputKind: 'break', data: [1] }, o);
  assert.deepEqual([silent.ok, silent.detail], [false, 'device com1 sent no break output (0 bytes instead of 1)']);
  assert.equal(judge({ kind: 'device-output', device: 'com1', outputKind: 'break', data: [] }, o).ok, true, '"text": "" expects no output');
  assert.equal(judge({ kind: 'device-output', device: 'com1', outputKind: 'tx', data: [] }, outcome()).ok, true, 'an outcome without device output');
});

test('classInput packets: in order, only the given fields compared', () => {
  const o = outcome({ classInput: [...TYPED, ...MOVED] });
  const r = judge(keys([{ MakeCode: 0x1e, Flags: 0 }, { MakeCode: 0x1e, Flags: 1 }, { MakeCode: 0x1d, Flags: 2 }, { Flags: 3 }]), o);
  assert.equal(r.ok, true, r.detail);
  assert.equal(r.detail, '4 packets received as expected');
  assert.equal(r.atNs, 21_000_000, 'the last packet');
  assert.equal(
    r.expectation,
    'the keyboard class driver receives 4 packets: {MakeCode 0x1E, Flags 0 (KEY_MAKE)}, {MakeCode 0x1E, Flags 0x1 (KEY_BREAK)}, {MakeCode 0x1D, Flags 0x2 (KEY_E0)}, {Flags 0x3 (KEY_BREAK|KEY_E0)}',
  );
  const m = judge({ kind: 'class-input', inputClass: 'mouse', device: 'inport0', packets: [{ LastX: 5, LastY: -3 }, { ButtonFlags: 0x400, ButtonData: -120 }] }, o);
  assert.equal(m.ok, true, m.detail);
  assert.equal(m.expectation, 'the mouse class driver on inport0 receives 2 packets: {LastX 5, LastY -3}, {ButtonFlags 0x400 (MOUSE_WHEEL), ButtonData -120}');
});

test('classInput packets: a mismatch names the packet, its fields with flag names and when it came', () => {
  const o = outcome({ classInput: TYPED });
  // Right Ctrl's release expected without E0: the fourth packet is the first wrong one.
  const r = judge(keys([{ MakeCode: 0x1e }, { MakeCode: 0x1e, Flags: 1 }, { MakeCode: 0x1d, Flags: 2 }, { MakeCode: 0x1d, Flags: 1 }]), o);
  assert.equal(r.ok, false);
  assert.equal(r.atNs, 21_000_000, 'the time of the first mismatching packet');
  assert.equal(r.detail, 'packet 3 was {MakeCode 0x1D, Flags 0x3 (KEY_BREAK|KEY_E0)}, expected {MakeCode 0x1D, Flags 0x1 (KEY_BREAK)}');

  // Only the first mismatch is reported, even when later packets differ too.
  const early = judge(keys([{ MakeCode: 0x1e }, { MakeCode: 0x30 }, { MakeCode: 0x30 }, { MakeCode: 0x30 }]), o);
  assert.deepEqual([early.atNs, early.detail], [12_000_000, 'packet 1 was {MakeCode 0x1E}, expected {MakeCode 0x30}']);

  // A make where a break was expected: KEY_MAKE is shown for a zero Flags.
  const make = judge(keys([{ Flags: 1 }]), o);
  assert.equal(make.detail, 'packet 0 was {Flags 0 (KEY_MAKE)}, expected {Flags 0x1 (KEY_BREAK)}');
  assert.equal(make.atNs, 10_000_000);

  // Mouse: signed values shown signed, button flags by name.
  const wheel = judge({ kind: 'class-input', inputClass: 'mouse', packets: [{ LastX: 5, LastY: -3 }, { ButtonFlags: 0x400, ButtonData: 120 }] }, outcome({ classInput: MOVED }));
  assert.deepEqual([wheel.ok, wheel.atNs], [false, 25_000_000]);
  assert.equal(wheel.detail, 'packet 1 was {ButtonFlags 0x400 (MOUSE_WHEEL), ButtonData -120}, expected {ButtonFlags 0x400 (MOUSE_WHEEL), ButtonData 120}');
});

test('classInput packets: too few fail at the end of the run, too many at the first extra packet', () => {
  const o = outcome({ classInput: TYPED });
  const few = judge(keys([{ MakeCode: 0x1e }, { MakeCode: 0x1e }, { MakeCode: 0x1d }, { MakeCode: 0x1d }, { MakeCode: 0x2a, Flags: 0 }]), o);
  assert.equal(few.ok, false);
  assert.equal(few.atNs, 100_000_000);
  assert.equal(few.detail, 'only 4 packets received; packet 4 {MakeCode 0x2A, Flags 0 (KEY_MAKE)} never came');

  const many = judge(keys([{ MakeCode: 0x1e, Flags: 0 }, { MakeCode: 0x1e, Flags: 1 }]), o);
  assert.equal(many.ok, false);
  assert.equal(many.atNs, 20_000_000, 'the first packet past the expected ones');
  assert.equal(many.detail, '4 packets received, 2 expected; packet 2 was {MakeCode 0x1D, Flags 0x2 (KEY_E0)}');

  // An empty list expects silence: the first packet shows in full.
  const none = judge(keys([]), o);
  assert.deepEqual([none.ok, none.atNs], [false, 10_000_000]);
  assert.equal(none.detail, '4 packets received, 0 expected; packet 0 was {UnitId 0, MakeCode 0x1E, Flags 0 (KEY_MAKE), Reserved 0, ExtraInformation 0}');
  assert.equal(judge(keys([]), outcome()).ok, true, 'no class input at all');
});

test('classInput: packets are filtered by class and by device', () => {
  const other = kbd(11_000_000, { MakeCode: 0x10 }, 'kbd2');
  const o = outcome({ classInput: [TYPED[0], other, ...MOVED, TYPED[1]] });
  assert.equal(judge(keys([{ MakeCode: 0x1e }, { MakeCode: 0x1e, Flags: 1 }], 'i8042'), o).ok, true, 'the other keyboard and the mouse are not counted');
  const all = judge(keys([{ MakeCode: 0x1e }, { MakeCode: 0x1e, Flags: 1 }]), o);
  assert.deepEqual([all.ok, all.atNs, all.detail], [false, 11_000_000, 'packet 1 was {MakeCode 0x10, Flags 0 (KEY_MAKE)}, expected {MakeCode 0x1E, Flags 0x1 (KEY_BREAK)}']);
  assert.equal(judge({ kind: 'class-input', inputClass: 'mouse', min: 2, max: 2 }, o).ok, true);
  assert.equal(judge({ kind: 'class-input', inputClass: 'mouse', device: 'i8042', max: 0 }, o).ok, true);
});

test('classInput counts: bounds, failures at the first packet past the limit or at the end', () => {
  const o = outcome({ classInput: TYPED });
  const atLeast = judge({ kind: 'class-input', inputClass: 'keyboard', min: 1 }, o);
  assert.deepEqual(atLeast, { expectation: 'the keyboard class driver receives at least 1 packet', ok: true, detail: '4 packets received' });
  const exact = judge({ kind: 'class-input', inputClass: 'keyboard', min: 2, max: 2 }, o);
  assert.deepEqual([exact.ok, exact.detail, exact.atNs, exact.expectation], [false, '4 packets received', 20_000_000, 'the keyboard class driver receives exactly 2 packets']);
  const atMost = judge({ kind: 'class-input', inputClass: 'keyboard', max: 0 }, o);
  assert.deepEqual([atMost.ok, atMost.atNs, atMost.expectation], [false, 10_000_000, 'the keyboard class driver receives at most 0 packets']);
  const tooFew = judge({ kind: 'class-input', inputClass: 'keyboard', min: 5, max: 9 }, o);
  assert.deepEqual([tooFew.ok, tooFew.atNs, tooFew.expectation], [false, 100_000_000, 'the keyboard class driver receives 5 to 9 packets']);
  const none = judge({ kind: 'class-input', inputClass: 'mouse', min: 1 }, o);
  assert.deepEqual([none.ok, none.detail, none.atNs], [false, '0 packets received', 100_000_000]);
  assert.equal(judge({ kind: 'class-input', inputClass: 'mouse', min: 0, max: 0 }, o).expectation, 'the mouse class driver receives exactly 0 packets');
  assert.equal(judge({ kind: 'class-input', inputClass: 'mouse', max: 1 }, o).expectation, 'the mouse class driver receives at most 1 packet');
});

test('maxDpcQueueDepth: deepest queue, its processor and when', () => {
  const o = outcome({ maxDpcQueueDepth: { depth: 3, cpu: 1, atNs: 7_250_000 } });
  const ok = judge({ kind: 'max-dpc-queue-depth', depth: 3 }, o);
  assert.deepEqual(ok, { expectation: 'no DPC queue holds more than 3 DPCs', ok: true, detail: 'deepest queue: 3 DPCs on CPU 1', atNs: 7_250_000 });
  const bad = judge({ kind: 'max-dpc-queue-depth', depth: 2 }, o);
  assert.deepEqual([bad.ok, bad.detail, bad.atNs], [false, 'deepest queue: 3 DPCs on CPU 1', 7_250_000]);
  const one = judge({ kind: 'max-dpc-queue-depth', depth: 0 }, outcome({ maxDpcQueueDepth: { depth: 1, cpu: 0, atNs: 5 } }));
  assert.deepEqual([one.ok, one.detail, one.expectation], [false, 'deepest queue: 1 DPC on CPU 0', 'no DPC queue holds more than 0 DPCs']);
  assert.equal(judge({ kind: 'max-dpc-queue-depth', depth: 1 }, outcome()).expectation, 'no DPC queue holds more than 1 DPC');
  for (const quiet of [outcome(), outcome({ maxDpcQueueDepth: { depth: 0, cpu: 0, atNs: 0 } })]) {
    assert.deepEqual(judge({ kind: 'max-dpc-queue-depth', depth: 0 }, quiet), { expectation: 'no DPC queue holds more than 0 DPCs', ok: true, detail: 'no DPC was ever queued' });
  }
});

// The timing fields RunOutcome gained: each failure points at the moment it went wrong.

test('DbgPrint: too many matches fail at the first message past the limit', () => {
  const o = outcome({ dbgPrint: ['kbd: start\n', 'kbd: overrun\n', 'kbd: key 1E\n', 'kbd: overrun\n', 'kbd: overrun\n'], dbgPrintAtNs: [1_000, 2_000, 3_000, 4_000, 5_000] });
  const max = judge({ kind: 'dbgprint', match: 'overrun', max: 1 }, o);
  assert.deepEqual([max.ok, max.detail, max.atNs], [false, '3 matching messages; first: "kbd: overrun"', 4_000]);
  const count = judge({ kind: 'dbgprint', match: 'overrun', count: 2 }, o);
  assert.deepEqual([count.ok, count.atNs], [false, 5_000]);
  const never = judge({ kind: 'dbgprint', match: 'overrun', count: 0 }, o);
  assert.deepEqual([never.ok, never.atNs], [false, 2_000]);
  const ok = judge({ kind: 'dbgprint', match: 'key [0-9A-F]{2}' }, o);
  assert.deepEqual([ok.ok, ok.atNs], [true, 3_000], 'a pass points at the first match');
  const absent = judge({ kind: 'dbgprint', match: 'stopped' }, o);
  assert.deepEqual([absent.ok, absent.detail, absent.atNs], [false, '0 matching messages', 100_000_000]);
  // Without message times there is no time to give.
  assert.equal(judge({ kind: 'dbgprint', match: 'overrun', max: 1 }, outcome({ dbgPrint: o.dbgPrint })).atNs, undefined);
});

test('DbgPrint: too few matches fail at the end of the run', () => {
  const o = outcome({ dbgPrint: ['overrun\n', 'overrun\n', 'overrun\n'], dbgPrintAtNs: [1_000, 2_000, 3_000] });
  assert.equal(judge({ kind: 'dbgprint', match: 'overrun', min: 5 }, o).atNs, 100_000_000);
});

test('maxDuration and ISR-to-DPC latency point at the longest run', () => {
  const o = outcome({
    isrRuns: new Map([['KbdIsr', 40]]),
    maxDurationNs: new Map([['KbdIsr', 31_000]]),
    maxDurationAtNs: new Map([['KbdIsr', 42_000_000]]),
    maxIsrToDpcLatencyNs: 80_000,
    maxIsrToDpcLatencyAtNs: 43_000_000,
  });
  const slow = judge({ kind: 'max-duration', routine: 'KbdIsr', ns: 25_000 }, o);
  assert.deepEqual([slow.ok, slow.detail, slow.atNs], [false, 'longest run 31us', 42_000_000]);
  assert.deepEqual(judge({ kind: 'max-duration', routine: 'KbdIsr', ns: 31_000 }, o).ok, true);
  const never = judge({ kind: 'max-duration', routine: 'KbdDpc', ns: 1 }, o);
  assert.deepEqual([never.ok, never.atNs], [false, 100_000_000]);
  const late = judge({ kind: 'max-isr-to-dpc-latency', ns: 50_000 }, o);
  assert.deepEqual([late.ok, late.detail, late.atNs], [false, 'longest ISR-to-DPC latency 80us', 43_000_000]);
  const noDpc = judge({ kind: 'max-isr-to-dpc-latency', ns: 50_000 }, outcome());
  assert.deepEqual([noDpc.ok, noDpc.atNs], [false, 100_000_000]);
});

test('bug checks and run counts point at the crash or the end of the run', () => {
  const crashed = outcome({ bugCheck: { code: 0xd1, args: [0n, 2n, 0n, 0n], atNs: 9_000_000 } });
  const implied = evaluateExpectations([], crashed)[0];
  assert.deepEqual([implied.ok, implied.atNs], [false, 9_000_000]);
  assert.equal(evaluateExpectations([{ kind: 'bugcheck', code: 0xd1 }], crashed)[0].atNs, 9_000_000);
  assert.equal(evaluateExpectations([{ kind: 'bugcheck', code: 0xd1 }], outcome())[0].atNs, 100_000_000);
  const runs = judge({ kind: 'isr-runs', routine: 'KbdIsr', min: 1 }, outcome());
  assert.deepEqual([runs.ok, runs.atNs], [false, 100_000_000]);
  assert.equal('atNs' in judge({ kind: 'isr-runs', routine: 'KbdIsr', max: 0 }, outcome()), false, 'a passing count has no time');
});

// ---- Packet layouts and flags ---------------------------------------------------------------

test('packet layouts: the WDK x64 sizes, fields inside, flag names parsed and formatted', () => {
  assert.equal(INPUT_PACKETS.keyboard.size, 12);
  assert.equal(INPUT_PACKETS.mouse.size, 24);
  for (const cls of ['keyboard', 'mouse'] as InputClass[]) {
    for (const f of INPUT_PACKETS[cls].fields) assert.ok(f.offset + f.size <= INPUT_PACKETS[cls].size, `${cls}.${f.name}`);
  }
  const flags = packetField('keyboard', 'Flags')!;
  assert.equal(parseFieldValue(flags, 'KEY_BREAK|KEY_E0'), 3);
  assert.equal(parseFieldValue(flags, ' KEY_E1 | 0x8 '), 0xc);
  assert.equal(parseFieldValue(flags, 'KEY_MAKE'), 0);
  assert.equal(parseFieldValue(flags, 'KEY_BREAK|KEY_E9'), undefined);
  assert.equal(formatFieldValue(flags, 3), '0x3 (KEY_BREAK|KEY_E0)');
  assert.equal(formatFieldValue(flags, 0), '0 (KEY_MAKE)');
  const buttons = packetField('mouse', 'ButtonFlags')!;
  assert.equal(parseFieldValue(buttons, 'MOUSE_LEFT_BUTTON_DOWN|MOUSE_RIGHT_BUTTON_UP'), 0x9);
  assert.equal(formatFieldValue(buttons, 0x9), '0x9 (MOUSE_LEFT_BUTTON_DOWN|MOUSE_RIGHT_BUTTON_UP)');
  const lastX = packetField('mouse', 'LastX')!;
  assert.equal(parseFieldValue(lastX, '0xFFFFFFFF'), -1);
  assert.equal(formatFieldValue(lastX, -1), '-1');
  assert.equal(packetField('mouse', 'MakeCode'), undefined);
});

// ---- The JSON Schema ------------------------------------------------------------------------

type SchemaNode = {
  description?: string;
  $ref?: string;
  title?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  enum?: unknown[];
  required?: string[];
  examples?: unknown[];
  default?: unknown;
  definitions?: Record<string, SchemaNode>;
};

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'kernel-sim', 'scenario', 'kdsim.schema.json'), 'utf8')) as SchemaNode;
const deref = (n: SchemaNode): SchemaNode => (n.$ref ? { ...schema.definitions![n.$ref.replace('#/definitions/', '')], ...n } : n);
const expectBranches = schema.properties!.scenario.properties!.expect.items!.oneOf!;
const branch = (key: string): SchemaNode => {
  const b = expectBranches.find((x) => x.required?.[0] === key);
  assert.ok(b, `schema branch for '${key}'`);
  return b;
};

test('schema: one closed branch per expectation key, with exactly the modifiers the parser accepts', () => {
  assert.deepEqual(expectBranches.map((b) => b.required![0]).sort(), Object.keys(EXPECTATION_KEYS).sort());
  for (const [key, modifiers] of Object.entries(EXPECTATION_KEYS)) {
    const b = branch(key);
    assert.equal(b.additionalProperties, false, key);
    assert.ok(b.title && b.description, key);
    assert.deepEqual(Object.keys(b.properties!).sort(), [key, ...modifiers].sort(), key);
    for (const [k, p] of Object.entries(b.properties!)) assert.ok(deref(p).description, `${key}.${k} has a description`);
  }
  assert.equal(branch('deviceOutput').properties!.kind.default, 'tx');
});

test('schema: classDriver on devices and classInput name the parser\'s classes and packet fields', () => {
  const device = schema.properties!.devices.items!;
  const cd = device.properties!.classDriver;
  assert.ok(cd.description);
  const classes = Object.keys(INPUT_PACKETS);
  assert.deepEqual(deref(cd.anyOf![0]).enum, classes);
  assert.deepEqual(deref(cd.anyOf![1].items!).enum, classes);
  assert.deepEqual(deref(branch('classInput').properties!.classInput).enum, classes);
  // One packet shape per class, in INPUT_PACKETS order, with its fields.
  const shapes = branch('classInput').properties!.packets.items!.anyOf!;
  assert.deepEqual(
    shapes.map((s) => Object.keys(s.properties!)),
    classes.map((c) => INPUT_PACKETS[c as InputClass].fields.map((f) => f.name)),
  );
  for (const s of shapes) assert.equal(s.additionalProperties, false);
});

test('schema: the examples of the new expectations and of classDriver parse cleanly', () => {
  const examples: unknown[] = [];
  for (const key of ['irpCompletes', 'deviceOutput', 'classInput', 'maxDpcQueueDepth']) {
    const b = branch(key);
    for (const e of b.examples ?? []) examples.push(e);
  }
  for (const e of examples) {
    const r = parse(project([e], [{ ...DEVICES[0], id: 'mouse0' }, DEVICES[1], DEVICES[2]]));
    assert.deepEqual(r.errors, [], `${JSON.stringify(e)}:\n${listed(r.errors)}`);
  }
  assert.ok(examples.length >= 2);
  // Field value and classDriver examples are values the parser takes.
  for (const v of schema.definitions!.packetValue.examples!) {
    const field = typeof v === 'string' && v.startsWith('MOUSE') ? packetField('mouse', 'ButtonFlags')! : typeof v === 'string' && v.startsWith('KEY') ? packetField('keyboard', 'Flags')! : packetField('mouse', 'LastX')!;
    assert.notEqual(parseFieldValue(field, v), undefined, String(v));
  }
  for (const cd of schema.properties!.devices.items!.properties!.classDriver.examples!) {
    const r = parse(project([], [{ ...DEVICES[0], classDriver: cd }]));
    assert.deepEqual(r.errors, [], listed(r.errors));
  }
});

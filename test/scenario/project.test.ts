// kdsim.json parsing: the example project, defaults, every kind of bad input (JSON pointer
// and position), value notations, and the JSON Schema kept in step with the parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUGCHECK_NAMES,
  DEFAULT_COST,
  DEFAULT_MACHINE,
  DEFAULT_VERIFIER,
  DEFAULT_WATCHDOG,
  formatProjectError,
  parseBugCheckCode,
  parseDuration,
  parseNumber,
  parseProject,
  parseStatus,
  STATUS_NAMES,
  statusName,
  type ProjectError,
} from '../../kernel-sim/scenario/project';
import type { ProjectConfig } from '../../kernel-sim/scenario/project-types';
import { EXPECTATION_KEYS } from '../../kernel-sim/scenario/project-expect';

const root = join(__dirname, '..', '..');
const exampleDir = join(root, 'examples', 'dpcforisr');
const schemaPath = join(root, 'kernel-sim', 'scenario', 'kdsim.schema.json');

/** A project using every feature of the file format. */
const FULL = {
  $schema: '../kernel-sim/scenario/kdsim.schema.json',
  name: 'full',
  description: 'every feature',
  sources: ['driver.c', 'sub/util.c'],
  includePaths: ['.', 'inc'],
  defines: { DBG: 1, NAME: '"x"', FLAG: null, ON: true },
  machine: {
    cpus: 4,
    seed: 42,
    timeIncrement: 100000,
    interruptDelivery: 'round-robin',
    memoryMiB: 128,
    cost: { statement: 2, ddiCall: '30ns', portIo: '1us', registerIo: 100, interruptEntry: 500, interruptExit: 250, dpcDispatch: 200, contextSwitch: '2us' },
  },
  devices: [
    {
      id: 'dev0',
      model: 'generic',
      bus: 'pci',
      hardwareId: 'PCI\\VEN_1234&DEV_0001',
      resources: [
        { type: 'memory', start: '0xFEBF0000', length: 16 },
        { type: 'interrupt', vector: '0x91', level: 9, affinity: '0xF', mode: 'levelSensitive', shared: true },
      ],
      registers: { STATUS: '0x00', DATA: 12 },
      params: { conversionTimeUs: 40 },
    },
    {
      id: 'uart',
      model: 'generic',
      bus: 'isa',
      resources: [
        { type: 'port', start: '0x3F8', length: 8 },
        { type: 'interrupt', vector: '0x51', message: false },
      ],
    },
  ],
  scenario: {
    until: '50ms',
    stimuli: [
      { kind: 'interrupt', device: 'dev0', at: '1ms', data: '0x1234' },
      { kind: 'periodic', device: 'dev0', start: '2ms', period: '100us', count: 10 },
      { kind: 'burst', device: 'uart', at: '5ms', count: 4, spacing: '2us', data: 7 },
      { kind: 'random', device: 'dev0', start: '10ms', end: '20ms', count: 5, seed: 9 },
    ],
    requests: [
      { major: 'create' },
      { major: 'read', at: '1ms', length: 4, cancelAfter: '10ms' },
      { major: 'write', device: 'dev0', at: '2ms', data: [1, 2, '0x03'] },
      { major: 'ioctl', at: '3ms', ioctl: '0x222004', length: 8, data: [0] },
      { major: 'close', at: '40ms' },
    ],
    expect: [
      { noBugCheck: true },
      { dbgPrint: 'sample [0-9]+', count: 3 },
      { dbgPrint: 'started', min: 1, max: 2 },
      { irpCompletes: 1, status: 'STATUS_SUCCESS', within: '1ms', information: 4 },
      { dpcRuns: 'SmpDpcForIsr', min: 1 },
      { isrRuns: 'SmpIsr', count: 16 },
      { maxDuration: '25us', routine: 'SmpIsr' },
      { maxIsrToDpcLatency: '50us' },
      { noLeaks: true },
    ],
  },
  verifier: { enabled: true, forceIrqlChecking: false, poolTracking: true, guidanceWarnings: false },
  watchdog: { dpcTimeLimitTicks: 100, dpcWatchdogPeriodTicks: 600, isrWarnUs: 10, dpcWarnUs: 50.5 },
};

function parse(json: unknown, dir = '/proj'): { config?: ProjectConfig; errors: ProjectError[] } {
  return parseProject(typeof json === 'string' ? json : JSON.stringify(json, null, 2), dir);
}

const minimal = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ sources: ['a.c'], ...extra });
const device = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'd0',
  resources: [
    { type: 'memory', start: '0xF0000000', length: 16 },
    { type: 'interrupt', vector: '0x91' },
  ],
  ...extra,
});

/** Asserts an error (or warning) at exactly `path` whose message matches `re`. */
function expectProblem(json: unknown, path: string, re: RegExp, severity: 'error' | 'warning' = 'error'): ProjectError {
  const r = parse(json);
  const hit = r.errors.find((e) => e.path === path && e.severity === severity && re.test(e.message));
  assert.ok(hit, `expected ${severity} at ${path} matching ${re}; got:\n${r.errors.map((e) => formatProjectError('kdsim.json', e)).join('\n')}`);
  if (severity === 'error') assert.equal(r.config, undefined, 'no config when there are errors');
  return hit;
}

test('the dpcforisr example parses without errors or warnings', () => {
  const r = parseProject(readFileSync(join(exampleDir, 'kdsim.json'), 'utf8'), exampleDir);
  assert.deepEqual(r.errors, []);
  const c = r.config;
  assert.ok(c);
  assert.equal(c.name, 'dpcforisr');
  assert.deepEqual(c.sources, [join(exampleDir, 'driver.c')]);
  assert.deepEqual(c.includePaths, [exampleDir]);
  assert.equal(c.machine.cpus, 2);
  const d = c.devices[0];
  assert.equal(d.model, 'sampler');
  assert.deepEqual(d.resources[0], { type: 'memory', start: 0xfebf0000, length: 16 });
  assert.deepEqual(d.resources[1], { type: 'interrupt', vector: 0x91, level: 9, affinity: 3, affinityMask: 3n, mode: 'levelSensitive', shared: true, message: false });
  assert.deepEqual(d.registers, { STATUS: 0, CONTROL: 4, INT_ENABLE: 8, DATA: 12 });
  assert.deepEqual(d.params, { conversionTimeUs: 40, errorEvery: 0 });
});

test('defaults are applied', () => {
  const r = parse({ sources: ['driver.c'], devices: [{ id: 'd', resources: [{ type: 'interrupt', vector: '0x61' }] }, { id: 'i', bus: 'isa', resources: [{ type: 'interrupt', vector: 0x71 }] }] }, '/home/me/proj');
  assert.deepEqual(r.errors, []);
  const c = r.config!;
  assert.equal(c.name, 'proj');
  assert.deepEqual(c.includePaths, []);
  assert.deepEqual(c.defines, []);
  assert.deepEqual(c.machine, { ...DEFAULT_MACHINE, cost: DEFAULT_COST });
  assert.deepEqual(c.machine.cost, { statement: 1, ddiCall: 20, portIo: 1000, registerIo: 150, interruptEntry: 400, interruptExit: 200, dpcDispatch: 150, contextSwitch: 1500 });
  assert.deepEqual(c.watchdog, { dpcTimeLimitTicks: 1280, dpcWatchdogPeriodTicks: 7680, isrWarnUs: 25, dpcWarnUs: 100 });
  assert.deepEqual(c.verifier, { enabled: true, forceIrqlChecking: true, poolTracking: true, guidanceWarnings: true });
  assert.deepEqual(c.scenario, { untilNs: 1e9, stimuli: [], expect: [], requests: [] });
  assert.equal(c.devices[0].model, 'generic');
  assert.equal(c.devices[0].bus, 'pci');
  assert.deepEqual(c.devices[0].registers, {});
  assert.deepEqual(c.devices[0].params, {});
  // PCI line interrupt: level-sensitive, shared; IRQL = vector >> 4; all CPUs.
  assert.deepEqual(c.devices[0].resources[0], { type: 'interrupt', vector: 0x61, level: 6, affinity: 3, affinityMask: 3n, mode: 'levelSensitive', shared: true, message: false });
  // ISA: latched, exclusive.
  assert.deepEqual(c.devices[1].resources[0], { type: 'interrupt', vector: 0x71, level: 7, affinity: 3, affinityMask: 3n, mode: 'latched', shared: false, message: false });
});

test('default affinity covers every CPU, exactly even with 64', () => {
  for (const cpus of [1, 4, 32, 33, 64]) {
    const r = parse(minimal({ machine: { cpus }, devices: [device()] }));
    assert.deepEqual(r.errors, [], `cpus ${cpus}`);
    const irq = r.config!.devices[0].resources[1];
    assert.ok(irq.type === 'interrupt');
    assert.equal(irq.affinityMask, (1n << BigInt(cpus)) - 1n);
    if (cpus <= 53) assert.equal(irq.affinity, 2 ** cpus - 1);
  }
});

test('MSI defaults to latched and unshared', () => {
  const r = parse(minimal({ devices: [device({ resources: [{ type: 'interrupt', vector: '0xA1', message: true }] })] }));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.config!.devices[0].resources[0], { type: 'interrupt', vector: 0xa1, level: 10, affinity: 3, affinityMask: 3n, mode: 'latched', shared: false, message: true });
});

test('the full-featured project parses and decodes every field', () => {
  const r = parse(FULL, 'C:\\work\\full');
  assert.deepEqual(r.errors, []);
  const c = r.config!;
  assert.deepEqual(c.sources, ['C:/work/full/driver.c', 'C:/work/full/sub/util.c']);
  assert.deepEqual(c.includePaths, ['C:/work/full', 'C:/work/full/inc']);
  assert.deepEqual(c.defines, [
    ['DBG', '1'],
    ['NAME', '"x"'],
    ['FLAG', undefined],
    ['ON', undefined],
  ]);
  assert.equal(c.description, 'every feature');
  assert.deepEqual(c.machine.cost, { statement: 2, ddiCall: 30, portIo: 1000, registerIo: 100, interruptEntry: 500, interruptExit: 250, dpcDispatch: 200, contextSwitch: 2000 });
  assert.equal(c.machine.interruptDelivery, 'round-robin');
  assert.equal(c.devices[1].hardwareId, 'ISA\\KDSIM_GENERIC');
  assert.deepEqual(c.devices[1].resources[0], { type: 'port', start: 0x3f8, length: 8 });
  assert.equal(c.scenario.untilNs, 50e6);
  assert.deepEqual(c.scenario.stimuli, [
    { kind: 'interrupt', device: 'dev0', atNs: 1e6, data: 0x1234 },
    { kind: 'periodic', device: 'dev0', startNs: 2e6, periodNs: 1e5, count: 10 },
    { kind: 'burst', device: 'uart', atNs: 5e6, count: 4, spacingNs: 2000, data: 7 },
    { kind: 'random', device: 'dev0', startNs: 10e6, endNs: 20e6, count: 5, seed: 9 },
  ]);
  assert.deepEqual(c.scenario.requests, [
    { major: 'create', atNs: 0 },
    { major: 'read', atNs: 1e6, length: 4, cancelAfterNs: 10e6 },
    { major: 'write', device: 'dev0', atNs: 2e6, length: 3, data: [1, 2, 3] },
    { major: 'ioctl', atNs: 3e6, length: 8, ioctl: 0x222004, data: [0] },
    { major: 'close', atNs: 40e6 },
  ]);
  assert.deepEqual(c.scenario.expect, [
    { kind: 'no-bugcheck' },
    { kind: 'dbgprint', match: 'sample [0-9]+', count: 3 },
    { kind: 'dbgprint', match: 'started', min: 1, max: 2 },
    { kind: 'irp-complete', request: 1, status: 0, withinNs: 1e6, information: 4 },
    { kind: 'dpc-runs', routine: 'SmpDpcForIsr', min: 1 },
    { kind: 'isr-runs', routine: 'SmpIsr', min: 16, max: 16 },
    { kind: 'max-duration', routine: 'SmpIsr', ns: 25000 },
    { kind: 'max-isr-to-dpc-latency', ns: 50000 },
    { kind: 'no-leaks' },
  ]);
  assert.deepEqual(c.verifier, { enabled: true, forceIrqlChecking: false, poolTracking: true, guidanceWarnings: false });
  assert.deepEqual(c.watchdog, { dpcTimeLimitTicks: 100, dpcWatchdogPeriodTicks: 600, isrWarnUs: 10, dpcWarnUs: 50.5 });
});

test('expectation shorthands: bare runs means at least once, bug check by name or number, verifier: false', () => {
  const r = parse(
    minimal({
      verifier: false,
      scenario: {
        requests: [{ major: 'read', length: 4 }],
        expect: [{ dpcRuns: 'Dpc' }, { isrRuns: 'Isr', max: 3 }, { bugCheck: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL' }, { bugCheck: 0x133, p1: '0x1' }, { irpCompletes: 0, status: '0xC0000120' }, { irpCompletes: 0, status: -1073741536 }],
      },
    }),
  );
  assert.deepEqual(
    r.errors.filter((e) => e.severity === 'error'),
    [],
  );
  assert.equal(r.config!.verifier.enabled, false);
  assert.deepEqual(r.config!.scenario.expect, [
    { kind: 'dpc-runs', routine: 'Dpc', min: 1 },
    { kind: 'isr-runs', routine: 'Isr', max: 3 },
    { kind: 'bugcheck', code: 0xd1 },
    { kind: 'bugcheck', code: 0x133, p1: 1n },
    { kind: 'irp-complete', request: 0, status: 0xc0000120 },
    { kind: 'irp-complete', request: 0, status: 0xc0000120 },
  ]);
});

test('a periodic stimulus without count runs until the end of the scenario', () => {
  const r = parse(minimal({ devices: [device()], scenario: { until: '1ms', stimuli: [{ kind: 'periodic', device: 'd0', start: '100us', period: '100us' }] } }));
  assert.deepEqual(r.errors, []);
  const s = r.config!.scenario.stimuli[0];
  assert.ok(s.kind === 'periodic');
  assert.equal(s.count, 9); // 100us, 200us, ... 900us: all before 1ms
});

test('a random stimulus defaults its window to [0, until)', () => {
  const r = parse(minimal({ devices: [device()], scenario: { until: '2ms', stimuli: [{ kind: 'random', device: 'd0', count: 3 }] } }));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.config!.scenario.stimuli[0], { kind: 'random', device: 'd0', startNs: 0, endNs: 2e6, count: 3 });
});

test('JSON syntax errors carry line and column', () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['{\n  "sources": ["a.c"],\n}\n', 2, 21, /trailing comma/],
    ['{\n  "sources": ["a.c",]\n}', 2, 20, /trailing comma/],
    ['{\n  "sources": ["a.c"]\n  "name": "x"\n}', 3, 3, /expected ',' or '}'/],
    ['{ "a": 0x91 }', 1, 8, /hex numbers as strings/],
    ['{\n  // comment\n  "a": 1\n}', 2, 3, /comments are not allowed/],
    ['{ "a": "C:\\drivers" }', 1, 11, /invalid escape/],
    ["{ 'a': 1 }", 1, 3, /double quotes/],
    ['{ "a": 1', 1, 9, /end of file/],
    ['{ "a": "x\ny" }', 1, 8, /unterminated string/],
    ['{ "a": tru }', 1, 8, /unexpected character/],
    ['{ "a": 1 } x', 1, 12, /after the end/],
    ['', 1, 1, /empty/],
    ['{ "a": 01 }', 1, 8, /invalid number/],
    ['{ "a": "tab\there" }', 1, 12, /control character/],
  ];
  for (const [text, line, column, re] of cases) {
    const r = parseProject(text, '/p');
    assert.equal(r.config, undefined);
    assert.equal(r.errors.length, 1, text);
    const e = r.errors[0];
    assert.match(e.message, re, text);
    assert.equal(e.severity, 'error');
    assert.equal(e.path, '');
    assert.deepEqual([e.line, e.column], [line, column], `${JSON.stringify(text)}: ${e.message}`);
  }
});

test('a byte-order mark and __proto__ keys are harmless', () => {
  const r = parseProject('\uFEFF{"sources": ["a.c"], "devices": [{"id": "d", "params": {"__proto__": {"x": 1}}}]}', '/p');
  assert.deepEqual(r.errors, []);
  const params = r.config!.devices[0].params;
  assert.deepEqual(Object.keys(params), ['__proto__']);
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
});

test('semantic errors carry the position of the offending value', () => {
  const text = '{\n  "sources": ["a.c"],\n  "machine": {\n    "cpus": 0\n  }\n}\n';
  const r = parseProject(text, '/p');
  assert.deepEqual(r.errors, [{ path: '/machine/cpus', message: 'must be between 1 and 64 (got 0)', severity: 'error', line: 4, column: 13 }]);
  // Unknown properties point at the name; missing ones at the enclosing object.
  const u = parseProject('{\n  "sources": ["a.c"],\n  "machin": {}\n}', '/p');
  assert.deepEqual(
    u.errors.map((e) => [e.severity, e.path, e.line, e.column]),
    [['warning', '/machin', 3, 3]],
  );
  assert.match(u.errors[0].message, /did you mean 'machine'/);
  assert.ok(u.config, 'warnings alone still give a config');
  const m = parseProject('{\n  "name": "x"\n}', '/p');
  assert.deepEqual(
    m.errors.map((e) => [e.path, e.line, e.column]),
    [['/sources', 1, 1]],
  );
});

test('top-level and machine errors', () => {
  expectProblem([], '', /must be an object/);
  expectProblem({}, '/sources', /missing required property 'sources'/);
  expectProblem({ sources: [] }, '/sources', /lists no C files/);
  expectProblem({ sources: 'a.c' }, '/sources', /must be an array/);
  expectProblem({ sources: ['a.c', 3] }, '/sources/1', /must be a string/);
  expectProblem({ sources: ['a.h'] }, '/sources/0', /not a \.c file/, 'warning');
  expectProblem({ sources: ['a.c', './a.c'] }, '/sources/1', /listed twice/, 'warning');
  expectProblem(minimal({ name: '' }), '/name', /must not be empty/);
  expectProblem(minimal({ includePaths: [''] }), '/includePaths/0', /must not be empty/);
  expectProblem(minimal({ defines: { '1X': 1 } }), '/defines/1X', /not a valid macro name/);
  expectProblem(minimal({ defines: { X: false } }), '/defines/X', /string, a number or null/);
  expectProblem(minimal({ defines: { X: [1] } }), '/defines/X', /string, a number or null/);
  expectProblem(minimal({ machine: { cpus: 65 } }), '/machine/cpus', /between 1 and 64/);
  expectProblem(minimal({ machine: { cpus: 1.5 } }), '/machine/cpus', /integer/);
  expectProblem(minimal({ machine: { seed: -1 } }), '/machine/seed', /at least 0/);
  expectProblem(minimal({ machine: { interruptDelivery: 'lowest' } }), '/machine/interruptDelivery', /one of 'lowest-irql'/);
  expectProblem(minimal({ machine: { memoryMiB: 1 } }), '/machine/memoryMiB', /between 16 and 4096/);
  expectProblem(minimal({ machine: { timeIncrement: 200000 } }), '/machine/timeIncrement', /5000/, 'warning');
  expectProblem(minimal({ machine: { cost: { portIo: '1 parsec' } } }), '/machine/cost/portIo', /must be a duration/);
  expectProblem(minimal({ machine: { cost: { portio: 3 } } }), '/machine/cost/portio', /did you mean 'portIo'/, 'warning');
  expectProblem(minimal({ machine: 3 }), '/machine', /must be an object/);
  expectProblem(minimal({ verifier: { poolTracking: 'yes' } }), '/verifier/poolTracking', /true or false/);
  expectProblem(minimal({ verifier: 'off' }), '/verifier', /must be an object/);
  expectProblem(minimal({ watchdog: { dpcTimeLimitTicks: 0 } }), '/watchdog/dpcTimeLimitTicks', /between 1/);
  expectProblem(minimal({ watchdog: { dpcWarnUs: -5 } }), '/watchdog/dpcWarnUs', /greater than 0/);
  expectProblem(minimal({ watchdog: { dpcTimeLimitTicks: 100, dpcWatchdogPeriodTicks: 50 } }), '/watchdog/dpcWatchdogPeriodTicks', /shorter/, 'warning');
  expectProblem('{"sources": ["a.c"], "name": "a", "name": "b"}', '/name', /more than once/, 'warning');
});

test('device and resource errors', () => {
  const withDevice = (d: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => minimal({ devices: [device(d)], ...extra });
  const irq = (r: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => withDevice({ resources: [{ type: 'interrupt', vector: '0x91', ...r }] }, extra);
  expectProblem(minimal({ devices: [{}] }), '/devices/0/id', /missing required property 'id'/);
  expectProblem(withDevice({ id: '0bad' }), '/devices/0/id', /valid id/);
  expectProblem(minimal({ devices: [device(), device()] }), '/devices/1/id', /duplicate device id 'd0'/);
  expectProblem(withDevice({ bus: 'usb' }), '/devices/0/bus', /one of 'pci', 'isa', 'root'/);
  expectProblem(withDevice({ resources: [{ start: 1 }] }), '/devices/0/resources/0/type', /missing required property 'type'/);
  expectProblem(withDevice({ resources: [{ type: 'dma' }] }), '/devices/0/resources/0/type', /one of 'port', 'memory', 'interrupt'/);
  expectProblem(withDevice({ resources: [{ type: 'memory', length: 4 }] }), '/devices/0/resources/0/start', /missing required property 'start'/);
  expectProblem(withDevice({ resources: [{ type: 'memory', start: 0, length: 4 }] }), '/devices/0/resources/0/start', /between 1/);
  expectProblem(withDevice({ resources: [{ type: 'memory', start: '0xZZ', length: 4 }] }), '/devices/0/resources/0/start', /hex string/);
  expectProblem(withDevice({ resources: [{ type: 'port', start: '0xFFFC', length: 8 }] }), '/devices/0/resources/0/length', /past the end/);
  expectProblem(withDevice({ resources: [{ type: 'port', start: '0x300', length: 0 }] }), '/devices/0/resources/0/length', /between 1/);
  expectProblem(withDevice({ resources: [{ type: 'memory', start: '0x1000', length: 4, vector: 3 }] }), '/devices/0/resources/0/vector', /unknown property 'vector' for a memory resource/, 'warning');
  expectProblem(irq({ vector: undefined }), '/devices/0/resources/0/vector', /missing required property 'vector'/);
  expectProblem(irq({ vector: '0x2F' }), '/devices/0/resources/0/vector', /between 48 and 255/);
  expectProblem(irq({ vector: '0x100' }), '/devices/0/resources/0/vector', /between 48 and 255/);
  expectProblem(irq({ vector: '0xE1' }), '/devices/0/resources/0/vector', /maps to IRQL 14/);
  expectProblem(irq({ level: 13 }), '/devices/0/resources/0/level', /between 3 and 12/);
  expectProblem(irq({ level: 2 }), '/devices/0/resources/0/level', /between 3 and 12/);
  expectProblem(irq({ level: 8 }), '/devices/0/resources/0/level', /IRQL of vector 0x91 is 9/, 'warning');
  expectProblem(irq({ affinity: '0xC' }), '/devices/0/resources/0/affinity', /selects no existing processor/);
  expectProblem(irq({ affinity: 0 }), '/devices/0/resources/0/affinity', /64-bit processor mask|selects no/);
  expectProblem(irq({ affinity: '0x10000000000000000' }), '/devices/0/resources/0/affinity', /64-bit processor mask/);
  expectProblem(irq({ affinity: '0x7' }), '/devices/0/resources/0/affinity', /bits above CPU 1 are ignored/, 'warning');
  expectProblem(irq({ mode: 'edge' }), '/devices/0/resources/0/mode', /one of 'levelSensitive', 'latched'/);
  expectProblem(irq({ shared: 'yes' }), '/devices/0/resources/0/shared', /true or false/);
  expectProblem(irq({ message: true, mode: 'levelSensitive' }), '/devices/0/resources/0/mode', /edge-triggered/);
  expectProblem(withDevice({ bus: 'isa', resources: [{ type: 'interrupt', vector: '0x91', message: true }] }), '/devices/0/resources/0/message', /only on PCI/);
  expectProblem(withDevice({ registers: { STATUS: -1 } }), '/devices/0/registers/STATUS', /between 0/);
  expectProblem(withDevice({ registers: { FAR: '0x40' } }), '/devices/0/registers/FAR', /beyond the device's register ranges/, 'warning');
  expectProblem(withDevice({ params: [] }), '/devices/0/params', /must be an object/);
  expectProblem(withDevice({ modle: 'x' }), '/devices/0/modle', /did you mean 'model'/, 'warning');
  // Cross-device conflicts.
  const two = (a: Record<string, unknown>[], b: Record<string, unknown>[]): unknown => minimal({ devices: [{ id: 'a', resources: a }, { id: 'b', resources: b }] });
  expectProblem(two([{ type: 'memory', start: '0x1000', length: 16 }], [{ type: 'memory', start: '0x100F', length: 1 }]), '/devices/1/resources/0/start', /overlaps device 'a'/);
  expectProblem(two([{ type: 'port', start: '0x300', length: 8 }], [{ type: 'memory', start: '0x300', length: 8 }, { type: 'port', start: '0x304', length: 2 }]), '/devices/1/resources/1/start', /port range 0x304\.\.0x305 overlaps device 'a'/);
  expectProblem(two([{ type: 'interrupt', vector: '0x91' }], [{ type: 'interrupt', vector: '0x91', shared: false }]), '/devices/1/resources/0/vector', /not shared by both/);
  expectProblem(two([{ type: 'interrupt', vector: '0x91' }], [{ type: 'interrupt', vector: '0x91', mode: 'latched' }]), '/devices/1/resources/0/mode', /one trigger mode/);
  expectProblem(two([{ type: 'interrupt', vector: '0x91', message: true }], [{ type: 'interrupt', vector: '0x91' }]), '/devices/1/resources/0/vector', /cannot be shared/);
  // Shared PCI lines are fine.
  assert.deepEqual(parse(two([{ type: 'interrupt', vector: '0x91' }], [{ type: 'interrupt', vector: '0x91' }])).errors, []);
});

test('scenario errors', () => {
  const sc = (scenario: Record<string, unknown>): unknown => minimal({ devices: [device(), { id: 'quiet', resources: [{ type: 'memory', start: '0xE0000000', length: 4 }] }], scenario });
  expectProblem(sc({ until: '5 parsecs' }), '/scenario/until', /must be a duration/);
  expectProblem(sc({ until: 0 }), '/scenario/until', /longer than 0/);
  expectProblem(sc({ until: '-1ms' }), '/scenario/until', /must be a duration/);
  expectProblem(sc({ stimuli: {} }), '/scenario/stimuli', /must be an array/);
  expectProblem(sc({ stimuli: [{ device: 'd0', at: 0 }] }), '/scenario/stimuli/0/kind', /missing required property 'kind'/);
  expectProblem(sc({ stimuli: [{ kind: 'once', device: 'd0' }] }), '/scenario/stimuli/0/kind', /one of 'interrupt'/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', at: 0 }] }), '/scenario/stimuli/0/device', /missing required property 'device'/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'd1', at: 0 }] }), '/scenario/stimuli/0/device', /no device has id 'd1' \(did you mean 'd0'\?\)/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'quiet', at: 0 }] }), '/scenario/stimuli/0/device', /no interrupt resource/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'd0' }] }), '/scenario/stimuli/0/at', /missing required property 'at'/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'd0', at: '1 ms', data: -1 }] }), '/scenario/stimuli/0/data', /between 0 and 4294967295/);
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'd0', at: '2s' }] }), '/scenario/stimuli/0', /never delivered/, 'warning');
  expectProblem(sc({ stimuli: [{ kind: 'interrupt', device: 'd0', at: 0, period: '1ms' }] }), '/scenario/stimuli/0/period', /unknown property 'period' for a 'interrupt' stimulus/, 'warning');
  expectProblem(sc({ stimuli: [{ kind: 'periodic', device: 'd0' }] }), '/scenario/stimuli/0/period', /missing required property 'period'/);
  expectProblem(sc({ stimuli: [{ kind: 'periodic', device: 'd0', period: 0 }] }), '/scenario/stimuli/0/period', /longer than 0/);
  expectProblem(sc({ stimuli: [{ kind: 'periodic', device: 'd0', period: '1us', count: 0 }] }), '/scenario/stimuli/0/count', /between 1/);
  expectProblem(sc({ stimuli: [{ kind: 'periodic', device: 'd0', period: 1, count: 1e6 }, { kind: 'interrupt', device: 'd0', at: 0 }] }), '/scenario/stimuli', /more than the 1000000 allowed/);
  expectProblem(sc({ stimuli: [{ kind: 'burst', device: 'd0', at: 0, count: 2 }] }), '/scenario/stimuli/0/spacing', /missing required property 'spacing'/);
  expectProblem(sc({ stimuli: [{ kind: 'random', device: 'd0', start: '2ms', end: '1ms', count: 2 }] }), '/scenario/stimuli/0/end', /window is empty/);
  expectProblem(sc({ stimuli: [{ kind: 'random', device: 'd0', count: 2, seed: 'abc' }] }), '/scenario/stimuli/0/seed', /integer/);
  expectProblem(sc({ requests: [{}] }), '/scenario/requests/0/major', /missing required property 'major'/);
  expectProblem(sc({ requests: [{ major: 'open' }] }), '/scenario/requests/0/major', /one of 'create'/);
  expectProblem(sc({ requests: [{ major: 'ioctl' }] }), '/scenario/requests/0/ioctl', /missing required property 'ioctl'/);
  expectProblem(sc({ requests: [{ major: 'read', ioctl: 1 }] }), '/scenario/requests/0/ioctl', /meaningless/, 'warning');
  expectProblem(sc({ requests: [{ major: 'read', data: [1] }] }), '/scenario/requests/0/data', /carries no input data/, 'warning');
  expectProblem(sc({ requests: [{ major: 'write', data: [1, 256] }] }), '/scenario/requests/0/data/1', /between 0 and 255/);
  expectProblem(sc({ requests: [{ major: 'write', device: 'nope' }] }), '/scenario/requests/0/device', /no device has id 'nope'/);
  expectProblem(sc({ requests: [{ major: 'read', cancelAfter: 0 }] }), '/scenario/requests/0/cancelAfter', /longer than 0/);
  expectProblem(sc({ requests: [{ major: 'read', length: -1 }] }), '/scenario/requests/0/length', /between 0/);
});

test('expectation errors', () => {
  const ex = (expect: unknown[], requests: unknown[] = [{ major: 'read' }]): unknown => minimal({ scenario: { requests, expect } });
  expectProblem(ex(['noBugCheck']), '/scenario/expect/0', /must be an object/);
  expectProblem(ex([{}]), '/scenario/expect/0', /needs one of 'noBugCheck'/);
  expectProblem(ex([{ noBugcheck: true }]), '/scenario/expect/0', /did you mean 'noBugCheck'/);
  expectProblem(ex([{ noBugCheck: true, noLeaks: true }]), '/scenario/expect/0/noLeaks', /one check per expectation/);
  expectProblem(ex([{ noBugCheck: false }]), '/scenario/expect/0/noBugCheck', /must be true/);
  expectProblem(ex([{ noLeaks: 1 }]), '/scenario/expect/0/noLeaks', /must be true/);
  expectProblem(ex([{ bugCheck: 'IRQL_BAD' }]), '/scenario/expect/0/bugCheck', /bug check code/);
  expectProblem(ex([{ bugCheck: '0xD1', p1: 'x' }]), '/scenario/expect/0/p1', /64-bit number/);
  expectProblem(ex([{ dbgPrint: '(' }]), '/scenario/expect/0/dbgPrint', /not a valid regular expression/);
  expectProblem(ex([{ dbgPrint: '' }]), '/scenario/expect/0/dbgPrint', /must not be empty/);
  expectProblem(ex([{ dbgPrint: 'x', count: 1, max: 2 }]), '/scenario/expect/0/count', /not both/);
  expectProblem(ex([{ dbgPrint: 'x', min: 3, max: 2 }]), '/scenario/expect/0/max', /below min/);
  expectProblem(ex([{ irpCompletes: 1 }]), '/scenario/expect/0/irpCompletes', /no request 1/);
  expectProblem(ex([{ irpCompletes: 0 }], []), '/scenario/expect/0/irpCompletes', /sends no requests/);
  expectProblem(ex([{ irpCompletes: 0, status: 'STATUS_SUCESS' }]), '/scenario/expect/0/status', /did you mean 'STATUS_SUCCESS'/);
  expectProblem(ex([{ irpCompletes: 0, status: 0x1_0000_0000 }]), '/scenario/expect/0/status', /NTSTATUS/);
  expectProblem(ex([{ irpCompletes: 0, within: 'soon' }]), '/scenario/expect/0/within', /must be a duration/);
  expectProblem(ex([{ irpCompletes: 0, statsu: 0 }]), '/scenario/expect/0/statsu', /did you mean 'status'/, 'warning');
  expectProblem(ex([{ dpcRuns: 'My Dpc' }]), '/scenario/expect/0/dpcRuns', /C function name/);
  expectProblem(ex([{ isrRuns: 'Isr', min: -1 }]), '/scenario/expect/0/min', /at least 0/);
  expectProblem(ex([{ maxDuration: '10us' }]), '/scenario/expect/0/routine', /missing required property 'routine'/);
  expectProblem(ex([{ maxDuration: 0, routine: 'Isr' }]), '/scenario/expect/0/maxDuration', /longer than 0/);
  expectProblem(ex([{ maxIsrToDpcLatency: 'fast' }]), '/scenario/expect/0/maxIsrToDpcLatency', /must be a duration/);
  expectProblem(minimal({ verifier: { poolTracking: false }, scenario: { expect: [{ noLeaks: true }] } }), '/scenario/expect/0', /poolTracking/, 'warning');
});

test('every problem is reported in one pass, in file order', () => {
  const r = parse(minimal({ machine: { cpus: 0, seed: 'x' }, devices: [{ id: 'a', bus: 'usb' }], scenario: { until: 'never' } }));
  assert.deepEqual(
    r.errors.map((e) => e.path),
    ['/machine/cpus', '/machine/seed', '/devices/0/bus', '/scenario/until'],
  );
});

test('parseDuration', () => {
  assert.equal(parseDuration('50ms'), 50e6);
  assert.equal(parseDuration('2s'), 2e9);
  assert.equal(parseDuration('100us'), 1e5);
  assert.equal(parseDuration('100µs'), 1e5);
  assert.equal(parseDuration('1500ns'), 1500);
  assert.equal(parseDuration('1.5ms'), 1.5e6);
  assert.equal(parseDuration(' 10 us '), 1e4);
  assert.equal(parseDuration('.5us'), 500);
  assert.equal(parseDuration(1500), 1500);
  assert.equal(parseDuration(0), 0);
  assert.equal(parseDuration(2.6), 3);
  for (const bad of ['', '10', 'ms', '10 m', '-1ms', '1e3ns', '10sec', -1, NaN, Infinity, null, true, [], '1.ms']) {
    assert.equal(parseDuration(bad), undefined, String(bad));
  }
});

test('parseNumber', () => {
  assert.equal(parseNumber('0x91'), 0x91);
  assert.equal(parseNumber('0XfeBF0000'), 0xfebf0000);
  assert.equal(parseNumber('145'), 145);
  assert.equal(parseNumber(145), 145);
  assert.equal(parseNumber(-3), -3);
  assert.equal(parseNumber(1.5), 1.5);
  for (const bad of ['0x', '0x1g', '-0x1', '1e3', '', ' ', 'abc', '0xFFFFFFFFFFFFFFFF', null, true, {}, NaN, Infinity]) {
    assert.equal(parseNumber(bad), undefined, String(bad));
  }
});

test('status and bug check names', () => {
  assert.equal(STATUS_NAMES.STATUS_SUCCESS, 0);
  assert.equal(STATUS_NAMES.STATUS_PENDING, 0x103);
  assert.equal(STATUS_NAMES.STATUS_CANCELLED, 0xc0000120);
  assert.equal(statusName(0), 'STATUS_SUCCESS', 'the canonical name wins over STATUS_WAIT_0');
  assert.equal(statusName(0xc000000d), 'STATUS_INVALID_PARAMETER');
  assert.equal(statusName(-1073741811), 'STATUS_INVALID_PARAMETER', 'signed NTSTATUS values work too');
  assert.equal(statusName(0xc0001234), undefined);
  assert.equal(parseStatus('STATUS_DEVICE_BUSY'), 0x80000011);
  assert.equal(parseStatus('0xC0000001'), 0xc0000001);
  assert.equal(parseStatus(-1073741823), 0xc0000001);
  assert.equal(parseStatus('STATUS_NOPE'), undefined);
  assert.equal(parseBugCheckCode('DPC_WATCHDOG_VIOLATION'), 0x133);
  assert.equal(parseBugCheckCode('0xd1'), 0xd1);
  assert.equal(BUGCHECK_NAMES.DRIVER_IRQL_NOT_LESS_OR_EQUAL, 0xd1);
  for (const name of ['STATUS_SUCCESS', 'STATUS_PENDING', 'STATUS_CANCELLED', 'STATUS_INVALID_PARAMETER', 'STATUS_INVALID_DEVICE_REQUEST', 'STATUS_BUFFER_TOO_SMALL', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_DEVICE_NOT_READY', 'STATUS_TIMEOUT', 'STATUS_UNSUCCESSFUL', 'STATUS_NOT_SUPPORTED', 'STATUS_IO_TIMEOUT', 'STATUS_DELETE_PENDING', 'STATUS_NO_SUCH_DEVICE', 'STATUS_DEVICE_BUSY']) {
    assert.ok(Object.hasOwn(STATUS_NAMES, name), name);
  }
});

test('STATUS_NAMES agrees with the simulated ntstatus.h', () => {
  const header = readFileSync(join(root, 'kernel-sim', 'include', 'ntstatus.h'), 'utf8');
  const fromHeader = new Map<string, number>();
  for (const m of header.matchAll(/#define\s+(STATUS_\w+)\s+\(\(NTSTATUS\)0x([0-9A-Fa-f]+)L\)/g)) fromHeader.set(m[1], parseInt(m[2], 16));
  assert.ok(fromHeader.size > 50);
  for (const [name, value] of Object.entries(STATUS_NAMES)) assert.equal(value, fromHeader.get(name), name);
});

// ---- The JSON Schema ----------------------------------------------------------------------

type SchemaNode = {
  description?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  default?: unknown;
  enum?: unknown[];
  required?: string[];
  definitions?: Record<string, SchemaNode>;
};

const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode & { $schema: string };

function deref(n: SchemaNode): SchemaNode {
  if (!n.$ref) return n;
  const name = n.$ref.replace('#/definitions/', '');
  const target = schema.definitions?.[name];
  assert.ok(target, `dangling $ref ${n.$ref}`);
  return { ...target, ...n, $ref: undefined };
}

/** The object schemas a value may match: the node itself or its oneOf/anyOf branches. */
function branches(n: SchemaNode): SchemaNode[] {
  const d = deref(n);
  const alts = [...(d.oneOf ?? []), ...(d.anyOf ?? [])];
  return alts.length ? [d, ...alts.flatMap(branches)] : [d];
}

function propertySchema(n: SchemaNode, key: string, value: Record<string, unknown>): SchemaNode | undefined {
  const fits = branches(n).filter((b) => b.properties && Object.keys(value).every((k) => k in b.properties!));
  for (const b of fits.length ? fits : branches(n)) {
    if (b.properties?.[key]) return b.properties[key];
    if (typeof b.additionalProperties === 'object') return b.additionalProperties;
  }
  return undefined;
}

/** Pointers of members of `value` the schema does not describe. */
function undescribed(n: SchemaNode, value: unknown, ptr: string, out: string[]): string[] {
  if (Array.isArray(value)) {
    const items = branches(n).find((b) => b.items)?.items;
    if (!items) out.push(`${ptr} (no items schema)`);
    else value.forEach((v, i) => undescribed(items, v, `${ptr}/${i}`, out));
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const p = propertySchema(n, k, obj);
      if (!p) out.push(`${ptr}/${k} (not in the schema)`);
      else if (!deref(p).description) out.push(`${ptr}/${k} (no description)`);
      // params are free-form model parameters: not described by the project schema.
      else if (k !== 'params') undescribed(p, v, `${ptr}/${k}`, out);
    }
  }
  return out;
}

test('the schema is valid draft-07 JSON with descriptions everywhere', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  // Every property declared anywhere in the schema has a description.
  const missing: string[] = [];
  const visit = (n: unknown, ptr: string): void => {
    if (typeof n !== 'object' || n === null) return;
    const node = n as SchemaNode;
    for (const [k, p] of Object.entries(node.properties ?? {})) {
      if (!deref(p).description) missing.push(`${ptr}/properties/${k}`);
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object') visit(v, `${ptr}/${k}`);
  };
  visit(schema, '#');
  assert.deepEqual(missing, []);
});

test('every property of the example and of the full project is described by the schema', () => {
  const example = JSON.parse(readFileSync(join(exampleDir, 'kdsim.json'), 'utf8')) as unknown;
  assert.deepEqual(undescribed(schema, example, '', []), []);
  assert.deepEqual(undescribed(schema, FULL, '', []), []);
});

test('schema defaults and name lists match the parser', () => {
  const p = schema.properties!;
  const machine = p.machine.properties!;
  assert.equal(machine.cpus.default, DEFAULT_MACHINE.cpus);
  assert.equal(machine.seed.default, DEFAULT_MACHINE.seed);
  assert.equal(machine.timeIncrement.default, DEFAULT_MACHINE.timeIncrement);
  assert.equal(machine.interruptDelivery.default, DEFAULT_MACHINE.interruptDelivery);
  assert.equal(machine.memoryMiB.default, DEFAULT_MACHINE.memoryMiB);
  for (const [k, v] of Object.entries(DEFAULT_COST)) assert.equal(machine.cost.properties![k].default, v, k);
  assert.deepEqual(Object.keys(machine.cost.properties!).sort(), Object.keys(DEFAULT_COST).sort());
  for (const [k, v] of Object.entries(DEFAULT_WATCHDOG)) assert.equal(p.watchdog.properties![k].default, v, k);
  assert.deepEqual(p.verifier.default, DEFAULT_VERIFIER);
  assert.equal(parseDuration(p.scenario.properties!.until.default), 1e9);
  const defs = schema.definitions!;
  assert.deepEqual(defs.ntstatus.anyOf![0].enum, Object.keys(STATUS_NAMES));
  assert.deepEqual(defs.bugCheckCode.anyOf![0].enum, Object.keys(BUGCHECK_NAMES));
  // Every expectation key the parser knows has a schema branch, and vice versa.
  const expectKeys = p.scenario.properties!.expect.items!.oneOf!.map((b) => b.required![0]);
  assert.deepEqual(expectKeys.sort(), Object.keys(EXPECTATION_KEYS).sort());
});

test('formatProjectError looks like a compiler diagnostic', () => {
  assert.equal(formatProjectError('kdsim.json', { path: '/machine/cpus', message: 'bad', severity: 'error', line: 3, column: 5 }), 'kdsim.json:3:5: error: bad [/machine/cpus]');
  assert.equal(formatProjectError('kdsim.json', { path: '', message: 'bad', severity: 'warning' }), 'kdsim.json: warning: bad');
});

test("an 'action' stimulus carries the model's action and arguments; it needs no interrupt resource", () => {
  const uart = { id: 'com1', model: 'uart16550', bus: 'isa', hardwareId: '*PNP0501', resources: [{ type: 'port', start: '0x3F8', length: 8 }] };
  const r = parse(minimal({ devices: [uart], scenario: { stimuli: [{ kind: 'action', device: 'com1', at: '1ms', action: 'receive', args: { bytes: 'hi' } }] } }));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.config?.scenario.stimuli[0], { kind: 'action', device: 'com1', atNs: 1_000_000, action: 'receive', args: { bytes: 'hi' } });
  expectProblem(minimal({ devices: [uart], scenario: { stimuli: [{ kind: 'action', device: 'com1', at: '1ms' }] } }), '/scenario/stimuli/0/action', /missing required property 'action'/);
});

// ISR/DPC statistics over realistic event sequences: nesting, coalescing, targeting,
// re-queueing, histogram edges, ISR→DPC latency pairing and the text output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../kernel-sim/trace/events';
import {
  LATENCYMON_BOUNDS_US,
  computeStats,
  formatHistogram,
  formatStatsTable,
  histogram,
  type DpcRoutineStats,
  type IsrRoutineStats,
  type TraceStats,
} from '../../kernel-sim/trace/stats';

// Kernel-looking addresses for the KINTERRUPT and KDPC objects.
const NIC_INT = -0x7ff0000;
const DISK_INT = -0x7fe0000;
const TIMER_INT = -0x7fd0000;
const NIC_DPC = -0x7ef0000;
const DISK_DPC = -0x7ee0000;

const NIC_ISR = 'nic!NicIsr';
const DISK_ISR = 'disk!DiskIsr';
const NIC_DPCR = 'nic!NicDpc';
const DISK_DPCR = 'disk!DiskDpc';

function isrEnter(t: number, cpu: number, routine: string, interrupt: number, vector: number): TraceEvent {
  return { kind: 'isr-enter', t, cpu, vector, irql: vector >> 4, routine, interrupt };
}
function isrExit(t: number, cpu: number, routine: string, interrupt: number, vector: number, claimed = true): TraceEvent {
  return { kind: 'isr-exit', t, cpu, vector, routine, interrupt, claimed };
}
function queue(t: number, cpu: number, dpc: number, routine: string, inserted = true, target = cpu): TraceEvent {
  return { kind: 'dpc-queue', t, cpu, target, dpc, routine, importance: 1, inserted, threaded: false };
}
function run(t: number, cpu: number, dpc: number, routine: string, queuedAt = 0, threaded = false): TraceEvent {
  return { kind: 'dpc-run', t, cpu, dpc, routine, threaded, timer: false, queuedAt };
}
function finish(t: number, cpu: number, dpc: number, routine: string): TraceEvent {
  return { kind: 'dpc-finish', t, cpu, dpc, routine };
}

function isrRow(s: TraceStats, routine: string): IsrRoutineStats {
  const r = s.isr.routines.find((x) => x.routine === routine);
  assert.ok(r, `no ISR row for ${routine}`);
  return r;
}
function dpcRow(s: TraceStats, routine: string): DpcRoutineStats {
  const r = s.dpc.routines.find((x) => x.routine === routine);
  assert.ok(r, `no DPC row for ${routine}`);
  return r;
}

test('nested ISRs on one CPU: inclusive and exclusive times, CPU %, latency per pair', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51), // IRQL 5
    isrEnter(2_000, 0, DISK_ISR, DISK_INT, 0xb1), // IRQL 11 interrupts the NIC ISR
    queue(3_000, 0, DISK_DPC, DISK_DPCR),
    isrExit(5_000, 0, DISK_ISR, DISK_INT, 0xb1),
    queue(8_000, 0, NIC_DPC, NIC_DPCR),
    isrExit(10_000, 0, NIC_ISR, NIC_INT, 0x51),
    run(12_000, 0, DISK_DPC, DISK_DPCR),
    isrEnter(14_000, 0, NIC_ISR, NIC_INT, 0x51), // interrupts the disk DPC
    isrExit(15_000, 0, NIC_ISR, NIC_INT, 0x51, false),
    finish(20_000, 0, DISK_DPC, DISK_DPCR),
    run(20_000, 0, NIC_DPC, NIC_DPCR),
    finish(21_000, 0, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events, { totalNs: 100_000, cpuCount: 2 });

  const nic = isrRow(s, NIC_ISR);
  assert.equal(nic.key, 'nic!NicIsr@0x51');
  assert.equal(nic.count, 2);
  assert.equal(nic.totalNs, 11_000);
  assert.equal(nic.minNs, 1_000);
  assert.equal(nic.maxNs, 10_000);
  assert.equal(nic.avgNs, 5_500);
  assert.deepEqual(nic.maxAt, { t: 0, cpu: 0 });
  assert.equal(nic.exclusive.totalNs, 8_000, '10 µs minus the 3 µs nested disk ISR, plus 1 µs');
  assert.equal(nic.exclusive.maxNs, 7_000);
  assert.equal(nic.claimed, 1);
  assert.equal(nic.unclaimed, 1);
  assert.equal(nic.cpuPercent, 5.5); // 11 µs of 2 × 100 µs
  assert.equal(nic.exclusiveCpuPercent, 4);

  const disk = isrRow(s, DISK_ISR);
  assert.equal(disk.totalNs, 3_000);
  assert.equal(disk.exclusive.totalNs, 3_000);

  const diskDpc = dpcRow(s, DISK_DPCR);
  assert.equal(diskDpc.totalNs, 8_000);
  assert.equal(diskDpc.exclusive.totalNs, 7_000, 'the NIC ISR took 1 µs out of it');

  // Time in ISRs counts the nested interval once: 10 µs + 1 µs.
  assert.equal(s.isr.exclusiveNs, 11_000);
  assert.equal(s.isr.cpuPercent, 5.5);
  assert.equal(s.isr.all.count, 3);
  assert.equal(s.dpc.exclusiveNs, 8_000);
  assert.deepEqual(s.isr.highest, { key: 'nic!NicIsr@0x51', routine: NIC_ISR, ns: 10_000, t: 0, cpu: 0 });
  assert.deepEqual(s.isr.highestTotal, { key: 'nic!NicIsr@0x51', routine: NIC_ISR, percent: 5.5 });
  assert.deepEqual(s.isr.routines.map((r) => r.routine), [NIC_ISR, DISK_ISR], 'sorted by total time');

  // Each DPC is credited to the innermost ISR that queued it, from that ISR's return.
  const pairs = Object.fromEntries(s.latency.pairs.map((p) => [p.key, p]));
  assert.equal(pairs['disk!DiskIsr@0xb1 -> disk!DiskDpc'].maxNs, 7_000); // 12 − 5
  assert.equal(pairs['nic!NicIsr@0x51 -> nic!NicDpc'].maxNs, 10_000); // 20 − 10
  assert.equal(s.latency.all.count, 2);
  assert.equal(s.latency.all.maxNs, 10_000);
  assert.equal(s.latency.all.avgNs, 8_500);
  assert.deepEqual(s.latency.all.maxAt, { t: 20_000, cpu: 0 });
  assert.equal(s.unmatched, 0);
  assert.equal(s.unfinished, 0);
});

test('coalesced DPC: two ISRs, one insertion, one run, one latency sample', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    queue(500, 0, NIC_DPC, NIC_DPCR, true),
    isrExit(1_000, 0, NIC_ISR, NIC_INT, 0x51),
    isrEnter(2_000, 0, NIC_ISR, NIC_INT, 0x51),
    queue(2_500, 0, NIC_DPC, NIC_DPCR, false), // KeInsertQueueDpc returned FALSE
    isrExit(3_000, 0, NIC_ISR, NIC_INT, 0x51),
    run(4_000, 0, NIC_DPC, NIC_DPCR, 500),
    finish(5_000, 0, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events);
  assert.equal(isrRow(s, NIC_ISR).count, 2);
  assert.equal(dpcRow(s, NIC_DPCR).count, 1);
  assert.equal(s.latency.all.count, 1);
  assert.equal(s.latency.all.maxNs, 3_000, 'from the ISR that inserted it');
  assert.equal(s.totalNs, 5_000, 'defaults to the span of the trace');
  assert.equal(s.cpuCount, 1, 'defaults to the CPUs seen');
});

test('DPC targeted to CPU 1, including one that starts before its ISR returns', () => {
  // Recorded per CPU (CPU 0 slice, then CPU 1 slice): the stats must order by time.
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    queue(1_000, 0, NIC_DPC, NIC_DPCR, true, 1),
    isrExit(2_000, 0, NIC_ISR, NIC_INT, 0x51),
    isrEnter(10_000, 0, NIC_ISR, NIC_INT, 0x51),
    queue(10_500, 0, NIC_DPC, NIC_DPCR, true, 1),
    isrExit(11_000, 0, NIC_ISR, NIC_INT, 0x51),
    run(1_500, 1, NIC_DPC, NIC_DPCR), // CPU 1 starts the DPC while CPU 0 is still in the ISR
    finish(2_500, 1, NIC_DPC, NIC_DPCR),
    run(13_000, 1, NIC_DPC, NIC_DPCR),
    finish(14_000, 1, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events);
  assert.equal(s.cpuCount, 2);
  const dpc = dpcRow(s, NIC_DPCR);
  assert.equal(dpc.count, 2);
  assert.deepEqual(dpc.maxAt, { t: 1_500, cpu: 1 });
  assert.equal(s.latency.all.count, 2);
  assert.equal(s.latency.early, 1);
  assert.equal(s.latency.all.minNs, 0, 'an early start counts as no latency');
  assert.equal(s.latency.all.maxNs, 2_000);
  assert.deepEqual(s.latency.all.maxAt, { t: 13_000, cpu: 1 });
  assert.equal(s.latency.pairs[0].early, 1);
});

test('DPC re-queued while running: by an ISR, by itself, and run concurrently on another CPU', () => {
  const events: TraceEvent[] = [
    queue(0, 0, NIC_DPC, NIC_DPCR), // from a thread: no ISR to credit
    run(10_000, 0, NIC_DPC, NIC_DPCR),
    isrEnter(11_000, 0, NIC_ISR, NIC_INT, 0x51),
    queue(11_500, 0, NIC_DPC, NIC_DPCR, true), // DpcData was cleared before the routine ran
    isrExit(12_000, 0, NIC_ISR, NIC_INT, 0x51),
    finish(15_000, 0, NIC_DPC, NIC_DPCR),
    run(15_500, 0, NIC_DPC, NIC_DPCR), // latency 3.5 µs
    queue(15_800, 0, NIC_DPC, NIC_DPCR, true), // re-queues itself
    finish(16_000, 0, NIC_DPC, NIC_DPCR),
    run(18_000, 0, NIC_DPC, NIC_DPCR), // not credited to any ISR
    // While CPU 0 is still running it, an ISR on CPU 1 queues it there.
    isrEnter(19_000, 1, NIC_ISR, NIC_INT, 0x51),
    queue(19_500, 1, NIC_DPC, NIC_DPCR, true),
    isrExit(20_000, 1, NIC_ISR, NIC_INT, 0x51),
    run(21_000, 1, NIC_DPC, NIC_DPCR),
    finish(22_000, 1, NIC_DPC, NIC_DPCR),
    finish(30_000, 0, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events);
  const dpc = dpcRow(s, NIC_DPCR);
  assert.equal(dpc.count, 4);
  assert.equal(dpc.maxNs, 12_000); // CPU 0, 18 → 30 µs, unaffected by CPU 1's run
  assert.equal(dpc.minNs, 500);
  assert.equal(dpc.exclusive.totalNs, 5_000 - 1_000 + 500 + 12_000 + 1_000);
  assert.deepEqual(
    s.latency.pairs.map((p) => [p.count, p.minNs, p.maxNs]),
    [[2, 1_000, 3_500]],
  );
  assert.equal(s.unmatched, 0);
  assert.equal(s.unfinished, 0);
});

test('KeRemoveQueueDpc cancels the pending latency', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    queue(100, 0, NIC_DPC, NIC_DPCR),
    isrExit(200, 0, NIC_ISR, NIC_INT, 0x51),
    { kind: 'dpc-dequeue', t: 300, cpu: 0, dpc: NIC_DPC, routine: NIC_DPCR },
    queue(400, 0, NIC_DPC, NIC_DPCR), // queued again from a thread
    run(500, 0, NIC_DPC, NIC_DPCR),
    finish(600, 0, NIC_DPC, NIC_DPCR),
  ];
  assert.equal(computeStats(events).latency.all.count, 0);
});

test('histogram bucket edges: tracerpt and LatencyMon', () => {
  const h = histogram([0, 999, 1_000, 1_999, 2_000, 4_999, 5_000, 9_999, 10_000, 999_999, 1_000_000, 7_000_000]);
  const byLower = Object.fromEntries(h.buckets.map((b) => [b.lowerUs, b.count]));
  assert.equal(byLower[0], 2); // 0, 0.999
  assert.equal(byLower[1], 2, 'exactly 1 µs goes to [1,2)');
  assert.equal(byLower[2], 1);
  assert.equal(byLower[4], 1);
  assert.equal(byLower[5], 2);
  assert.equal(byLower[10], 1);
  assert.equal(byLower[500], 1);
  assert.equal(byLower[1000], 2);
  assert.equal(h.total, 12);
  assert.deepEqual(
    h.buckets.map((b) => [b.lowerUs, b.upperUs]),
    [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 10], [10, 25], [25, 50], [50, 100], [100, 250], [250, 500], [500, 1000], [1000, null]],
  );
  assert.equal(h.buckets.reduce((a, b) => a + b.percent, 0), 100);

  const lm = histogram([249_999, 250_000, 499_999, 500_000, 1_000_000, 2_000_000, 3_999_999, 4_000_000], LATENCYMON_BOUNDS_US);
  assert.deepEqual(lm.buckets.map((b) => b.count), [1, 2, 1, 1, 2, 1]);
  assert.deepEqual(lm.buckets.map((b) => b.upperUs), [250, 500, 1000, 2000, 4000, null]);
  assert.deepEqual(histogram([]).buckets.map((b) => b.percent), new Array(13).fill(0));
});

test('routine histograms and guidance flags (thresholds as parameters)', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    isrExit(25_000, 0, NIC_ISR, NIC_INT, 0x51), // exactly at the limit: not flagged
    isrEnter(100_000, 0, NIC_ISR, NIC_INT, 0x51),
    isrExit(126_000, 0, NIC_ISR, NIC_INT, 0x51),
    isrEnter(200_000, 1, NIC_ISR, NIC_INT, 0x51),
    isrExit(240_000, 1, NIC_ISR, NIC_INT, 0x51),
    queue(250_000, 1, DISK_DPC, DISK_DPCR),
    run(260_000, 1, DISK_DPC, DISK_DPCR),
    finish(410_000, 1, DISK_DPC, DISK_DPCR),
  ];
  const s = computeStats(events);
  assert.deepEqual(s.isr.limit, { limitNs: 25_000, count: 2, worst: { key: 'nic!NicIsr@0x51', routine: NIC_ISR, ns: 40_000, t: 200_000, cpu: 1 } });
  assert.equal(s.dpc.limit.count, 1);
  assert.equal(s.dpc.limit.worst?.ns, 150_000);
  assert.equal(isrRow(s, NIC_ISR).overLimit, 2);
  const nicHist = Object.fromEntries(isrRow(s, NIC_ISR).histogram.buckets.map((b) => [b.lowerUs, b.count]));
  assert.equal(nicHist[25], 3); // 25, 26 and 40 µs
  assert.equal(dpcRow(s, DISK_DPCR).latencyMon.buckets[0].count, 1);

  const strict = computeStats(events, { isrLimitNs: 30_000, dpcLimitNs: 200_000 });
  assert.equal(strict.isr.limit.count, 1);
  assert.equal(strict.dpc.limit.count, 0);
  assert.equal(strict.dpc.limit.worst, null);
});

test('exclusive time with a DPC interrupting a threaded DPC that an ISR interrupts', () => {
  const events: TraceEvent[] = [
    run(0, 0, DISK_DPC, DISK_DPCR, 0, true), // threaded DPC, PASSIVE_LEVEL
    run(10_000, 0, NIC_DPC, NIC_DPCR), // ordinary DPC at DISPATCH_LEVEL on top
    isrEnter(12_000, 0, NIC_ISR, NIC_INT, 0x51),
    isrEnter(13_000, 0, 'hal!ClockIsr', TIMER_INT, 0xd1),
    isrExit(14_000, 0, 'hal!ClockIsr', TIMER_INT, 0xd1),
    isrExit(16_000, 0, NIC_ISR, NIC_INT, 0x51),
    finish(20_000, 0, NIC_DPC, NIC_DPCR),
    finish(50_000, 0, DISK_DPC, DISK_DPCR),
  ];
  const s = computeStats(events);
  assert.equal(isrRow(s, 'hal!ClockIsr').exclusive.totalNs, 1_000);
  assert.equal(isrRow(s, NIC_ISR).exclusive.totalNs, 3_000);
  assert.equal(dpcRow(s, NIC_DPCR).exclusive.totalNs, 6_000);
  assert.equal(dpcRow(s, DISK_DPCR).totalNs, 50_000);
  assert.equal(dpcRow(s, DISK_DPCR).exclusive.totalNs, 40_000);
  assert.equal(dpcRow(s, DISK_DPCR).threaded, 1);
  assert.equal(s.isr.exclusiveNs + s.dpc.exclusiveNs, 50_000, 'exclusive times tile the busy interval');
});

test('inconsistent traces: unmatched exits and activations still open at the end', () => {
  const events: TraceEvent[] = [
    isrExit(5, 0, NIC_ISR, NIC_INT, 0x51), // trace started mid-ISR
    run(10, 0, NIC_DPC, NIC_DPCR),
    isrEnter(20, 0, DISK_ISR, DISK_INT, 0x61),
    finish(30, 0, NIC_DPC, NIC_DPCR), // the disk ISR frame never closed
    isrEnter(40, 1, DISK_ISR, DISK_INT, 0x61), // still running at the end
  ];
  const s = computeStats(events);
  assert.equal(s.unmatched, 2);
  assert.equal(s.unfinished, 1);
  assert.equal(s.isr.all.count, 0);
  assert.equal(dpcRow(s, NIC_DPCR).totalNs, 20);
});

test('results are plain JSON data', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    queue(100, 0, NIC_DPC, NIC_DPCR),
    isrExit(200, 0, NIC_ISR, NIC_INT, 0x51),
    run(300, 0, NIC_DPC, NIC_DPCR),
    finish(400, 0, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  const empty = computeStats([]);
  assert.deepEqual(JSON.parse(JSON.stringify(empty)), empty);
  assert.equal(empty.isr.highest, null);
  assert.equal(empty.latency.all.maxAt, null);
});

test('formatStatsTable and formatHistogram', () => {
  const events: TraceEvent[] = [
    isrEnter(0, 0, NIC_ISR, NIC_INT, 0x51),
    queue(500, 0, NIC_DPC, NIC_DPCR),
    isrExit(1_500, 0, NIC_ISR, NIC_INT, 0x51),
    run(2_000, 0, NIC_DPC, NIC_DPCR),
    finish(12_250, 0, NIC_DPC, NIC_DPCR),
  ];
  const s = computeStats(events);
  assert.deepEqual(formatStatsTable(s), [
    'Type  Routine                   Count  Min µs  Avg µs  Max µs  Total µs',
    '-----------------------------------------------------------------------',
    'ISR   nic!NicIsr (vector 0x51)      1   1.500   1.500   1.500     1.500',
    'DPC   nic!NicDpc                    1  10.250  10.250  10.250    10.250',
  ]);
  assert.deepEqual(formatStatsTable(computeStats([])).slice(2), ['(no ISR or DPC activity)']);

  const lines = formatHistogram(histogram([500, 1_000, 1_500, 5_000_000], LATENCYMON_BOUNDS_US), 'Distribution of all DPC execution times');
  assert.deepEqual(lines, [
    'Distribution of all DPC execution times',
    'Lower Bound | Upper Bound | Count | Percent',
    '          0 |         250 |     3 |   75.00',
    '        250 |         500 |     0 |    0.00',
    '        500 |        1000 |     0 |    0.00',
    '       1000 |        2000 |     0 |    0.00',
    '       2000 |        4000 |     0 |    0.00',
    '       4000 |           ∞ |     1 |   25.00',
    '      Total |             |     4 |  100.00',
  ]);
});

// A finished run as the scenario's expectations see it (scenario/expect.ts RunOutcome): the
// machine's result plus the statistics computed from its trace. Shared by `kdsim run` and the
// debugger so both judge a run the same way.

import type { Machine, RunResult } from './machine';
import type { RunOutcome } from './scenario/expect';
import type { TraceStats } from './trace/stats';

export function runOutcome(machine: Machine, result: RunResult, stats: TraceStats): RunOutcome {
  const routines = [...stats.isr.routines, ...stats.dpc.routines];
  const latency = stats.latency.all;
  const outcome: RunOutcome = {
    endNs: result.endNs,
    dbgPrint: result.log,
    dbgPrintAtNs: result.logAtNs,
    requests: result.requests.map((q) => ({ index: q.index, completed: q.completed, status: q.status, information: q.information, completedAtNs: q.completedAtNs, issuedAtNs: q.issuedAtNs, data: q.data })),
    isrRuns: new Map(stats.isr.routines.map((x) => [x.routine, x.count])),
    dpcRuns: new Map(stats.dpc.routines.map((x) => [x.routine, x.count])),
    maxDurationNs: new Map(routines.map((x) => [x.routine, x.maxNs])),
    maxDurationAtNs: new Map(routines.flatMap((x) => (x.maxAt ? [[x.routine, x.maxAt.t] as const] : []))),
    leaks: result.leaks,
    deviceOutput: machine.deviceOutput,
    classInput: result.classInput,
    maxDpcQueueDepth: result.maxDpcQueueDepth,
  };
  if (result.bugCheck) outcome.bugCheck = { code: result.bugCheck.code, args: result.bugCheck.args, atNs: result.bugCheck.timeNs };
  if (latency.count > 0) {
    outcome.maxIsrToDpcLatencyNs = latency.maxNs;
    if (latency.maxAt) outcome.maxIsrToDpcLatencyAtNs = latency.maxAt.t;
  }
  return outcome;
}

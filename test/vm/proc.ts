// Child processes for the differential corpus: asynchronous (so programs can be checked a few
// at a time), with a time limit and an output cap (a runaway program must not fill the disk or
// the heap), byte-exact stdout (latin1: one char per byte); stderr is read as UTF-8 (gcc quotes).

import { spawn } from 'node:child_process';

export interface ProcResult {
  /** Exit status, or null when the process was killed by a signal or did not start. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** stdout or stderr exceeded maxOutputBytes (the process was killed). */
  overflow: boolean;
  /** The process could not be started (e.g. ENOENT). */
  spawnError?: string;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<ProcResult> {
  return new Promise((resolvePromise) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overflow = false;
    let spawnError: string | undefined;
    let settled = false;

    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);

    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > opts.maxOutputBytes) {
        overflow = true;
        kill();
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      errBytes += b.length;
      if (errBytes > opts.maxOutputBytes) {
        overflow = true;
        kill();
      } else err.push(b);
    });
    const finish = (status: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise({
        status,
        signal,
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        overflow,
        spawnError,
      });
    };
    child.on('error', (e) => {
      spawnError = e.message;
      finish(null, null);
    });
    child.on('close', (status, signal) => finish(status, signal));
  });
}

/** One line saying how a process ended, for assertion messages. */
export function describeEnd(r: ProcResult): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.timedOut) return 'timed out';
  if (r.overflow) return 'produced too much output';
  if (r.signal) return `killed by ${r.signal}`;
  return `exit status ${r.status}`;
}

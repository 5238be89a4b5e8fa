// Expands the scenario's stimuli into the concrete list of device events the machine
// schedules: one entry per interrupt the device raises, in delivery order.

import type { Stimulus } from './project-types';
import { Random, deriveSeed } from './random';

export interface TimedStimulus {
  atNs: number;
  device: string;
  data?: number;
  /** Index of the stimulus in scenario.stimuli that produced this event. */
  source: number;
  /** For an 'action' stimulus: the model's action and its arguments. */
  action?: { name: string; args: Readonly<Record<string, unknown>> };
}

/**
 * Sorted by time, then by source index (then generation order). Random stimuli draw `count`
 * integer times uniformly in [startNs, endNs) from their own seed, or, without one, from a
 * stream derived from `seed` (the machine seed) and the stimulus index, so two random
 * stimuli never repeat each other and adding one does not reshuffle the others.
 */
export function expandStimuli(stimuli: readonly Stimulus[], seed: number): TimedStimulus[] {
  const out: TimedStimulus[] = [];
  stimuli.forEach((s, source) => {
    const emit = (atNs: number): void => {
      const e: TimedStimulus = { atNs, device: s.device, source };
      if (s.data !== undefined) e.data = s.data;
      out.push(e);
    };
    switch (s.kind) {
      case 'interrupt':
        emit(s.atNs);
        break;
      case 'action':
        out.push({ atNs: s.atNs, device: s.device, source, action: { name: s.action, args: s.args }, ...(s.data === undefined ? {} : { data: s.data }) });
        break;
      case 'periodic':
        for (let k = 0; k < s.count; k++) emit(s.startNs + k * s.periodNs);
        break;
      case 'burst':
        for (let k = 0; k < s.count; k++) emit(s.atNs + k * s.spacingNs);
        break;
      case 'random': {
        const rng = new Random(s.seed ?? deriveSeed(seed, source));
        const span = s.endNs - s.startNs;
        // An empty window (rejected by the parser) degenerates to its start.
        for (let k = 0; k < s.count; k++) emit(s.startNs + (span > 0 ? Math.floor(rng.nextFloat() * span) : 0));
        break;
      }
    }
  });
  // Array.prototype.sort is stable, so equal keys keep generation order.
  return out.sort((a, b) => a.atNs - b.atNs || a.source - b.source);
}

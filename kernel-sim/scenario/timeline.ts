// Concrete stimulus times from the scenario's stimuli (placeholder until the full module lands).

import type { Stimulus } from './project-types';

export interface TimedStimulus {
  atNs: number;
  device: string;
  data?: number;
  source: number;
}

export function expandStimuli(stimuli: Stimulus[], seed: number): TimedStimulus[] {
  const out: TimedStimulus[] = [];
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
  stimuli.forEach((s, source) => {
    if (s.kind === 'interrupt') out.push({ atNs: s.atNs, device: s.device, data: s.data, source });
    else if (s.kind === 'periodic') for (let i = 0; i < s.count; i++) out.push({ atNs: s.startNs + i * s.periodNs, device: s.device, data: s.data, source });
    else if (s.kind === 'burst') for (let i = 0; i < s.count; i++) out.push({ atNs: s.atNs + i * s.spacingNs, device: s.device, data: s.data, source });
    else for (let i = 0; i < s.count; i++) out.push({ atNs: Math.floor(s.startNs + rnd() * (s.endNs - s.startNs)), device: s.device, data: s.data, source });
  });
  return out.sort((a, b) => a.atNs - b.atNs || a.source - b.source);
}

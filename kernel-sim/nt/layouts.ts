// Offsets of kernel structures, taken from the simulated headers as parsed by our own front
// end (ARCHITECTURE decision 2: one source of truth, no hand-kept offset tables). The
// kernel compiles <ntddk.h> once and asks for "DEVICE_OBJECT", "Dpc.DeferredRoutine", ...

import type { Program } from '../c/ast';
import type { CType, Member, RecordType } from '../c/types';

export interface FieldInfo {
  offset: number;
  type: CType;
}

export class Layouts {
  private readonly cache = new Map<string, FieldInfo>();

  constructor(private readonly program: Program) {}

  /** The type named by a typedef (e.g. "KDPC") or a tag ("_KDPC"). */
  type(name: string): CType {
    const t = this.program.typedefs.get(name) ?? this.program.tags.get(name);
    if (!t) throw new Error(`kernel layout: no type '${name}' in the simulated headers`);
    return t;
  }

  sizeOf(name: string): number {
    return this.type(name).size;
  }

  /** Offset (and type) of a member path such as "Tail.Overlay.CurrentStackLocation" or "MajorFunction[3]". */
  field(typeName: string, path: string): FieldInfo {
    const key = `${typeName}:${path}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let t: CType = this.type(typeName);
    let offset = 0;
    for (const part of path.split('.')) {
      const m = /^(\w+)(?:\[(\d+)\])?$/.exec(part);
      if (!m) throw new Error(`kernel layout: bad member path '${path}'`);
      if (t.kind !== 'struct' && t.kind !== 'union') throw new Error(`kernel layout: '${typeName}.${path}' goes through a non-record`);
      const found = findMember(t, m[1]);
      if (!found) throw new Error(`kernel layout: ${typeName} has no member '${m[1]}' (path ${path})`);
      offset += found.offset;
      t = found.member.type;
      if (m[2] !== undefined) {
        if (t.kind !== 'array') throw new Error(`kernel layout: '${m[1]}' is not an array`);
        offset += Number(m[2]) * t.base.size;
        t = t.base;
      }
    }
    const info = { offset, type: t };
    this.cache.set(key, info);
    return info;
  }

  offsetOf(typeName: string, path: string): number {
    return this.field(typeName, path).offset;
  }
}

/** A named member, looking through anonymous structs/unions (C11 6.7.2.1p13). */
function findMember(t: RecordType, name: string): { member: Member; offset: number } | undefined {
  const rec = t.root ?? t;
  for (const m of rec.members) {
    if (m.name === name) return { member: m, offset: m.offset };
    if (m.name === undefined && (m.type.kind === 'struct' || m.type.kind === 'union')) {
      const inner = findMember(m.type, name);
      if (inner) return { member: inner.member, offset: m.offset + inner.offset };
    }
  }
  return undefined;
}

// Struct and union layout with MSVC's x64 rules (ARCHITECTURE decision 2), the rules
// gcc follows under -mms-bitfields:
// - a member is aligned to min(its alignment, #pragma pack value);
// - a bitfield is stored in a unit of its declared type's size; consecutive bitfields share
//   the unit only if their types have the same size and the bits still fit, otherwise a new
//   unit starts at the next suitably aligned offset;
// - a zero-width bitfield closes the open unit and its type's alignment counts for the
//   record (it is ignored when no bitfield precedes it);
// - __declspec(align(N)) on a member or its type is not lowered by #pragma pack;
// - the record's alignment is the largest member alignment (raised by __declspec(align));
//   its size is rounded up to that alignment; a flexible array member adds no size.

import type { SourcePos } from './token';
import type { CType, Member } from './types';

export interface MemberDecl {
  name: string | undefined;
  type: CType;
  bitWidth?: number;
  pos?: SourcePos;
}

export interface RecordLayout {
  members: Member[];
  size: number;
  align: number;
}

function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Lays out `decls` as a struct or union. `pack` is the #pragma pack value in force (0 = none);
 * `minAlign` is a __declspec(align(N)) on the record itself.
 */
export function layoutRecord(kind: 'struct' | 'union', decls: MemberDecl[], pack: number, minAlign: number): RecordLayout {
  const members: Member[] = [];
  let align = Math.max(1, minAlign);
  let size = 0;
  // Open bitfield unit (structs): where it starts, its size in bytes, bits used so far.
  let unitStart = -1;
  let unitSize = 0;
  let unitBits = 0;

  for (const d of decls) {
    const natural = memberAlign(d.type);
    // #pragma pack lowers natural alignment, never an explicit __declspec(align(N)).
    const a = Math.max(pack > 0 ? Math.min(natural, pack) : natural, d.type.requiredAlign ?? 0);
    const tsize = Math.max(d.type.size, 0);

    if (kind === 'union') {
      const m: Member = { name: d.name, type: d.type, offset: 0, pos: d.pos };
      if (d.bitWidth !== undefined) {
        if (d.bitWidth === 0) continue;
        m.bitWidth = d.bitWidth;
        m.bitOffset = 0;
      }
      if (d.bitWidth === undefined || d.name !== undefined || d.bitWidth > 0) align = Math.max(align, a);
      members.push(m);
      size = Math.max(size, tsize);
      continue;
    }

    if (d.bitWidth !== undefined) {
      const bits = tsize * 8;
      if (d.bitWidth === 0) {
        // Closes the unit; MSVC ignores it when no bitfield precedes it.
        if (unitStart >= 0) {
          unitStart = -1;
          size = alignTo(size, a);
          align = Math.max(align, a);
        }
        continue;
      }
      if (unitStart < 0 || unitSize !== tsize || unitBits + d.bitWidth > bits) {
        unitStart = alignTo(size, a);
        unitSize = tsize;
        unitBits = 0;
        size = unitStart + tsize;
      }
      members.push({ name: d.name, type: d.type, offset: unitStart, bitOffset: unitBits, bitWidth: d.bitWidth, pos: d.pos });
      unitBits += d.bitWidth;
      align = Math.max(align, a);
      continue;
    }

    unitStart = -1;
    const offset = alignTo(size, a);
    members.push({ name: d.name, type: d.type, offset, pos: d.pos });
    size = offset + tsize;
    align = Math.max(align, a);
  }
  return { members, size: alignTo(size, align), align };
}

/** Alignment a member needs (arrays: their element's). */
export function memberAlign(t: CType): number {
  return Math.max(1, t.align);
}

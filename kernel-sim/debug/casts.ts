// What the driver says its untyped pointers are: a PVOID member or variable that the code
// always casts to one pointer type — DeviceObject->DeviceExtension to PSMP_EXTENSION, an ISR's
// ServiceContext to PDEVICE_OBJECT — is shown as that type in the Variables view, as a
// developer reads it (the raw value stays the same).

import type { Expr, FuncObj, Program, VarObj } from '../c/ast';
import { children, forEachStmtExpr } from '../c/ast-walk';
import { compatible, type CType, type Member } from '../c/types';

export interface CastTargets {
  members: ReadonlyMap<Member, CType>;
  variables: ReadonlyMap<VarObj, CType>;
}

export function castTargets(program: Program): CastTargets {
  const members = new Map<Member, CType | null>();
  const variables = new Map<VarObj, CType | null>();
  const note = <K>(map: Map<K, CType | null>, key: K, type: CType): void => {
    const prev = map.get(key);
    if (prev === undefined) map.set(key, type);
    else if (prev !== null && !compatible(prev, type)) map.set(key, null); // cast two ways: unknown
  };
  const visit = (e: Expr): void => {
    if (e.kind === 'cast' && !e.implicit && e.type.kind === 'ptr' && e.type.base.kind !== 'void') {
      let o = e.operand;
      while (o.kind === 'cast' && o.implicit) o = o.operand;
      const from = o.type;
      if (from.kind === 'ptr' && from.base.kind === 'void') {
        if (o.kind === 'member') note(members, o.member, e.type);
        else if (o.kind === 'var' && o.obj.kind === 'var') note(variables, o.obj, e.type);
      }
    }
    for (const c of children(e)) visit(c);
  };
  for (const f of program.functions as FuncObj[]) forEachStmtExpr(f.body, visit);
  return { members: known(members), variables: known(variables) };
}

function known<K>(m: Map<K, CType | null>): Map<K, CType> {
  const out = new Map<K, CType>();
  for (const [k, t] of m) if (t) out.set(k, t);
  return out;
}

// The checked, typed program the front end hands to the execution engine (vm/).
// Every expression carries its C type; implicit conversions are explicit Cast nodes;
// every statement carries the user's source position (through macros) for stop points.

import type { SourceFile, SourcePos, Token } from './token';
import type { CType, FunctionType, Member, RecordType, EnumType } from './types';
import type { PragmaRecord } from './preprocessor';
import type { Macro } from './pp-macro';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=';

interface ExprBase {
  type: CType;
  /** Token the expression is reported at (operator or first token). */
  tok: Token;
}

/** Integer constant (value already wrapped to the type's width and signedness). */
export interface NumExpr extends ExprBase {
  kind: 'num';
  value: bigint;
}
export interface FloatExpr extends ExprBase {
  kind: 'fnum';
  value: number;
}
/** String literal: an array of char / wchar_t code units, terminator included in `units`. */
export interface StrExpr extends ExprBase {
  kind: 'str';
  units: number[];
  charSize: 1 | 2 | 4;
}
/** A named object or function (lvalue for objects, designator for functions). */
export interface VarExpr extends ExprBase {
  kind: 'var';
  obj: VarObj | FuncObj;
}
export interface UnaryExpr extends ExprBase {
  kind: 'neg' | 'bitnot' | 'lognot';
  operand: Expr;
}
/** Arithmetic/comparison on operands already converted to a common type (comparisons yield int). */
export interface BinaryExpr extends ExprBase {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
/** pointer ± integer; `scale` = element size in bytes (the integer is converted to 64-bit). */
export interface PtrAddExpr extends ExprBase {
  kind: 'ptradd';
  op: '+' | '-';
  ptr: Expr;
  index: Expr;
  scale: number;
}
/** pointer − pointer, divided by the element size; type ptrdiff_t. */
export interface PtrDiffExpr extends ExprBase {
  kind: 'ptrdiff';
  left: Expr;
  right: Expr;
  scale: number;
}
export interface LogicalExpr extends ExprBase {
  kind: 'logand' | 'logor';
  left: Expr;
  right: Expr;
}
export interface AssignExpr extends ExprBase {
  kind: 'assign';
  target: Expr;
  value: Expr; // converted to the target's type
}
/**
 * target op= value: computed as (opType)target op value, then converted back to the target
 * type; for pointers op is '+'/'-' with `scale`. The target is evaluated once.
 */
export interface CompoundAssignExpr extends ExprBase {
  kind: 'opassign';
  op: BinaryOp;
  target: Expr;
  value: Expr; // converted to opType (shifts: the right operand keeps its own promoted type; pointers: 64-bit)
  opType: CType;
  scale: number; // 0 unless pointer arithmetic
}
/** ++/--; `delta` is +1/-1 times the element size for pointers. */
export interface IncDecExpr extends ExprBase {
  kind: 'preinc' | 'postinc';
  target: Expr;
  delta: number;
}
export interface CondExpr extends ExprBase {
  kind: 'cond';
  cond: Expr;
  then: Expr;
  else: Expr;
}
export interface CommaExpr extends ExprBase {
  kind: 'comma';
  left: Expr;
  right: Expr;
}
export interface CastExpr extends ExprBase {
  kind: 'cast';
  operand: Expr;
  implicit: boolean;
}
/** Array-to-pointer or function-to-pointer conversion: the operand's address. */
export interface DecayExpr extends ExprBase {
  kind: 'decay';
  operand: Expr;
}
export interface DerefExpr extends ExprBase {
  kind: 'deref';
  operand: Expr;
}
export interface AddrExpr extends ExprBase {
  kind: 'addr';
  operand: Expr;
}
/** object.member (a->m is member of deref(a)); a member of an anonymous member is reached in steps. */
export interface MemberExpr extends ExprBase {
  kind: 'member';
  object: Expr;
  member: Member;
}
export interface CallExpr extends ExprBase {
  kind: 'call';
  callee: Expr; // pointer to function
  funcType: FunctionType;
  args: Expr[]; // converted to parameter types; variadic extras default-promoted
}
export interface CompoundLiteralExpr extends ExprBase {
  kind: 'complit';
  obj: VarObj; // the unnamed object (a local, or a global at file scope)
}
export interface BuiltinExpr extends ExprBase {
  kind: 'builtin';
  name: 'va_start' | 'va_arg' | 'va_end' | 'va_copy' | 'alloca' | 'trap';
  args: Expr[];
  /** For va_arg: the type fetched. */
  argType?: CType;
}

export type Expr =
  | NumExpr
  | FloatExpr
  | StrExpr
  | VarExpr
  | UnaryExpr
  | BinaryExpr
  | PtrAddExpr
  | PtrDiffExpr
  | LogicalExpr
  | AssignExpr
  | CompoundAssignExpr
  | IncDecExpr
  | CondExpr
  | CommaExpr
  | CastExpr
  | DecayExpr
  | DerefExpr
  | AddrExpr
  | MemberExpr
  | CallExpr
  | CompoundLiteralExpr
  | BuiltinExpr;

/** One piece of an object's initial value, at a byte offset inside the object. */
export type InitItem =
  | { kind: 'expr'; offset: number; type: CType; expr: Expr; bitOffset?: number; bitWidth?: number }
  | { kind: 'bytes'; offset: number; units: number[]; charSize: 1 | 2 | 4 };

/** An object's initializer: the object is zero-filled first, then the items are stored in order. */
export interface Initializer {
  items: InitItem[];
}

interface StmtBase {
  /** User position of the statement's first token (outermost macro call site). */
  pos: SourcePos;
  tok: Token;
}
export interface ExprStmt extends StmtBase {
  kind: 'expr';
  expr: Expr;
}
export interface DeclStmt extends StmtBase {
  kind: 'decl';
  /** Locals declared here; each initialised (or left indeterminate) when control passes. */
  decls: { obj: VarObj; init: Initializer | undefined }[];
}
export interface BlockStmt extends StmtBase {
  kind: 'block';
  body: Stmt[];
  /** Position of the closing brace (a stop point for "step out of block"). */
  endPos: SourcePos;
}
export interface IfStmt extends StmtBase {
  kind: 'if';
  cond: Expr;
  then: Stmt;
  else: Stmt | undefined;
}
export interface WhileStmt extends StmtBase {
  kind: 'while' | 'do';
  cond: Expr;
  body: Stmt;
}
export interface ForStmt extends StmtBase {
  kind: 'for';
  init: Stmt | undefined;
  cond: Expr | undefined;
  step: Expr | undefined;
  body: Stmt;
}
export interface SwitchStmt extends StmtBase {
  kind: 'switch';
  cond: Expr; // promoted
  body: Stmt;
  cases: CaseStmt[];
  defaultCase: DefaultStmt | undefined;
}
export interface CaseStmt extends StmtBase {
  kind: 'case';
  /** Range `case lo ... hi:` (GNU) has high > low; usually equal. */
  low: bigint;
  high: bigint;
  body: Stmt;
}
export interface DefaultStmt extends StmtBase {
  kind: 'default';
  body: Stmt;
}
export interface LabelStmt extends StmtBase {
  kind: 'label';
  name: string;
  body: Stmt;
}
export interface GotoStmt extends StmtBase {
  kind: 'goto';
  name: string;
  target?: LabelStmt;
}
export interface JumpStmt extends StmtBase {
  kind: 'break' | 'continue';
}
export interface ReturnStmt extends StmtBase {
  kind: 'return';
  value: Expr | undefined; // converted to the return type
}
export interface NullStmt extends StmtBase {
  kind: 'null';
}

export type Stmt =
  | ExprStmt
  | DeclStmt
  | BlockStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | SwitchStmt
  | CaseStmt
  | DefaultStmt
  | LabelStmt
  | GotoStmt
  | JumpStmt
  | ReturnStmt
  | NullStmt;

/** IRQL annotation recovered from SAL (`_IRQL_requires_max_(DISPATCH_LEVEL)` …). */
export interface IrqlAnnotation {
  kind: string; // "requires_max", "requires_min", "requires", "raises", "saves", "restores", "requires_same", ...
  args: bigint[];
  /** Non-constant arguments as written: a parameter name (`raises(NewIrql)`) or stringized text. */
  names?: string[];
}

/** A SAL annotation kept as text (`_When_(cond, annos)`, `_At_(target, annos)`). */
export interface TextAnnotation {
  kind: 'when' | 'at';
  args: string[];
}

export interface DeclAttributes {
  irql: IrqlAnnotation[];
  /** Conditional/targeted SAL annotations, kept as their source text. */
  sal?: TextAnnotation[];
  /** `_Function_class_(KSERVICE_ROUTINE)` or the function typedef a function was declared through. */
  functionClass?: string;
  dllimport?: boolean;
  noreturn?: boolean;
  /** `_Dispatch_type_(IRP_MJ_READ)` values. */
  dispatchTypes?: bigint[];
  /** `#pragma alloc_text(SECTION, f)` / `__declspec(code_seg)`: "PAGE" marks pageable code. */
  section?: string;
}

export interface VarObj {
  kind: 'var';
  name: string;
  type: CType;
  /** global: file-scope or static; local: automatic; param: a parameter. */
  storage: 'global' | 'local' | 'param';
  /** internal linkage or a static local (kept in the image, not on the stack). */
  isStatic: boolean;
  isExtern: boolean;
  /** A definition (not just an extern declaration / tentative without storage). */
  defined: boolean;
  init: Initializer | undefined;
  pos: SourcePos;
  id: number;
  /** Function the object belongs to (locals, params, static locals). */
  owner?: FuncObj;
  attrs: DeclAttributes;
}

export interface FuncObj {
  kind: 'func';
  name: string;
  type: FunctionType;
  isStatic: boolean;
  isInline: boolean;
  params: VarObj[];
  /** Every local of the function in declaration order (blocks flattened), params excluded. */
  locals: VarObj[];
  body: BlockStmt | undefined;
  pos: SourcePos;
  /** Position of the closing brace: "function exit" stop point. */
  endPos: SourcePos | undefined;
  id: number;
  attrs: DeclAttributes;
  /** Uses va_start (its frame must keep the variadic arguments addressable). */
  hasVarargs: boolean;
}

export interface Program {
  files: SourceFile[];
  globals: VarObj[];
  functions: FuncObj[];
  /** File-scope typedef names → types (for `dt`, layouts, and the kernel's view of objects). */
  typedefs: Map<string, CType>;
  /** File-scope struct/union/enum tags. */
  tags: Map<string, RecordType | EnumType>;
  /** Enumeration constants at file scope. */
  enumConstants: Map<string, bigint>;
  pragmas: PragmaRecord[];
  /**
   * Object- and function-like macros defined at the end of the translation units (the first
   * unit's definition wins): debugger expressions expand them as the source did.
   */
  macros?: ReadonlyMap<string, Macro>;
}

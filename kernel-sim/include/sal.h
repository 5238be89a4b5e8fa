/*
 * sal.h - kdsim's simulated SAL (Source Annotation Language) header.
 *
 * SAL annotations mean nothing to the C type system, so nearly all of them expand to
 * nothing. The exception is the family the simulator needs at run time: the IRQL
 * annotations (plus function class, dispatch type and the conditional wrappers), which
 * expand to GNU-style attributes with a "kdsim_" name so the front end can attach them to
 * the declaration they annotate. DDIs are bound by name to their declarations in these
 * headers, and the verifier reads each DDI's IRQL requirement from these attributes
 * (ARCHITECTURE.md decision 5; KERNEL_MODEL.md section 6).
 *
 * ======================== ATTRIBUTE CONTRACT FOR THE FRONT END ========================
 *
 * Spelling (after preprocessing; the front end sees exactly these token shapes):
 *
 *   __attribute__((kdsim_irql("KIND")))                  no argument
 *   __attribute__((kdsim_irql("KIND", ARG)))             one argument
 *   __attribute__((kdsim_irql("KIND", "NAME", "PARAM"))) the two *_global kinds
 *   __attribute__((kdsim_when("CONDITION", "ANNOTATIONS")))
 *   __attribute__((kdsim_at("TARGET", "ANNOTATIONS")))
 *   __attribute__((kdsim_function_class("TYPEDEF_NAME")))
 *   __attribute__((kdsim_dispatch_type(INTEGER_CONSTANT_EXPRESSION)))
 *
 *   KIND is a string literal; ARG is an integer constant expression (the IRQL macros are
 *   already expanded: _IRQL_requires_max_(DISPATCH_LEVEL) arrives as
 *   kdsim_irql("requires_max", 2)) or, for "raises" only, possibly the name of a
 *   parameter of the annotated function (KfRaiseIrql: kdsim_irql("raises", NewIrql)).
 *   The strings of kdsim_when / kdsim_at / *_global are the source text of the macro
 *   arguments, stringized before expansion (kept for diagnostics and for conditional
 *   rules such as KeSetEvent's Wait parameter; the front end need not interpret them).
 *
 * KIND values (the SAL macro that produces each, then what it means for the simulator):
 *   "requires_max"        _IRQL_requires_max_(x), __drv_maxIRQL(x)   caller IRQL <= x
 *   "requires_min"        _IRQL_requires_min_(x), __drv_minIRQL(x)   caller IRQL >= x
 *   "requires"            _IRQL_requires_(x), __drv_requiresIRQL(x)  caller IRQL == x
 *   "raises"              _IRQL_raises_(x), __drv_raisesIRQL(x)      returns at IRQL x (>= entry)
 *   "sets"                __drv_setsIRQL(x)                          returns at IRQL x
 *   "saves"               _IRQL_saves_, __drv_savesIRQL              on a function: the return
 *                         value is the IRQL at entry; on a parameter: the KIRQL it points to
 *                         receives the IRQL at entry
 *   "restores"            _IRQL_restores_, __drv_restoresIRQL        on a parameter: IRQL is set
 *                         to that parameter's value before return
 *   "requires_same"       _IRQL_requires_same_, __drv_sameIRQL       returns at the entry IRQL
 *   "saves_global"        _IRQL_saves_global_(kind, param)           saves IRQL in a hidden slot
 *   "restores_global"     _IRQL_restores_global_(kind, param)        restores it from that slot
 *   "always_function_max" _IRQL_always_function_max_(x)              IRQL <= x throughout
 *   "always_function_min" _IRQL_always_function_min_(x)              IRQL >= x throughout
 *   "uses_cancel"         _IRQL_uses_cancel_, __drv_useCancelIRQL    parameter: IRP whose
 *                         CancelIrql the function restores
 *   "is_cancel"           _IRQL_is_cancel_, __drv_isCancelIRQL       function is a cancel routine
 *
 * Where they appear (all are GNU attribute positions that gcc also accepts):
 *   1. In the declaration specifiers of a function declaration or definition, usually
 *      first:  _IRQL_requires_max_(DISPATCH_LEVEL) NTKERNELAPI VOID NTAPI KeFoo(...);
 *   2. In the declaration specifiers of a typedef, before the `typedef` keyword:
 *        _Function_class_(KSERVICE_ROUTINE) _IRQL_requires_(HIGH_LEVEL)
 *        typedef BOOLEAN KSERVICE_ROUTINE(...);
 *      A function declared through such a function typedef (`KSERVICE_ROUTINE MyIsr;`)
 *      INHERITS the typedef's kdsim_* attributes; a later definition of MyIsr (usually
 *      marked _Use_decl_annotations_) keeps them. Pointer typedefs (PKSERVICE_ROUTINE)
 *      carry them too, for the record only.
 *   3. In the declaration specifiers of a parameter:
 *        VOID KeReleaseSpinLock(_Inout_ PKSPIN_LOCK SpinLock, _In_ _IRQL_restores_ KIRQL NewIrql);
 *   A function with no kdsim_irql attribute may be called at any IRQL.
 *   Any other __attribute__((...)) may be ignored (skip balanced parentheses), except that
 *   the front end may honour aligned/packed as gcc does.
 * =======================================================================================
 */
#pragma once
#ifndef _KDSIM_SAL_H_
#define _KDSIM_SAL_H_

/* ---- The recoverable family: IRQL ------------------------------------------------- */

#define _IRQL_requires_max_(irql)            __attribute__((kdsim_irql("requires_max", irql)))
#define _IRQL_requires_min_(irql)            __attribute__((kdsim_irql("requires_min", irql)))
#define _IRQL_requires_(irql)                __attribute__((kdsim_irql("requires", irql)))
#define _IRQL_raises_(irql)                  __attribute__((kdsim_irql("raises", irql)))
#define _IRQL_saves_                         __attribute__((kdsim_irql("saves")))
#define _IRQL_restores_                      __attribute__((kdsim_irql("restores")))
#define _IRQL_requires_same_                 __attribute__((kdsim_irql("requires_same")))
#define _IRQL_saves_global_(kind, param)     __attribute__((kdsim_irql("saves_global", #kind, #param)))
#define _IRQL_restores_global_(kind, param)  __attribute__((kdsim_irql("restores_global", #kind, #param)))
#define _IRQL_always_function_max_(irql)     __attribute__((kdsim_irql("always_function_max", irql)))
#define _IRQL_always_function_min_(irql)     __attribute__((kdsim_irql("always_function_min", irql)))
#define _IRQL_uses_cancel_                   __attribute__((kdsim_irql("uses_cancel")))
#define _IRQL_is_cancel_                     __attribute__((kdsim_irql("is_cancel")))
#define _IRQL_limited_to_(irql)              __attribute__((kdsim_irql("requires_max", irql)))

/* Function class and dispatch type: recorded so the simulator and the Kernel View can say
   "DpcForIsr (IO_DPC_ROUTINE)" and check MajorFunction assignments. */
#define _Function_class_(name)               __attribute__((kdsim_function_class(#name)))
#define _Dispatch_type_(major)               __attribute__((kdsim_dispatch_type(major)))

/* Conditional and targeted annotations: their text is kept (stringized), not applied. */
#define _When_(cond, annos)                  __attribute__((kdsim_when(#cond, #annos)))
#define _At_(target, annos)                  __attribute__((kdsim_at(#target, #annos)))
#define _At_buffer_(target, iter, bound, annos)
#define _Group_(annos)                       annos
#define _On_failure_(annos)
#define _Always_(annos)                      annos

/* ---- Classic driver annotations (driverspecs.h, __drv_*) -------------------------- */

#define __drv_maxIRQL(irql)                  _IRQL_requires_max_(irql)
#define __drv_minIRQL(irql)                  _IRQL_requires_min_(irql)
#define __drv_requiresIRQL(irql)             _IRQL_requires_(irql)
#define __drv_raisesIRQL(irql)               _IRQL_raises_(irql)
#define __drv_setsIRQL(irql)                 __attribute__((kdsim_irql("sets", irql)))
#define __drv_savesIRQL                      _IRQL_saves_
#define __drv_restoresIRQL                   _IRQL_restores_
#define __drv_savesIRQLGlobal(kind, param)   _IRQL_saves_global_(kind, param)
#define __drv_restoresIRQLGlobal(kind, param) _IRQL_restores_global_(kind, param)
#define __drv_sameIRQL                       _IRQL_requires_same_
#define __drv_useCancelIRQL                  _IRQL_uses_cancel_
#define __drv_isCancelIRQL                   _IRQL_is_cancel_
#define __drv_maxFunctionIRQL(irql)          _IRQL_always_function_max_(irql)
#define __drv_minFunctionIRQL(irql)          _IRQL_always_function_min_(irql)
#define __drv_dispatchType(major)            _Dispatch_type_(major)
#define __drv_dispatchType_other
#define __drv_functionClass(name)            _Function_class_(name)
#define __drv_when(cond, annos)              _When_(cond, annos)
#define __drv_arg(target, annos)             _At_(target, annos)
#define __drv_at(target, annos)              _At_(target, annos)
#define __drv_in(annos)
#define __drv_out(annos)
#define __drv_in_deref(annos)
#define __drv_out_deref(annos)
#define __drv_deref(annos)
#define __drv_fun(annos)                     annos
#define __drv_ret(annos)
#define __drv_aliasesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)
#define __drv_inTry
#define __drv_notInTry
#define __drv_valueIs(values)
#define __drv_strictType(type, mode)
#define __drv_strictTypeMatch(mode)
#define __drv_preferredFunction(func, why)
#define __drv_reportError(why)
#define __drv_mustHold(kind)
#define __drv_neverHold(kind)
#define __drv_acquiresResource(kind)
#define __drv_releasesResource(kind)
#define __drv_mustHoldGlobal(kind, param)
#define __drv_neverHoldGlobal(kind, param)
#define __drv_acquiresResourceGlobal(kind, param)
#define __drv_releasesResourceGlobal(kind, param)
#define __drv_mustHoldCriticalRegion
#define __drv_acquiresCriticalRegion
#define __drv_releasesCriticalRegion
#define __drv_mustHoldCancelSpinLock
#define __drv_neverHoldCancelSpinLock
#define __drv_acquiresCancelSpinLock
#define __drv_releasesCancelSpinLock
#define __drv_formatString(kind)
#define __drv_floatSaved
#define __drv_floatRestored
#define __drv_floatUsed
#define __drv_interlocked
#define __drv_constant
#define __drv_nonConstant
#define __drv_clearDoInitialize(yesno)
#define __drv_IoGetDmaAdapter
#define __drv_completionType(kind)
#define __drv_callbackType(kind)
#define __drv_innerMustHoldGlobal(kind, param)
#define __drv_innerNeverHoldGlobal(kind, param)
#define __drv_acquiresExclusiveResource(kind)
#define __drv_releasesExclusiveResource(kind)

/* ---- Everything else: no run-time meaning, expands to nothing --------------------- */

/* Parameters */
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _In_reads_z_(size)
#define _In_reads_opt_z_(size)
#define _In_reads_or_z_(size)
#define _In_reads_to_ptr_(ptr)
#define _In_range_(lo, hi)
#define _In_count_(size)
#define _In_bytecount_(size)
#define _Out_
#define _Out_opt_
#define _Out_writes_(size)
#define _Out_writes_opt_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Out_writes_to_(size, count)
#define _Out_writes_to_opt_(size, count)
#define _Out_writes_bytes_to_(size, count)
#define _Out_writes_bytes_to_opt_(size, count)
#define _Out_writes_all_(size)
#define _Out_writes_bytes_all_(size)
#define _Out_writes_z_(size)
#define _Out_writes_opt_z_(size)
#define _Out_range_(lo, hi)
#define _Out_z_cap_(size)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_opt_z_
#define _Inout_updates_(size)
#define _Inout_updates_opt_(size)
#define _Inout_updates_bytes_(size)
#define _Inout_updates_bytes_opt_(size)
#define _Inout_updates_z_(size)
#define _Inout_updates_to_(size, count)
#define _Inout_updates_bytes_to_(size, count)
#define _Inout_updates_all_(size)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_nullonfailure_
#define _Outptr_opt_result_nullonfailure_
#define _Outptr_result_z_
#define _Outptr_result_buffer_(size)
#define _Outptr_result_bytebuffer_(size)
#define _Outptr_result_maybenull_z_
#define _COM_Outptr_
#define _Outref_
#define _Outref_result_maybenull_
#define _Reserved_
#define _Const_
#define _Notliteral_
#define _Literal_
#define _Points_to_data_
#define _Interlocked_operand_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Printf_format_string_
#define _Scanf_format_string_
#define _Scanf_s_format_string_
#define _Format_string_impl_(kind, where)
#define _Null_terminated_
#define _NullNull_terminated_
#define _Unreferenced_parameter_
#define _Strict_type_match_
#define _Enum_is_bitflag_
#define _Inexpressible_(text)

/* Return values and results */
#define _Ret_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_null_
#define _Ret_z_
#define _Ret_maybenull_z_
#define _Ret_range_(lo, hi)
#define _Ret_writes_(size)
#define _Ret_writes_bytes_(size)
#define _Ret_writes_maybenull_(size)
#define _Ret_writes_bytes_maybenull_(size)
#define _Ret_writes_bytes_to_(size, count)
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(expr)
#define _Return_type_success_(expr)
#define _Use_decl_annotations_
#define _Maybe_raises_SEH_exception_
#define _Raises_SEH_exception_

/* Pre/post conditions */
#define _Pre_
#define _Post_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Pre_null_
#define _Pre_z_
#define _Pre_valid_
#define _Pre_invalid_
#define _Pre_defensive_
#define _Pre_satisfies_(expr)
#define _Pre_readable_size_(size)
#define _Pre_writable_size_(size)
#define _Pre_readable_byte_size_(size)
#define _Pre_writable_byte_size_(size)
#define _Post_notnull_
#define _Post_maybenull_
#define _Post_null_
#define _Post_z_
#define _Post_valid_
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Post_defensive_
#define _Post_satisfies_(expr)
#define _Post_equal_to_(expr)
#define _Post_readable_size_(size)
#define _Post_writable_size_(size)
#define _Post_readable_byte_size_(size)
#define _Post_writable_byte_size_(size)
#define _Deref_out_range_(lo, hi)
#define _Deref_in_range_(lo, hi)
#define _Deref_inout_range_(lo, hi)
#define _Deref_pre_z_
#define _Deref_post_z_
#define _Deref_out_
#define _Deref_out_opt_
#define _Deref_pre_maybenull_
#define _Deref_post_maybenull_
#define _Readable_bytes_(size)
#define _Writable_bytes_(size)
#define _Readable_elements_(size)
#define _Writable_elements_(size)

/* Structures */
#define _Field_size_(size)
#define _Field_size_opt_(size)
#define _Field_size_bytes_(size)
#define _Field_size_bytes_opt_(size)
#define _Field_size_part_(size, count)
#define _Field_size_bytes_part_(size, count)
#define _Field_size_full_(size)
#define _Field_size_bytes_full_(size)
#define _Field_range_(lo, hi)
#define _Field_z_
#define _Struct_size_bytes_(size)

/* Analysis directives */
#define _Analysis_assume_(expr)
#define _Analysis_assume_nullterminated_(ptr)
#define _Analysis_noreturn_
#define _Analysis_mode_(mode)
#define _Analysis_suppress_lock_checking_(lock)

/* Locks and concurrency */
#define _Requires_lock_held_(lock)
#define _Requires_lock_not_held_(lock)
#define _Requires_exclusive_lock_held_(lock)
#define _Requires_shared_lock_held_(lock)
#define _Requires_no_locks_held_
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Acquires_exclusive_lock_(lock)
#define _Acquires_shared_lock_(lock)
#define _Releases_exclusive_lock_(lock)
#define _Releases_shared_lock_(lock)
#define _Acquires_nonreentrant_lock_(lock)
#define _Releases_nonreentrant_lock_(lock)
#define _Guarded_by_(lock)
#define _Write_guarded_by_(lock)
#define _Interlocked_
#define _Has_lock_kind_(kind)
#define _Has_lock_level_(level)
#define _Lock_level_order_(a, b)
#define _Create_lock_level_(name)
#define _Benign_race_begin_
#define _Benign_race_end_
#define _No_competing_thread_
#define _No_competing_thread_begin_
#define _No_competing_thread_end_
#define _Global_cancel_spin_lock_
#define _Global_critical_region_
#define _Global_interlock_
#define _Global_priority_region_

/* Kernel-specific (driverspecs.h, _Kernel_*) */
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_float_used_
#define _Kernel_acquires_resource_(kind)
#define _Kernel_releases_resource_(kind)
#define _Kernel_requires_resource_held_(kind)
#define _Kernel_requires_resource_not_held_(kind)
#define _Kernel_clear_do_init_(yesno)
#define _Kernel_IoGetDmaAdapter_
#define _Kernel_ReleaseSpinLockFromDpcLevel_

/* Old SAL 1 (specstrings.h) spellings still found in driver code */
#define __in
#define __in_opt
#define __in_z
#define __in_bcount(size)
#define __in_ecount(size)
#define __in_bcount_opt(size)
#define __in_ecount_opt(size)
#define __out
#define __out_opt
#define __out_bcount(size)
#define __out_ecount(size)
#define __out_bcount_opt(size)
#define __out_ecount_opt(size)
#define __inout
#define __inout_opt
#define __inout_bcount(size)
#define __inout_ecount(size)
#define __deref_out
#define __deref_out_opt
#define __deref_inout
#define __checkReturn
#define __success(expr)
#define __reserved
#define __nullterminated
#define __format_string
#define __callback

#endif /* _KDSIM_SAL_H_ */

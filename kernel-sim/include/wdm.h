/*
 * wdm.h - kdsim's simulated Windows Driver Model header (x64, Windows 10 era).
 *
 * Written for kdsim from the public WDK documentation and KERNEL_MODEL.md; not a copy of
 * the WDK. It is split by kernel component (kdsim/<area>.h, included below in dependency
 * order); drivers include <wdm.h> (or <ntddk.h> / <ntifs.h>) and never the pieces.
 *
 * How the simulator uses it (ARCHITECTURE.md decisions 2 and 5):
 *   - Kernel objects (KDPC, DEVICE_OBJECT, IRP, ...) live in simulated memory with the
 *     layouts declared here; the _Static_assert lines pin the x64 offsets.
 *   - Every DDI is an ordinary declaration; the simulator binds it by name. Its IRQL
 *     requirement is the kdsim_irql attribute produced by the SAL macros (sal.h).
 *   - A few WDK "DDIs" are macros or inline C over others, as in the WDK itself:
 *       KeRaiseIrql            -> KfRaiseIrql
 *       KeAcquireSpinLock      -> KeAcquireSpinLockRaiseToDpc
 *       IoCompleteRequest      -> IofCompleteRequest
 *       IoCallDriver           -> IofCallDriver
 *       ObReferenceObject / ObDereferenceObject -> ObfReferenceObject / ObfDereferenceObject
 *       Io*RemoveLock*         -> Io*RemoveLock*Ex
 *       ExAllocatePool         -> ExAllocatePoolWithTag
 *       IoInitializeDpcRequest -> KeInitializeDpc      (inline)
 *       IoRequestDpc           -> KeInsertQueueDpc     (inline)
 *       IoSetCancelRoutine     -> InterlockedExchangePointer (inline)
 *       ExInitializeFastMutex  -> KeInitializeEvent    (inline)
 *       MmGetSystemAddressForMdlSafe -> MmMapLockedPagesSpecifyCache (inline)
 *       list helpers, IRP stack-location helpers, Rtl*Memory: C code only
 *
 * Configuration macros:
 *   DBG (default 1 here): checked-build behaviour of ASSERT, NT_ASSERT, KdPrint,
 *       PAGED_CODE and the IO_REMOVE_LOCK debug block. Define DBG=0 for a free build.
 *   NO_KERNEL_LIST_ENTRY_CHECKS: drop the list-corruption checks of the list helpers.
 */
#pragma once
#ifndef _WDMDDK_
#define _WDMDDK_
#define _KDSIM_WDM_H_

#ifndef DBG
#define DBG 1
#endif

#ifndef _WIN64
#define _WIN64 1
#endif
#ifndef _AMD64_
#define _AMD64_ 1
#endif

#define NTDDI_WIN10      0x0A000000
#define NTDDI_WIN10_VB   0x0A000008
#ifndef NTDDI_VERSION
#define NTDDI_VERSION    NTDDI_WIN10_VB
#endif
#define _WIN32_WINNT_WIN10 0x0A00

#include <ntdef.h>
#include <ntstatus.h>

#define NTKERNELAPI DECLSPEC_IMPORT
#define NTHALAPI    DECLSPEC_IMPORT

#include <kdsim/ketypes.h>
#include <kdsim/ke.h>
#include <kdsim/rtl.h>
#include <kdsim/ex.h>
#include <kdsim/mm.h>
#include <kdsim/cm.h>
#include <kdsim/potypes.h>
#include <kdsim/iotypes.h>
#include <kdsim/irp.h>
#include <kdsim/io.h>
#include <kdsim/po.h>
#include <kdsim/hal.h>
#include <kdsim/obps.h>

/* #pragma alloc_text(PAGE, Routine) / (INIT, DriverEntry) are understood by the front end;
   drivers test these before using the pragma, as in the WDK samples. */
#define ALLOC_PRAGMA 1
#define ALLOC_DATA_PRAGMA 1

#endif /* _WDMDDK_ */

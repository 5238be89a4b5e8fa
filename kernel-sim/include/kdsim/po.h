/*
 * kdsim/po.h - power management (Po) routines. Part of wdm.h (after the IRP types).
 */
#pragma once
#ifndef _KDSIM_PO_H_
#define _KDSIM_PO_H_

_Function_class_(REQUEST_POWER_COMPLETE)
_IRQL_requires_same_
typedef VOID REQUEST_POWER_COMPLETE(
    _In_ PDEVICE_OBJECT DeviceObject,
    _In_ UCHAR MinorFunction,
    _In_ POWER_STATE PowerState,
    _In_opt_ PVOID Context,
    _In_ PIO_STATUS_BLOCK IoStatus);
typedef REQUEST_POWER_COMPLETE *PREQUEST_POWER_COMPLETE;

/* Vista+ no longer needs it, but WDM drivers still call it before passing a power IRP on. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI PoStartNextPowerIrp(_Inout_ PIRP Irp);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI PoCallDriver(
    _In_ PDEVICE_OBJECT DeviceObject,
    _Inout_ __drv_aliasesMem PIRP Irp);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI POWER_STATE NTAPI PoSetPowerState(
    _In_ PDEVICE_OBJECT DeviceObject,
    _In_ POWER_STATE_TYPE Type,
    _In_ POWER_STATE State);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI PoRequestPowerIrp(
    _In_ PDEVICE_OBJECT DeviceObject,
    _In_ UCHAR MinorFunction,
    _In_ POWER_STATE PowerState,
    _In_opt_ PREQUEST_POWER_COMPLETE CompletionFunction,
    _In_opt_ __drv_aliasesMem PVOID Context,
    _Outptr_opt_ PIRP *Irp);

#endif /* _KDSIM_PO_H_ */

/*
 * ntifs.h - ntddk.h plus the file-system / filter driver interface. kdsim simulates
 * device drivers; this header exists so drivers that include <ntifs.h> for a few extra
 * declarations build. It adds only a small part of the real interface.
 */
#pragma once
#ifndef _NTIFS_
#define _NTIFS_

#include <ntddk.h>

/* IRP_MJ_FILE_SYSTEM_CONTROL minor functions */
#define IRP_MN_USER_FS_REQUEST          0x00
#define IRP_MN_MOUNT_VOLUME             0x01
#define IRP_MN_VERIFY_VOLUME            0x02
#define IRP_MN_LOAD_FILE_SYSTEM         0x03
#define IRP_MN_TRACK_LINK               0x04
#define IRP_MN_KERNEL_CALL              0x04

/* IRP_MJ_DIRECTORY_CONTROL minor functions */
#define IRP_MN_QUERY_DIRECTORY          0x01
#define IRP_MN_NOTIFY_CHANGE_DIRECTORY  0x02

/* IRP_MJ_LOCK_CONTROL minor functions */
#define IRP_MN_LOCK                     0x01
#define IRP_MN_UNLOCK_SINGLE            0x02
#define IRP_MN_UNLOCK_ALL               0x03
#define IRP_MN_UNLOCK_ALL_BY_KEY        0x04

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI NTSTATUS NTAPI PsLookupProcessByProcessId(
    _In_ HANDLE ProcessId,
    _Outptr_ PEPROCESS *Process);

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI NTSTATUS NTAPI PsLookupThreadByThreadId(
    _In_ HANDLE ThreadId,
    _Outptr_ PETHREAD *Thread);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI PEPROCESS NTAPI IoGetRequestorProcess(_In_ PIRP Irp);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI PDEVICE_OBJECT NTAPI IoGetRelatedDeviceObject(_In_ PFILE_OBJECT FileObject);

#endif /* _NTIFS_ */

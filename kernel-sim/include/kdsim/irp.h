/*
 * kdsim/irp.h - the I/O manager's objects: DEVICE_OBJECT, DRIVER_OBJECT, FILE_OBJECT,
 * IRP, IO_STACK_LOCATION, and the interrupt-connection parameter blocks. Part of wdm.h.
 *
 * x64 WDK layouts; the sizes asserted below are those `dt nt!_DEVICE_OBJECT` & co. show
 * on 64-bit Windows 10. The simulator creates these objects in simulated memory and reads
 * and writes them through offsets taken from this file.
 */
#pragma once
#ifndef _KDSIM_IRP_H_
#define _KDSIM_IRP_H_

/* ---- Device object ---------------------------------------------------------------------- */

/*
 * One per device the driver controls (FDO/filter) or enumerates (PDO). DeviceQueue and Dpc
 * follow AlignmentRequirement: IoStartPacket queues IRPs in DeviceQueue, and
 * IoInitializeDpcRequest initializes Dpc for the DpcForIsr (KERNEL_MODEL section 2.3).
 * CurrentIrp is the packet StartIo is working on (what an ISR passes to IoRequestDpc).
 */
typedef struct DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) _DEVICE_OBJECT {
    CSHORT Type;                            /* IO_TYPE_DEVICE */
    USHORT Size;                            /* including the device extension */
    LONG ReferenceCount;
    struct _DRIVER_OBJECT *DriverObject;
    struct _DEVICE_OBJECT *NextDevice;      /* next device of the same driver */
    struct _DEVICE_OBJECT *AttachedDevice;  /* device attached above this one */
    struct _IRP *CurrentIrp;
    PIO_TIMER Timer;
    ULONG Flags;                            /* DO_* */
    ULONG Characteristics;                  /* FILE_* characteristics */
    volatile PVPB Vpb;
    PVOID DeviceExtension;                  /* driver-defined, nonpaged, zeroed */
    DEVICE_TYPE DeviceType;
    CCHAR StackSize;                        /* stack locations an IRP for it needs */
    union {
        LIST_ENTRY ListEntry;
        WAIT_CONTEXT_BLOCK Wcb;
    } Queue;
    ULONG AlignmentRequirement;
    KDEVICE_QUEUE DeviceQueue;
    KDPC Dpc;
    ULONG ActiveThreadCount;
    PSECURITY_DESCRIPTOR SecurityDescriptor;
    KEVENT DeviceLock;
    USHORT SectorSize;
    USHORT Spare1;
    struct _DEVOBJ_EXTENSION *DeviceObjectExtension;
    PVOID Reserved;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

_Static_assert(sizeof(DEVICE_OBJECT) == 0x150, "DEVICE_OBJECT size (x64)");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DriverObject) == 0x08, "DEVICE_OBJECT.DriverObject");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, AttachedDevice) == 0x18, "DEVICE_OBJECT.AttachedDevice");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, CurrentIrp) == 0x20, "DEVICE_OBJECT.CurrentIrp");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, Flags) == 0x30, "DEVICE_OBJECT.Flags");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DeviceExtension) == 0x40, "DEVICE_OBJECT.DeviceExtension");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DeviceType) == 0x48, "DEVICE_OBJECT.DeviceType");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, StackSize) == 0x4C, "DEVICE_OBJECT.StackSize");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, Queue) == 0x50, "DEVICE_OBJECT.Queue");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, AlignmentRequirement) == 0x98, "DEVICE_OBJECT.AlignmentRequirement");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DeviceQueue) == 0xA0, "DEVICE_OBJECT.DeviceQueue");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, Dpc) == 0xC8, "DEVICE_OBJECT.Dpc");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DeviceLock) == 0x118, "DEVICE_OBJECT.DeviceLock");
_Static_assert(FIELD_OFFSET(DEVICE_OBJECT, DeviceObjectExtension) == 0x138, "DEVICE_OBJECT.DeviceObjectExtension");

typedef struct _DEVOBJ_EXTENSION {
    CSHORT Type;
    USHORT Size;
    PDEVICE_OBJECT DeviceObject;
    /* further fields are private to the I/O manager */
} DEVOBJ_EXTENSION, *PDEVOBJ_EXTENSION;

/* ---- Driver object ------------------------------------------------------------------------- */

typedef struct _DRIVER_EXTENSION {
    struct _DRIVER_OBJECT *DriverObject;
    PDRIVER_ADD_DEVICE AddDevice;           /* set by a PnP driver's DriverEntry */
    ULONG Count;
    UNICODE_STRING ServiceKeyName;
    /* further fields are private to the I/O manager */
} DRIVER_EXTENSION, *PDRIVER_EXTENSION;

typedef struct _DRIVER_OBJECT {
    CSHORT Type;                            /* IO_TYPE_DRIVER */
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;            /* first of the driver's devices */
    ULONG Flags;
    PVOID DriverStart;
    ULONG DriverSize;
    PVOID DriverSection;
    PDRIVER_EXTENSION DriverExtension;
    UNICODE_STRING DriverName;              /* \Driver\<service name> */
    PUNICODE_STRING HardwareDatabase;
    PFAST_IO_DISPATCH FastIoDispatch;
    PDRIVER_INITIALIZE DriverInit;          /* DriverEntry */
    PDRIVER_STARTIO DriverStartIo;
    PDRIVER_UNLOAD DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

_Static_assert(sizeof(DRIVER_OBJECT) == 0x150, "DRIVER_OBJECT size (x64)");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, DriverExtension) == 0x30, "DRIVER_OBJECT.DriverExtension");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, DriverName) == 0x38, "DRIVER_OBJECT.DriverName");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, DriverInit) == 0x58, "DRIVER_OBJECT.DriverInit");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, DriverStartIo) == 0x60, "DRIVER_OBJECT.DriverStartIo");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, DriverUnload) == 0x68, "DRIVER_OBJECT.DriverUnload");
_Static_assert(FIELD_OFFSET(DRIVER_OBJECT, MajorFunction) == 0x70, "DRIVER_OBJECT.MajorFunction");

/* ---- File object ----------------------------------------------------------------------------- */

typedef struct _FILE_OBJECT {
    CSHORT Type;                            /* IO_TYPE_FILE */
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PVPB Vpb;
    PVOID FsContext;
    PVOID FsContext2;
    PSECTION_OBJECT_POINTERS SectionObjectPointer;
    PVOID PrivateCacheMap;
    NTSTATUS FinalStatus;
    struct _FILE_OBJECT *RelatedFileObject;
    BOOLEAN LockOperation;
    BOOLEAN DeletePending;
    BOOLEAN ReadAccess;
    BOOLEAN WriteAccess;
    BOOLEAN DeleteAccess;
    BOOLEAN SharedRead;
    BOOLEAN SharedWrite;
    BOOLEAN SharedDelete;
    ULONG Flags;
    UNICODE_STRING FileName;
    LARGE_INTEGER CurrentByteOffset;
    volatile ULONG Waiters;
    volatile ULONG Busy;
    PVOID LastLock;
    KEVENT Lock;
    KEVENT Event;
    volatile PIO_COMPLETION_CONTEXT CompletionContext;
    KSPIN_LOCK IrpListLock;
    LIST_ENTRY IrpList;
    volatile PVOID FileObjectExtension;
} FILE_OBJECT, *PFILE_OBJECT;

_Static_assert(sizeof(FILE_OBJECT) == 0xD8, "FILE_OBJECT size (x64)");
_Static_assert(FIELD_OFFSET(FILE_OBJECT, FsContext) == 0x18, "FILE_OBJECT.FsContext");
_Static_assert(FIELD_OFFSET(FILE_OBJECT, FileName) == 0x58, "FILE_OBJECT.FileName");
_Static_assert(FIELD_OFFSET(FILE_OBJECT, Event) == 0x98, "FILE_OBJECT.Event");

/* ---- IRP ------------------------------------------------------------------------------------ */

/*
 * The I/O request packet header; its IO_STACK_LOCATIONs follow it in memory (StackCount
 * of them). CurrentLocation counts down from StackCount + 1 as the IRP goes down the
 * stack, and Tail.Overlay.CurrentStackLocation points at the current location.
 * A driver that owns an IRP may use Tail.Overlay.ListEntry to queue it and
 * Tail.Overlay.DriverContext[] for its own data.
 */
typedef struct DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) _IRP {
    CSHORT Type;                            /* IO_TYPE_IRP */
    USHORT Size;
    struct _MDL *MdlAddress;                /* direct I/O buffer */
    ULONG Flags;                            /* IRP_* */
    union {
        struct _IRP *MasterIrp;
        volatile LONG IrpCount;
        PVOID SystemBuffer;                 /* buffered I/O buffer */
    } AssociatedIrp;
    LIST_ENTRY ThreadListEntry;
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    CHAR StackCount;
    CHAR CurrentLocation;
    BOOLEAN Cancel;
    KIRQL CancelIrql;                       /* IRQL to pass to IoReleaseCancelSpinLock in a Cancel routine */
    CCHAR ApcEnvironment;
    UCHAR AllocationFlags;
    union {
        PIO_STATUS_BLOCK UserIosb;
        PVOID IoRingContext;
    };
    PKEVENT UserEvent;
    union {
        struct {
            union {
                PIO_APC_ROUTINE UserApcRoutine;
                PVOID IssuingProcess;
            };
            union {
                PVOID UserApcContext;
                struct _IORING_OBJECT *IoRing;
            };
        } AsynchronousParameters;
        LARGE_INTEGER AllocationSize;
    } Overlay;
    volatile PDRIVER_CANCEL CancelRoutine;
    PVOID UserBuffer;                       /* METHOD_NEITHER / user buffer */
    union {
        struct {
            union {
                KDEVICE_QUEUE_ENTRY DeviceQueueEntry;   /* while in DEVICE_OBJECT.DeviceQueue */
                struct {
                    PVOID DriverContext[4];
                };
            };
            PETHREAD Thread;
            PCHAR AuxiliaryBuffer;
            struct {
                LIST_ENTRY ListEntry;
                union {
                    struct _IO_STACK_LOCATION *CurrentStackLocation;
                    ULONG PacketType;
                };
            };
            struct _FILE_OBJECT *OriginalFileObject;
        } Overlay;
        KAPC Apc;
        PVOID CompletionKey;
    } Tail;
} IRP, *PIRP;

_Static_assert(sizeof(IRP) == 0xD0, "IRP size (x64)");
_Static_assert(FIELD_OFFSET(IRP, MdlAddress) == 0x08, "IRP.MdlAddress");
_Static_assert(FIELD_OFFSET(IRP, Flags) == 0x10, "IRP.Flags");
_Static_assert(FIELD_OFFSET(IRP, AssociatedIrp) == 0x18, "IRP.AssociatedIrp");
_Static_assert(FIELD_OFFSET(IRP, IoStatus) == 0x30, "IRP.IoStatus");
_Static_assert(FIELD_OFFSET(IRP, RequestorMode) == 0x40, "IRP.RequestorMode");
_Static_assert(FIELD_OFFSET(IRP, StackCount) == 0x42, "IRP.StackCount");
_Static_assert(FIELD_OFFSET(IRP, CurrentLocation) == 0x43, "IRP.CurrentLocation");
_Static_assert(FIELD_OFFSET(IRP, Cancel) == 0x44, "IRP.Cancel");
_Static_assert(FIELD_OFFSET(IRP, CancelIrql) == 0x45, "IRP.CancelIrql");
_Static_assert(FIELD_OFFSET(IRP, UserIosb) == 0x48, "IRP.UserIosb");
_Static_assert(FIELD_OFFSET(IRP, Overlay) == 0x58, "IRP.Overlay");
_Static_assert(FIELD_OFFSET(IRP, CancelRoutine) == 0x68, "IRP.CancelRoutine");
_Static_assert(FIELD_OFFSET(IRP, UserBuffer) == 0x70, "IRP.UserBuffer");
_Static_assert(FIELD_OFFSET(IRP, Tail) == 0x78, "IRP.Tail");
_Static_assert(FIELD_OFFSET(IRP, Tail.Overlay.DriverContext) == 0x78, "IRP.Tail.Overlay.DriverContext");
_Static_assert(FIELD_OFFSET(IRP, Tail.Overlay.Thread) == 0x98, "IRP.Tail.Overlay.Thread");
_Static_assert(FIELD_OFFSET(IRP, Tail.Overlay.ListEntry) == 0xA8, "IRP.Tail.Overlay.ListEntry");
_Static_assert(FIELD_OFFSET(IRP, Tail.Overlay.CurrentStackLocation) == 0xB8,
               "IRP.Tail.Overlay.CurrentStackLocation");
_Static_assert(FIELD_OFFSET(IRP, Tail.Overlay.OriginalFileObject) == 0xC0,
               "IRP.Tail.Overlay.OriginalFileObject");

/* Bytes for an IRP with StackSize stack locations. */
#define IoSizeOfIrp(StackSize) \
    ((USHORT)(sizeof(IRP) + ((StackSize) * (sizeof(IO_STACK_LOCATION)))))

/* ---- Stack location ------------------------------------------------------------------------- */

/*
 * Per-driver view of an IRP: MajorFunction/MinorFunction and the Parameters for it.
 * On x64 the Parameters union is 0x20 bytes; POINTER_ALIGNMENT members start on an
 * 8-byte boundary (that is why Read.Key is at +8 and DeviceIoControl.IoControlCode at +0x10).
 */
typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;                            /* SL_* (meaning per major function) */
    UCHAR Control;                          /* SL_PENDING_RETURNED, SL_INVOKE_ON_* */
    union {
        /* IRP_MJ_CREATE */
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            USHORT POINTER_ALIGNMENT FileAttributes;
            USHORT ShareAccess;
            ULONG POINTER_ALIGNMENT EaLength;
        } Create;

        /* IRP_MJ_READ */
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Read;

        /* IRP_MJ_WRITE */
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Write;

        /* IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY */
        struct {
            ULONG Length;
            PUNICODE_STRING FileName;
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG POINTER_ALIGNMENT FileIndex;
        } QueryDirectory;

        /* IRP_MJ_DIRECTORY_CONTROL / IRP_MN_NOTIFY_CHANGE_DIRECTORY */
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT CompletionFilter;
        } NotifyDirectory;

        /* IRP_MJ_QUERY_INFORMATION */
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
        } QueryFile;

        /* IRP_MJ_SET_INFORMATION */
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
            PFILE_OBJECT FileObject;
            union {
                struct {
                    BOOLEAN ReplaceIfExists;
                    BOOLEAN AdvanceOnly;
                };
                ULONG ClusterCount;
                HANDLE DeleteHandle;
            };
        } SetFile;

        /* IRP_MJ_QUERY_VOLUME_INFORMATION */
        struct {
            ULONG Length;
            FS_INFORMATION_CLASS POINTER_ALIGNMENT FsInformationClass;
        } QueryVolume;

        /* IRP_MJ_FILE_SYSTEM_CONTROL */
        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
            PVOID Type3InputBuffer;
        } FileSystemControl;

        /* IRP_MJ_LOCK_CONTROL */
        struct {
            PLARGE_INTEGER Length;
            ULONG POINTER_ALIGNMENT Key;
            LARGE_INTEGER ByteOffset;
        } LockControl;

        /* IRP_MJ_DEVICE_CONTROL and IRP_MJ_INTERNAL_DEVICE_CONTROL */
        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;

        /* IRP_MJ_QUERY_SECURITY */
        struct {
            SECURITY_INFORMATION SecurityInformation;
            ULONG POINTER_ALIGNMENT Length;
        } QuerySecurity;

        /* IRP_MJ_SET_SECURITY */
        struct {
            SECURITY_INFORMATION SecurityInformation;
            PSECURITY_DESCRIPTOR SecurityDescriptor;
        } SetSecurity;

        /* IRP_MJ_SCSI (IRP_MJ_INTERNAL_DEVICE_CONTROL of storage class drivers) */
        struct {
            PSCSI_REQUEST_BLOCK Srb;
        } Scsi;

        /* IRP_MN_QUERY_DEVICE_RELATIONS */
        struct {
            DEVICE_RELATION_TYPE Type;
        } QueryDeviceRelations;

        /* IRP_MN_QUERY_INTERFACE */
        struct {
            const GUID *InterfaceType;
            USHORT Size;
            USHORT Version;
            PINTERFACE Interface;
            PVOID InterfaceSpecificData;
        } QueryInterface;

        /* IRP_MN_QUERY_CAPABILITIES */
        struct {
            PDEVICE_CAPABILITIES Capabilities;
        } DeviceCapabilities;

        /* IRP_MN_FILTER_RESOURCE_REQUIREMENTS */
        struct {
            PIO_RESOURCE_REQUIREMENTS_LIST IoResourceRequirementList;
        } FilterResourceRequirements;

        /* IRP_MN_READ_CONFIG and IRP_MN_WRITE_CONFIG */
        struct {
            ULONG WhichSpace;
            PVOID Buffer;
            ULONG Offset;
            ULONG POINTER_ALIGNMENT Length;
        } ReadWriteConfig;

        /* IRP_MN_SET_LOCK */
        struct {
            BOOLEAN Lock;
        } SetLock;

        /* IRP_MN_QUERY_ID */
        struct {
            BUS_QUERY_ID_TYPE IdType;
        } QueryId;

        /* IRP_MN_QUERY_DEVICE_TEXT */
        struct {
            DEVICE_TEXT_TYPE DeviceTextType;
            LCID POINTER_ALIGNMENT LocaleId;
        } QueryDeviceText;

        /* IRP_MN_DEVICE_USAGE_NOTIFICATION */
        struct {
            BOOLEAN InPath;
            BOOLEAN Reserved[3];
            DEVICE_USAGE_NOTIFICATION_TYPE POINTER_ALIGNMENT Type;
        } UsageNotification;

        /* IRP_MN_WAIT_WAKE */
        struct {
            SYSTEM_POWER_STATE PowerState;
        } WaitWake;

        /* IRP_MN_POWER_SEQUENCE */
        struct {
            PPOWER_SEQUENCE PowerSequence;
        } PowerSequence;

        /* IRP_MN_SET_POWER and IRP_MN_QUERY_POWER */
        struct {
            union {
                ULONG SystemContext;
                SYSTEM_POWER_STATE_CONTEXT SystemPowerStateContext;
            };
            POWER_STATE_TYPE POINTER_ALIGNMENT Type;
            POWER_STATE POINTER_ALIGNMENT State;
            POWER_ACTION POINTER_ALIGNMENT ShutdownType;
        } Power;

        /* IRP_MN_START_DEVICE: raw and translated resources (kdsim/cm.h). */
        struct {
            PCM_RESOURCE_LIST AllocatedResources;
            PCM_RESOURCE_LIST AllocatedResourcesTranslated;
        } StartDevice;

        /* IRP_MJ_SYSTEM_CONTROL (WMI) */
        struct {
            ULONG_PTR ProviderId;
            PVOID DataPath;
            ULONG BufferSize;
            PVOID Buffer;
        } WMI;

        /* Anything else */
        struct {
            PVOID Argument1;
            PVOID Argument2;
            PVOID Argument3;
            PVOID Argument4;
        } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;            /* the device this location is for */
    PFILE_OBJECT FileObject;
    PIO_COMPLETION_ROUTINE CompletionRoutine;   /* set by the driver ABOVE (IoSetCompletionRoutine) */
    PVOID Context;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

_Static_assert(sizeof(IO_STACK_LOCATION) == 0x48, "IO_STACK_LOCATION size (x64)");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Control) == 0x03, "IO_STACK_LOCATION.Control");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters) == 0x08, "IO_STACK_LOCATION.Parameters");
_Static_assert(RTL_FIELD_SIZE(IO_STACK_LOCATION, Parameters) == 0x20, "IO_STACK_LOCATION.Parameters size");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.Read.Key) == 0x10, "Parameters.Read.Key");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.Read.ByteOffset) == 0x18, "Parameters.Read.ByteOffset");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.Create.FileAttributes) == 0x18,
               "Parameters.Create.FileAttributes");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.DeviceIoControl.InputBufferLength) == 0x10,
               "Parameters.DeviceIoControl.InputBufferLength");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.DeviceIoControl.IoControlCode) == 0x18,
               "Parameters.DeviceIoControl.IoControlCode");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.DeviceIoControl.Type3InputBuffer) == 0x20,
               "Parameters.DeviceIoControl.Type3InputBuffer");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.Power.State) == 0x18, "Parameters.Power.State");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Parameters.StartDevice.AllocatedResourcesTranslated) == 0x10,
               "Parameters.StartDevice.AllocatedResourcesTranslated");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, DeviceObject) == 0x28, "IO_STACK_LOCATION.DeviceObject");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, FileObject) == 0x30, "IO_STACK_LOCATION.FileObject");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, CompletionRoutine) == 0x38, "IO_STACK_LOCATION.CompletionRoutine");
_Static_assert(FIELD_OFFSET(IO_STACK_LOCATION, Context) == 0x40, "IO_STACK_LOCATION.Context");

/* ---- Interrupt connection (KERNEL_MODEL sections 3.1-3.2) ------------------------------------ */

#define CONNECT_FULLY_SPECIFIED         0x1
#define CONNECT_LINE_BASED              0x2
#define CONNECT_MESSAGE_BASED           0x3
#define CONNECT_FULLY_SPECIFIED_GROUP   0x4
#define CONNECT_MESSAGE_BASED_PASSIVE   0x5
#define CONNECT_CURRENT_VERSION         0x5

typedef struct _IO_INTERRUPT_MESSAGE_INFO_ENTRY {
    PHYSICAL_ADDRESS MessageAddress;
    KAFFINITY TargetProcessorSet;
    PKINTERRUPT InterruptObject;
    ULONG MessageData;
    ULONG Vector;
    KIRQL Irql;
    KINTERRUPT_MODE Mode;
    KINTERRUPT_POLARITY Polarity;
} IO_INTERRUPT_MESSAGE_INFO_ENTRY, *PIO_INTERRUPT_MESSAGE_INFO_ENTRY;

typedef struct _IO_INTERRUPT_MESSAGE_INFO {
    KIRQL UnifiedIrql;
    ULONG MessageCount;
    IO_INTERRUPT_MESSAGE_INFO_ENTRY MessageInfo[1];     /* MessageCount entries */
} IO_INTERRUPT_MESSAGE_INFO, *PIO_INTERRUPT_MESSAGE_INFO;

typedef struct _IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS {
    _In_ PDEVICE_OBJECT PhysicalDeviceObject;
    _Out_ PKINTERRUPT *InterruptObject;
    _In_ PKSERVICE_ROUTINE ServiceRoutine;
    _In_ PVOID ServiceContext;
    _In_opt_ PKSPIN_LOCK SpinLock;
    _In_ KIRQL SynchronizeIrql;
    _In_ BOOLEAN FloatingSave;
    _In_ BOOLEAN ShareVector;
    _In_ ULONG Vector;
    _In_ KIRQL Irql;
    _In_ KINTERRUPT_MODE InterruptMode;
    _In_ KAFFINITY ProcessorEnableMask;
    _In_ USHORT Group;                      /* CONNECT_FULLY_SPECIFIED_GROUP only */
} IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS, *PIO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS;

typedef struct _IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS {
    _In_ PDEVICE_OBJECT PhysicalDeviceObject;
    _Out_ PKINTERRUPT *InterruptObject;
    _In_ PKSERVICE_ROUTINE ServiceRoutine;
    _In_ PVOID ServiceContext;
    _In_opt_ PKSPIN_LOCK SpinLock;
    _In_opt_ KIRQL SynchronizeIrql;         /* a minimum: the system uses max(this, DIRQL) */
    _In_ BOOLEAN FloatingSave;
} IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS, *PIO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS;

typedef struct _IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS {
    _In_ PDEVICE_OBJECT PhysicalDeviceObject;
    union {
        _Out_ PVOID *Generic;
        _Out_ PIO_INTERRUPT_MESSAGE_INFO *InterruptMessageTable;
        _Out_ PKINTERRUPT *InterruptObject;
    } ConnectionContext;
    _In_ PKMESSAGE_SERVICE_ROUTINE MessageServiceRoutine;
    _In_ PVOID ServiceContext;
    _In_opt_ PKSPIN_LOCK SpinLock;
    _In_opt_ KIRQL SynchronizeIrql;
    _In_ BOOLEAN FloatingSave;
    _In_opt_ PKSERVICE_ROUTINE FallBackServiceRoutine;  /* used if it falls back to LINE_BASED */
} IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS, *PIO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS;

/* Version selects the member; on return from a MESSAGE_BASED request Version says what
   was actually connected. */
typedef struct _IO_CONNECT_INTERRUPT_PARAMETERS {
    _Inout_ ULONG Version;
    union {
        IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS FullySpecified;
        IO_CONNECT_INTERRUPT_LINE_BASED_PARAMETERS LineBased;
        IO_CONNECT_INTERRUPT_MESSAGE_BASED_PARAMETERS MessageBased;
    };
} IO_CONNECT_INTERRUPT_PARAMETERS, *PIO_CONNECT_INTERRUPT_PARAMETERS;

typedef struct _IO_DISCONNECT_INTERRUPT_PARAMETERS {
    _In_ ULONG Version;
    union {
        _In_ PVOID Generic;
        _In_ PKINTERRUPT InterruptObject;
        _In_ PIO_INTERRUPT_MESSAGE_INFO InterruptMessageTable;
    } ConnectionContext;
} IO_DISCONNECT_INTERRUPT_PARAMETERS, *PIO_DISCONNECT_INTERRUPT_PARAMETERS;

_Static_assert(sizeof(IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS) == 0x48 &&
               FIELD_OFFSET(IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS, Vector) == 0x2C &&
               FIELD_OFFSET(IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS, ProcessorEnableMask) == 0x38,
               "IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS");
_Static_assert(FIELD_OFFSET(IO_CONNECT_INTERRUPT_PARAMETERS, FullySpecified) == 0x08,
               "IO_CONNECT_INTERRUPT_PARAMETERS union follows Version at +8");

#endif /* _KDSIM_IRP_H_ */

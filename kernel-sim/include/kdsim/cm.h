/*
 * kdsim/cm.h - hardware resource descriptors (CM_RESOURCE_LIST and friends), as handed to
 * a driver in IRP_MN_START_DEVICE (Parameters.StartDevice.AllocatedResources[Translated]).
 * Part of wdm.h.
 *
 * The WDK declares these structures under #pragma pack(4) (pshpack4.h), so the 64-bit
 * members of the `u` union are only 4-byte aligned: CM_PARTIAL_RESOURCE_DESCRIPTOR is
 * 0x14 bytes on x64 (Type, ShareDisposition, Flags, then a 16-byte union at offset 4).
 * The simulator writes resource lists into driver-visible memory with exactly this layout.
 */
#pragma once
#ifndef _KDSIM_CM_H_
#define _KDSIM_CM_H_

typedef enum _INTERFACE_TYPE {
    InterfaceTypeUndefined = -1,
    Internal,
    Isa,
    Eisa,
    MicroChannel,
    TurboChannel,
    PCIBus,
    VMEBus,
    NuBus,
    PCMCIABus,
    CBus,
    MPIBus,
    MPSABus,
    ProcessorInternal,
    InternalPowerBus,
    PNPISABus,
    PNPBus,
    Vmcs,
    ACPIBus,
    MaximumInterfaceType
} INTERFACE_TYPE, *PINTERFACE_TYPE;

/* CM_PARTIAL_RESOURCE_DESCRIPTOR.Type */
#define CmResourceTypeNull              0
#define CmResourceTypePort              1
#define CmResourceTypeInterrupt         2
#define CmResourceTypeMemory            3
#define CmResourceTypeDma               4
#define CmResourceTypeDeviceSpecific    5
#define CmResourceTypeBusNumber         6
#define CmResourceTypeMemoryLarge       7
#define CmResourceTypeNonArbitrated     128
#define CmResourceTypeConfigData        128
#define CmResourceTypeDevicePrivate     129
#define CmResourceTypePcCardConfig      130
#define CmResourceTypeMfCardConfig      131
#define CmResourceTypeConnection        132

/* CM_PARTIAL_RESOURCE_DESCRIPTOR.ShareDisposition */
typedef enum _CM_SHARE_DISPOSITION {
    CmResourceShareUndetermined = 0,
    CmResourceShareDeviceExclusive,
    CmResourceShareDriverExclusive,
    CmResourceShareShared
} CM_SHARE_DISPOSITION;

/* Flags for CmResourceTypeInterrupt */
#define CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE       0x0000
#define CM_RESOURCE_INTERRUPT_LATCHED               0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE               0x0002
#define CM_RESOURCE_INTERRUPT_POLICY_INCLUDED       0x0004
#define CM_RESOURCE_INTERRUPT_SECONDARY_INTERRUPT   0x0010
#define CM_RESOURCE_INTERRUPT_WAKE_HINT             0x0020
#define CM_RESOURCE_INTERRUPT_LEVEL_LATCHED_BITS    0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE_TOKEN         ((ULONG)-2)

/* Flags for CmResourceTypeMemory */
#define CM_RESOURCE_MEMORY_READ_WRITE               0x0000
#define CM_RESOURCE_MEMORY_READ_ONLY                0x0001
#define CM_RESOURCE_MEMORY_WRITE_ONLY               0x0002
#define CM_RESOURCE_MEMORY_WRITEABILITY_MASK        0x0003
#define CM_RESOURCE_MEMORY_PREFETCHABLE             0x0004
#define CM_RESOURCE_MEMORY_COMBINEDWRITE            0x0008
#define CM_RESOURCE_MEMORY_24                       0x0010
#define CM_RESOURCE_MEMORY_CACHEABLE                0x0020
#define CM_RESOURCE_MEMORY_WINDOW_DECODE            0x0040
#define CM_RESOURCE_MEMORY_BAR                      0x0080
#define CM_RESOURCE_MEMORY_COMPAT_FOR_INACCESSIBLE_RANGE 0x0100
#define CM_RESOURCE_MEMORY_LARGE                    0x0E00
#define CM_RESOURCE_MEMORY_LARGE_40                 0x0200
#define CM_RESOURCE_MEMORY_LARGE_48                 0x0400
#define CM_RESOURCE_MEMORY_LARGE_64                 0x0800

/* Flags for CmResourceTypePort. In a translated list a port range may have become memory:
   CM_RESOURCE_PORT_IO clear means "map it with MmMapIoSpace". */
#define CM_RESOURCE_PORT_MEMORY                     0x0000
#define CM_RESOURCE_PORT_IO                         0x0001
#define CM_RESOURCE_PORT_10_BIT_DECODE              0x0004
#define CM_RESOURCE_PORT_12_BIT_DECODE              0x0008
#define CM_RESOURCE_PORT_16_BIT_DECODE              0x0010
#define CM_RESOURCE_PORT_POSITIVE_DECODE            0x0020
#define CM_RESOURCE_PORT_PASSIVE_DECODE             0x0040
#define CM_RESOURCE_PORT_WINDOW_DECODE              0x0080
#define CM_RESOURCE_PORT_BAR                        0x0100

/* Flags for CmResourceTypeDma */
#define CM_RESOURCE_DMA_8                           0x0000
#define CM_RESOURCE_DMA_16                          0x0001
#define CM_RESOURCE_DMA_32                          0x0002
#define CM_RESOURCE_DMA_8_AND_16                    0x0004
#define CM_RESOURCE_DMA_BUS_MASTER                  0x0008
#define CM_RESOURCE_DMA_TYPE_A                      0x0010
#define CM_RESOURCE_DMA_TYPE_B                      0x0020
#define CM_RESOURCE_DMA_TYPE_F                      0x0040
#define CM_RESOURCE_DMA_V3                          0x0080

#pragma pack(push, 4)

typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
    UCHAR Type;                     /* CmResourceType* */
    UCHAR ShareDisposition;         /* CM_SHARE_DISPOSITION */
    USHORT Flags;
    union {
        /* Generic: the common shape of Port and Memory. */
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length;
        } Generic;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length;
        } Port;
        /* Translated: Level = the DIRQL, Vector = the IDT vector (IRQL = Vector >> 4 on
           x64), Affinity = processors it may be delivered to. */
        struct {
            ULONG Level;
            ULONG Vector;
            KAFFINITY Affinity;
        } Interrupt;
        struct {
            union {
                struct {
                    USHORT Reserved;
                    USHORT MessageCount;
                    ULONG Vector;
                    KAFFINITY Affinity;
                } Raw;
                struct {
                    ULONG Level;
                    ULONG Vector;
                    KAFFINITY Affinity;
                } Translated;
            };
        } MessageInterrupt;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length;
        } Memory;
        struct {
            ULONG Channel;
            ULONG Port;
            ULONG Reserved1;
        } Dma;
        struct {
            ULONG Channel;
            ULONG RequestLine;
            UCHAR TransferWidth;
            UCHAR Reserved1;
            UCHAR Reserved2;
            UCHAR Reserved3;
        } DmaV3;
        struct {
            ULONG Data[3];
        } DevicePrivate;
        struct {
            ULONG Start;
            ULONG Length;
            ULONG Reserved;
        } BusNumber;
        struct {
            ULONG DataSize;
            ULONG Reserved1;
            ULONG Reserved2;
        } DeviceSpecificData;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length40;
        } Memory40;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length48;
        } Memory48;
        struct {
            PHYSICAL_ADDRESS Start;
            ULONG Length64;
        } Memory64;
        struct {
            UCHAR Class;
            UCHAR Type;
            UCHAR Reserved1;
            UCHAR Reserved2;
            ULONG IdLowPart;
            ULONG IdHighPart;
        } Connection;
    } u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;

typedef struct _CM_PARTIAL_RESOURCE_LIST {
    USHORT Version;
    USHORT Revision;
    ULONG Count;
    CM_PARTIAL_RESOURCE_DESCRIPTOR PartialDescriptors[1];   /* Count entries */
} CM_PARTIAL_RESOURCE_LIST, *PCM_PARTIAL_RESOURCE_LIST;

typedef struct _CM_FULL_RESOURCE_DESCRIPTOR {
    INTERFACE_TYPE InterfaceType;
    ULONG BusNumber;
    CM_PARTIAL_RESOURCE_LIST PartialResourceList;
} CM_FULL_RESOURCE_DESCRIPTOR, *PCM_FULL_RESOURCE_DESCRIPTOR;

typedef struct _CM_RESOURCE_LIST {
    ULONG Count;
    CM_FULL_RESOURCE_DESCRIPTOR List[1];                    /* Count entries */
} CM_RESOURCE_LIST, *PCM_RESOURCE_LIST;

#pragma pack(pop)

_Static_assert(sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR) == 0x14, "CM_PARTIAL_RESOURCE_DESCRIPTOR (pack 4)");
_Static_assert(FIELD_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u) == 0x04, "CM_PARTIAL_RESOURCE_DESCRIPTOR.u");
_Static_assert(FIELD_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Vector) == 0x08, "u.Interrupt.Vector");
_Static_assert(FIELD_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity) == 0x0C, "u.Interrupt.Affinity");
_Static_assert(FIELD_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length) == 0x0C, "u.Memory.Length");
_Static_assert(sizeof(CM_PARTIAL_RESOURCE_LIST) == 0x1C, "CM_PARTIAL_RESOURCE_LIST");
_Static_assert(sizeof(CM_FULL_RESOURCE_DESCRIPTOR) == 0x24, "CM_FULL_RESOURCE_DESCRIPTOR");
_Static_assert(sizeof(CM_RESOURCE_LIST) == 0x28 && FIELD_OFFSET(CM_RESOURCE_LIST, List) == 4,
               "CM_RESOURCE_LIST");

/* I/O resource requirements (IRP_MN_FILTER_RESOURCE_REQUIREMENTS): opaque in kdsim. */
typedef struct _IO_RESOURCE_REQUIREMENTS_LIST *PIO_RESOURCE_REQUIREMENTS_LIST;

#endif /* _KDSIM_CM_H_ */

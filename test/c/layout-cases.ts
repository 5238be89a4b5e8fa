// The declarations the layout differential test (layout-gcc.test.ts) lays out with kdsim and
// with gcc -mms-bitfields. Written with types that mean the same under LP64 gcc and LLP64
// kdsim (see WINDOWS_PRELUDE in test/helpers/gcc-layout.ts); DECLSPEC_ALIGN expands to
// __attribute__((aligned)) for gcc and __declspec(align) for kdsim.

export interface Group {
  name: string;
  decls: string;
  types: string[];
}

export const PLAIN: Group = {
  name: 'plain structs with padding',
  decls: `
struct A1 { char c; int i; };
struct A2 { char c; double d; char e; };
struct A3 { short s; char c; };
struct A4 { char a, b, c; };
struct A5 { int i; long long ll; char c; };
struct A6 { char c; void *p; short s; };
struct A7 { float f; char c; double d[3]; short s; };
struct A8 { char c[5]; int i; char d[3]; };
struct A9 { long long a; char b; };
typedef struct _UNICODE_STRING { USHORT Length; USHORT MaximumLength; WCHAR *Buffer; } UNICODE_STRING, *PUNICODE_STRING;
typedef struct { unsigned char b; unsigned short w; unsigned int d; unsigned long long q; float f; double g; } A11;
struct A12 { char c; };
struct A13 { double d; char c[1]; };
`,
  types: ['struct A1', 'struct A2', 'struct A3', 'struct A4', 'struct A5', 'struct A6', 'struct A7', 'struct A8', 'struct A9', 'UNICODE_STRING', 'A11', 'struct A12', 'struct A13'],
};

export const NESTED: Group = {
  name: 'nested structs and arrays of structs',
  decls: `
struct N0 { char c; int i; };
struct N1 { char c; struct N0 inner; char d; };
struct N2 { struct { char c; double d; char e; } arr[3]; char tail; };
struct N3 { char c; struct { short x; double y; } n; int k; };
struct N4 { struct N1 b[2][2]; int z; };
struct N5 { int n; struct { char c; struct { long long q; char r; } deep; } mid; };
typedef struct { struct N0 a; struct N0 b; char c; } N6;
typedef N6 N6ARR[3];
struct N7 { char c; N6ARR many; };
`,
  types: ['struct N0', 'struct N1', 'struct N2', 'struct N3', 'struct N4', 'struct N5', 'N6', 'N6ARR', 'struct N7'],
};

export const UNIONS: Group = {
  name: 'unions and anonymous members (C11)',
  decls: `
union C1 { char c; int i; double d; };
union C2 { char c[9]; int i; };
struct C3 { char tag; union { int i; float f; char b[6]; }; short after; };
struct C4 { int k; struct { char x; int y; }; char z; };
union C5 { struct { ULONG Low; LONG High; }; struct { ULONG LowPart; LONG HighPart; } u; LONGLONG QuadPart; };
union C6 { struct { char a; union { short s; struct { char p, q, r; }; }; }; int whole; };
struct C7 { union { struct { int a, b; }; long long ab; }; union { char c; double d; } named; };
union C8 { char c[3]; short s; };
struct C9 { char c; union C8 u; char d; };
union C10 { struct { char a; long long b; } s; char c[17]; };
`,
  types: ['union C1', 'union C2', 'struct C3', 'struct C4', 'union C5', 'union C6', 'struct C7', 'union C8', 'struct C9', 'union C10'],
};

export const BITFIELDS: Group = {
  name: 'bit-fields (MSVC units: a new unit when the type size changes)',
  decls: `
enum E1 { E1_A, E1_B, E1_C };
struct D1 { unsigned a:1, b:2, c:3; };
struct D2 { unsigned a:31; unsigned b:2; };
struct D3 { char a:3; char b:5; char c:1; };
struct D4 { short a:9; short b:7; short c:1; };
struct D5 { char a:4; int b:4; char c:4; };
struct D6 { int a:4; unsigned b:4; };
struct D7 { long long a:40; long long b:30; };
struct D8 { long long a:3; int b:3; long long c:3; };
struct D9 { unsigned short a:4; unsigned char b:4; unsigned short c:4; };
struct D10 { int a:8; int :0; int b:8; };
struct D11 { char c; int :0; char d; };
struct D12 { char a:2; long long :0; char b; };
struct D13 { int a:3; int :5; int b:3; };
struct D14 { _Bool f1:1; _Bool f2:1; char c:2; };
struct D15 { signed char s:3; unsigned char u:5; };
struct D16 { int a:32; unsigned b:32; long long c:64; };
struct D17 { char c; unsigned x:20; char d; };
struct D18 { unsigned a:1; double d; unsigned b:1; };
struct D19 { enum E1 e:3; int x:4; };
struct D20 { unsigned char a:7; unsigned char b:2; unsigned char c:7; };
union D21 { int a:3; char b:7; long long c:33; };
struct D22 { int :0; int a:3; };
struct D23 { short a:3; int :0; short b:3; };
struct D24 { char a:1; short :0; char b; short c; };
struct D25 { struct { unsigned x:4, y:4; } s; unsigned z:4; };
struct D26 { unsigned a:4; union { unsigned b:3; unsigned char c; }; unsigned d:4; };
struct D27 { long long a:1; char b; long long c:1; };
struct D28 { unsigned a:4; unsigned :0; unsigned :0; unsigned b:4; };
struct D29 { char c; long long x:1; };
struct D30 { unsigned short a:15; unsigned short b:2; unsigned int c:15; unsigned int d:17; unsigned int e:1; };
struct D31 { ULONG SyncCallback:1; ULONG DmaContext:1; ULONG ZeroMapRegisters:1; ULONG Reserved:9; ULONG NumberOfRemapPages:20; };
struct D32 { int a:1; int :0; char b:1; int :0; long long c:1; };
union D33 { unsigned :5; char c; };
struct D34 { char :3; char a:5; };
`,
  types: [
    'struct D1', 'struct D2', 'struct D3', 'struct D4', 'struct D5', 'struct D6', 'struct D7', 'struct D8', 'struct D9', 'struct D10',
    'struct D11', 'struct D12', 'struct D13', 'struct D14', 'struct D15', 'struct D16', 'struct D17', 'struct D18', 'struct D19', 'struct D20',
    'union D21', 'struct D22', 'struct D23', 'struct D24', 'struct D25', 'struct D26', 'struct D27', 'struct D28', 'struct D29', 'struct D30',
    'struct D31', 'struct D32', 'union D33', 'struct D34',
  ],
};

export const PACK: Group = {
  name: '#pragma pack',
  decls: `
struct P0 { char c; int i; };
#pragma pack(push, 1)
struct P1 { char c; int i; short s; };
struct P2 { char c; long long q; };
struct P10 { char c; struct P0 inner; int i; };
#pragma pack(pop)
#pragma pack(push, 2)
struct P3 { char c; int i; char d; };
struct P4 { char c; unsigned x:12; unsigned y:12; char d; };
#pragma pack(pop)
#pragma pack(push, 4)
struct P5 { char c; long long q; double d; };
union P6 { char c[5]; long long q; };
struct P11 { char a:3; long long b:40; char c; };
#pragma pack(pop)
#pragma pack(push, 8)
struct P7 { char c; long long q; int i; };
#pragma pack(pop)
#pragma pack(2)
struct P8 { char c; int i; };
#pragma pack()
struct P9 { char c; int i; };
#pragma pack(push, 1)
#pragma pack(push, 4)
struct P12 { char c; long long q; };
#pragma pack(pop)
struct P13 { char c; long long q; };
#pragma pack(pop)
struct P14 { char c; long long q; };
#pragma pack(push, 1)
struct P15 { char c; struct { short s; long long q; } inner; };
#pragma pack(pop)
struct P16 { char c; struct P1 p; };
`,
  types: ['struct P0', 'struct P1', 'struct P2', 'struct P3', 'struct P4', 'struct P5', 'union P6', 'struct P7', 'struct P8', 'struct P9', 'struct P10', 'struct P11', 'struct P12', 'struct P13', 'struct P14', 'struct P15', 'struct P16'],
};

export const ALIGN: Group = {
  name: 'alignment attributes (__declspec(align) / __attribute__((aligned)) / _Alignas)',
  decls: `
struct DECLSPEC_ALIGN(16) F1 { int a; };
struct F2 { char c; struct F1 f; };
struct F3 { char c; DECLSPEC_ALIGN(16) int x; char d; };
struct F4 { char c; int x __attribute__((aligned(8))); };
struct F5 { char c; _Alignas(8) short s; };
typedef struct DECLSPEC_ALIGN(8) _F6 { char c; } F6;
struct F7 { F6 a[3]; char z; };
struct DECLSPEC_ALIGN(32) F8 { char c; DECLSPEC_ALIGN(16) char d; };
struct F9 { char c; } __attribute__((aligned(16)));
union DECLSPEC_ALIGN(16) F10 { char c; int i; };
`,
  types: ['struct F1', 'struct F2', 'struct F3', 'struct F4', 'struct F5', 'F6', 'struct F7', 'struct F8', 'struct F9', 'union F10'],
};

export const MISC: Group = {
  name: 'flexible arrays, pointers, function pointers, enums, empty structs',
  decls: `
struct G1 { int n; char data[]; };
struct G2 { long long n; short data[]; };
struct G3 { char c; int data[]; };
struct G4 { void (*fn)(int); char c; int (*arr)[3]; char *s; };
typedef int (*PFN)(void *, int);
struct G5 { char c; PFN f; PFN table[4]; };
enum G_E { GE_A, GE_B = 100, GE_C };
struct G6 { char c; enum G_E e; char d; };
struct G7 {};
struct G8 { char z[0]; };
struct G9 { struct G7 e; int x; struct G7 f; };
struct G10 { char c; struct G10 *self; struct G10 **pp; };
struct G11 { char c; long long big[0]; };
struct G12 { short s; union { char c; int i; } tail[]; };
`,
  types: ['struct G1', 'struct G2', 'struct G3', 'struct G4', 'struct G5', 'struct G6', 'struct G7', 'struct G8', 'struct G9', 'struct G10', 'struct G11', 'struct G12'],
};

export const WINDOWS: Group = {
  name: 'Windows shapes (LIST_ENTRY, LARGE_INTEGER, KDPC, IO_STATUS_BLOCK, CM_PARTIAL_RESOURCE_DESCRIPTOR, DEVICE_OBJECT)',
  decls: `
typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink; struct _LIST_ENTRY *Blink; } LIST_ENTRY, *PLIST_ENTRY;
typedef struct _SINGLE_LIST_ENTRY { struct _SINGLE_LIST_ENTRY *Next; } SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;
typedef union _LARGE_INTEGER {
  struct { ULONG LowPart; LONG HighPart; };
  struct { ULONG LowPart; LONG HighPart; } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
typedef LARGE_INTEGER PHYSICAL_ADDRESS;
typedef struct _KDPC {
  union {
    ULONG TargetInfoAsUlong;
    struct { UCHAR Type; UCHAR Importance; volatile USHORT Number; };
  };
  SINGLE_LIST_ENTRY DpcListEntry;
  KAFFINITY ProcessorHistory;
  PVOID DeferredRoutine;
  PVOID DeferredContext;
  PVOID SystemArgument1;
  PVOID SystemArgument2;
  volatile PVOID DpcData;
} KDPC, *PKDPC;
typedef struct _KDPC_SIMPLE { UCHAR Type; UCHAR Importance; volatile USHORT Number; SINGLE_LIST_ENTRY DpcListEntry; PVOID DeferredRoutine; } KDPC_SIMPLE;
typedef struct _IO_STATUS_BLOCK {
  union { NTSTATUS Status; PVOID Pointer; };
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
#pragma pack(push, 4)
typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
  UCHAR Type;
  UCHAR ShareDisposition;
  USHORT Flags;
  union {
    struct { PHYSICAL_ADDRESS Start; ULONG Length; } Generic;
    struct { PHYSICAL_ADDRESS Start; ULONG Length; } Port;
    struct { USHORT Level; USHORT Group; ULONG Vector; KAFFINITY Affinity; } Interrupt;
    struct {
      union {
        struct { USHORT Group; USHORT MessageCount; ULONG Vector; KAFFINITY Affinity; } Raw;
        struct { USHORT Level; USHORT Group; ULONG Vector; KAFFINITY Affinity; } Translated;
      };
    } MessageInterrupt;
    struct { PHYSICAL_ADDRESS Start; ULONG Length; } Memory;
    struct { ULONG Channel; ULONG Port; ULONG Reserved1; } Dma;
    struct { ULONG Data[3]; } DevicePrivate;
    struct { ULONG Start; ULONG Length; ULONG Reserved; } BusNumber;
    struct { ULONG DataSize; ULONG Reserved1; ULONG Reserved2; } DeviceSpecificData;
    struct { PHYSICAL_ADDRESS Start; ULONG Length40; } Memory40;
  } u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;
typedef struct _CM_PARTIAL_RESOURCE_LIST {
  USHORT Version;
  USHORT Revision;
  ULONG Count;
  CM_PARTIAL_RESOURCE_DESCRIPTOR PartialDescriptors[1];
} CM_PARTIAL_RESOURCE_LIST;
#pragma pack(pop)
typedef struct _KDEVICE_QUEUE { SHORT Type; SHORT Size; LIST_ENTRY DeviceListHead; KSPIN_LOCK Lock; BOOLEAN Busy; } KDEVICE_QUEUE;
typedef struct _KDEVICE_QUEUE_ENTRY { LIST_ENTRY DeviceListEntry; ULONG SortKey; BOOLEAN Inserted; } KDEVICE_QUEUE_ENTRY;
typedef struct _WAIT_CONTEXT_BLOCK {
  union {
    KDEVICE_QUEUE_ENTRY WaitQueueEntry;
    struct {
      LIST_ENTRY DmaWaitEntry;
      ULONG NumberOfChannels;
      ULONG SyncCallback : 1;
      ULONG DmaContext : 1;
      ULONG ZeroMapRegisters : 1;
      ULONG Reserved : 9;
      ULONG NumberOfRemapPages : 20;
    };
  };
  PVOID DeviceRoutine;
  PVOID DeviceContext;
  ULONG NumberOfMapRegisters;
  PVOID DeviceObject;
  PVOID CurrentIrp;
  PKDPC BufferChainingDpc;
} WAIT_CONTEXT_BLOCK;
typedef struct _DISPATCHER_HEADER {
  union {
    struct { UCHAR Type; UCHAR Signalling; UCHAR Size; UCHAR Reserved1; };
    volatile LONG Lock;
  };
  LONG SignalState;
  LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER;
typedef struct _KEVENT { DISPATCHER_HEADER Header; } KEVENT, *PKEVENT;
typedef struct DECLSPEC_ALIGN(16) _DEVICE_OBJECT {
  SHORT Type;
  USHORT Size;
  LONG ReferenceCount;
  struct _DRIVER_OBJECT *DriverObject;
  struct _DEVICE_OBJECT *NextDevice;
  struct _DEVICE_OBJECT *AttachedDevice;
  struct _IRP *CurrentIrp;
  PVOID Timer;
  ULONG Flags;
  ULONG Characteristics;
  volatile PVOID Vpb;
  PVOID DeviceExtension;
  ULONG DeviceType;
  CHAR StackSize;
  union { LIST_ENTRY ListEntry; WAIT_CONTEXT_BLOCK Wcb; } Queue;
  ULONG AlignmentRequirement;
  KDEVICE_QUEUE DeviceQueue;
  KDPC Dpc;
  ULONG ActiveThreadCount;
  PVOID SecurityDescriptor;
  KEVENT DeviceLock;
  USHORT SectorSize;
  USHORT Spare1;
  struct _DEVOBJ_EXTENSION *DeviceObjectExtension;
  PVOID Reserved;
} DEVICE_OBJECT, *PDEVICE_OBJECT;
typedef struct _KINTERRUPT_LIKE {
  SHORT Type; SHORT Size; LIST_ENTRY InterruptListEntry; PVOID ServiceRoutine; PVOID MessageServiceRoutine;
  ULONG MessageIndex; PVOID ServiceContext; KSPIN_LOCK SpinLock; ULONG TickCount; PKSPIN_LOCK_PLACEHOLDER ActualLock;
  PVOID DispatchAddress; ULONG Vector; KIRQL Irql; KIRQL SynchronizeIrql; BOOLEAN FloatingSave; BOOLEAN Connected;
  ULONG Number; BOOLEAN ShareVector; BOOLEAN EmulateActiveBoth; USHORT ActiveCount; LONG InternalState; int Mode; int Polarity;
  ULONG ServiceCount; ULONG DispatchCount; PKEVENT PassiveEvent;
} KINTERRUPT_LIKE;
`,
  types: [
    'LIST_ENTRY', 'SINGLE_LIST_ENTRY', 'LARGE_INTEGER', 'PHYSICAL_ADDRESS', 'KDPC', 'KDPC_SIMPLE', 'IO_STATUS_BLOCK', 'CM_PARTIAL_RESOURCE_DESCRIPTOR',
    'CM_PARTIAL_RESOURCE_LIST', 'KDEVICE_QUEUE', 'KDEVICE_QUEUE_ENTRY', 'WAIT_CONTEXT_BLOCK', 'DISPATCHER_HEADER', 'KEVENT', 'DEVICE_OBJECT', 'KINTERRUPT_LIKE',
  ],
};
// KINTERRUPT_LIKE uses a pointer typedef declared before the group.
WINDOWS.decls = 'typedef KSPIN_LOCK *PKSPIN_LOCK_PLACEHOLDER;\n' + WINDOWS.decls;

export const FORWARD: Group = {
  name: 'typedef of a struct declared before its definition (typedef struct _X X; ... struct _X { ... })',
  decls: `
typedef struct _FWD FWD, *PFWD;
typedef FWD *PFWD2;
struct _FWD { PFWD Next; int Value; char Tag; };
struct FWD_USER { FWD inner; char c; FWD arr[2]; };
typedef struct _IRP_LIKE IRP_LIKE;
typedef union _FWD_U FWD_U;
union _FWD_U { char c; long long q; };
struct _IRP_LIKE { short Type; unsigned short Size; FWD_U u; IRP_LIKE *MasterIrp; };
`,
  types: ['FWD', 'struct _FWD', 'struct FWD_USER', 'IRP_LIKE', 'FWD_U'],
};

export const MIXED: Group = {
  name: 'bit-fields under #pragma pack, zero-width bit-fields in unions, tagged anonymous members (MS extension)',
  decls: `
struct T0_ { int b1; char b2; };
#pragma pack(push, 1)
struct M1 { char a:2; long long :0; char b; };
struct M2 { short s; unsigned x:3; long long y:5; };
union M3 { long long q; char c; };
struct M4 { char c; union M3 u; };
#pragma pack(pop)
#pragma pack(push, 2)
struct M5 { char c; long long q:33; char d:2; };
#pragma pack(pop)
struct M6 { struct T0_; char t; };
typedef ULONG BITS;
struct M7 { BITS a:5; BITS b:27; UCHAR c; BITS d:1; };
struct M8 { volatile ULONG v:3; const int k; };
union M9 { char a:1; int :0; long long b:2; };
struct M10 { char c; struct { char d; long long e:3; } inner[2]; char z; };
struct M11 { int a:3; struct { int b:3; }; int c:3; };
struct M12 { char a; short :0; char b:1; char :0; char c; };
struct M13 { long long a:60; long long b:4; long long c:1; };
struct M14 { unsigned char a:1; unsigned short b:1; unsigned int c:1; unsigned long long d:1; unsigned int e:1; unsigned short f:1; unsigned char g:1; };
`,
  types: ['struct M1', 'struct M2', 'union M3', 'struct M4', 'struct M5', 'struct M6', 'struct M7', 'struct M8', 'union M9', 'struct M10', 'struct M11', 'struct M12', 'struct M13', 'struct M14'],
};

export const GROUPS: Group[] = [PLAIN, NESTED, UNIONS, BITFIELDS, PACK, ALIGN, MISC, WINDOWS, FORWARD, MIXED];


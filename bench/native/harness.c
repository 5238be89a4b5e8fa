/*
 * harness.c - examples/dpcforisr natively (gcc -O2), for bench/kernel.mjs:
 *
 *   harness N [DEPTH]
 *
 * Loads the driver (DriverEntry, AddDevice over a fake PCI PDO, IRP_MN_START_DEVICE with a
 * memory BAR and an interrupt as in examples/dpcforisr/kdsim.json), then completes N read
 * IRPs of 4 bytes, each a full cycle: IoCallDriver -> SmpDispatchRead (IoStartPacket) ->
 * SmpStartIo (CONTROL START) -> interrupt -> SmpInterruptService (IoRequestDpc) ->
 * SmpDpcForIsr (IoStartNextPacket, IoCompleteRequest). At most DEPTH reads (default 1024,
 * 0 = all N) are outstanding at once: the queue is kept topped up, so after the first
 * DEPTH every completed read is replaced by a new one (kdsim's run issues all N at once;
 * the device queue is FIFO, so only the memory held differs).
 *
 * The loop: while the device's interrupt line is asserted, take the interrupt (ISR at
 * DIRQL), then run the queued DPCs; repeat until every read has completed.
 * Prints: reads=<completed> interrupts=<claimed by the ISR> dpcs=<DpcForIsr runs>
 *         checksum=<sum of the samples read> (the card counts 1, 2, 3...: N(N+1)/2).
 */
#include "wdm-stubs.h"

#include <stdio.h>
#include <stdlib.h>

int dprintf(int fd, const char *format, ...);

DRIVER_INITIALIZE DriverEntry;          /* examples/dpcforisr/driver.c */

static PIRP StartIrp;
static BOOLEAN StartDone;
static NTSTATUS StartStatus;
static ULONG64 ReadsCompleted;
static ULONG64 ReadsFailed;
static ULONG64 Checksum;

DECLSPEC_NORETURN static void Fail(const char *what, ULONG64 a, ULONG64 b)
{
    dprintf(2, "harness: %s (%llu, %llu)\n", what, a, b);
    exit(1);
}

/* The I/O manager's last stage for our IRPs: a read's data goes back to the "application". */
static VOID IrpFinished(PIRP Irp)
{
    if (Irp == StartIrp) {
        StartDone = TRUE;
        StartStatus = Irp->IoStatus.Status;
        return;
    }
    if (Irp->IoStatus.Status == STATUS_SUCCESS && Irp->IoStatus.Information == sizeof(ULONG)) {
        Checksum += *(PULONG)Irp->AssociatedIrp.SystemBuffer;
    } else {
        ReadsFailed++;
    }
    ReadsCompleted++;
    free(Irp->AssociatedIrp.SystemBuffer);
    IoFreeIrp(Irp);
}

/* The bus driver of the fake PDO: starts the slot, passes everything else back unchanged. */
static NTSTATUS BusDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    NTSTATUS status = Irp->IoStatus.Status;

    UNREFERENCED_PARAMETER(DeviceObject);
    if (IoGetCurrentIrpStackLocation(Irp)->MinorFunction == IRP_MN_START_DEVICE) {
        status = STATUS_SUCCESS;
    }
    Irp->IoStatus.Status = status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

/* A one-list CM_RESOURCE_LIST: the BAR and the interrupt (raw and translated alike here). */
static PCM_RESOURCE_LIST BuildResources(VOID)
{
    PCM_RESOURCE_LIST list = (PCM_RESOURCE_LIST)calloc(1, sizeof(CM_RESOURCE_LIST) + sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
    PCM_PARTIAL_RESOURCE_LIST partial;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR d;

    if (list == NULL) {
        Fail("out of memory", 0, 0);
    }
    list->Count = 1;
    list->List[0].InterfaceType = PCIBus;
    partial = &list->List[0].PartialResourceList;
    partial->Version = 1;
    partial->Revision = 1;
    partial->Count = 2;
    d = &partial->PartialDescriptors[0];
    d->Type = CmResourceTypeMemory;
    d->ShareDisposition = CmResourceShareDeviceExclusive;
    d->Flags = CM_RESOURCE_MEMORY_READ_WRITE;
    d->u.Memory.Start.QuadPart = (LONGLONG)KDN_BAR_BASE;
    d->u.Memory.Length = KDN_BAR_LENGTH;
    d = &partial->PartialDescriptors[1];
    d->Type = CmResourceTypeInterrupt;
    d->ShareDisposition = CmResourceShareShared;
    d->Flags = CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE;
    d->u.Interrupt.Level = KDN_LEVEL;
    d->u.Interrupt.Vector = KDN_VECTOR;
    d->u.Interrupt.Affinity = KDN_AFFINITY;
    return list;
}

static PDEVICE_OBJECT TopOfStack(PDEVICE_OBJECT Device)
{
    while (Device->AttachedDevice != NULL) {
        Device = Device->AttachedDevice;
    }
    return Device;
}

/* What ReadFile does for a DO_BUFFERED_IO device: a system buffer, one stack location. */
static VOID IssueRead(PDEVICE_OBJECT Fdo)
{
    PIRP irp = IoAllocateIrp(Fdo->StackSize, FALSE);
    PIO_STACK_LOCATION stack;
    NTSTATUS status;

    if (irp == NULL || (irp->AssociatedIrp.SystemBuffer = malloc(sizeof(ULONG))) == NULL) {
        Fail("out of memory", 0, 0);
    }
    irp->Flags = IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION;
    stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = IRP_MJ_READ;
    stack->Parameters.Read.Length = sizeof(ULONG);
    status = IoCallDriver(Fdo, irp);
    if (status != STATUS_PENDING && !NT_SUCCESS(status)) {
        Fail("read rejected", (ULONG)status, 0);
    }
}

int main(int argc, char **argv)
{
    static WCHAR registryPath[] = L"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\dpcforisr";
    UNICODE_STRING path = RTL_CONSTANT_STRING(registryPath);
    PDRIVER_OBJECT driver;
    PDRIVER_OBJECT bus;
    PDEVICE_OBJECT pdo;
    PDEVICE_OBJECT fdo;
    PIO_STACK_LOCATION stack;
    NTSTATUS status;
    ULONG64 n;
    ULONG64 depth;
    ULONG64 issued = 0;

    if (argc < 2 || (n = strtoull(argv[1], NULL, 10)) == 0) {
        dprintf(2, "usage: harness N [DEPTH]\n");
        return 2;
    }
    depth = argc > 2 ? strtoull(argv[2], NULL, 10) : 1024;
    if (depth == 0 || depth > n) {
        depth = n;
    }
    KdnIrpFinished = IrpFinished;

    /* Load: DriverEntry, then AddDevice for the card's PDO. */
    driver = KdnCreateDriverObject(L"\\Driver\\dpcforisr");
    status = DriverEntry(driver, &path);
    if (!NT_SUCCESS(status)) {
        Fail("DriverEntry failed", (ULONG)status, 0);
    }
    bus = KdnCreateDriverObject(L"\\Driver\\pci");
    bus->MajorFunction[IRP_MJ_PNP] = BusDispatchPnp;
    if (!NT_SUCCESS(IoCreateDevice(bus, 0, NULL, FILE_DEVICE_BUS_EXTENDER, 0, FALSE, &pdo))) {
        Fail("no PDO", 0, 0);
    }
    pdo->Flags &= ~DO_DEVICE_INITIALIZING;
    status = driver->DriverExtension->AddDevice(driver, pdo);
    if (!NT_SUCCESS(status)) {
        Fail("AddDevice failed", (ULONG)status, 0);
    }
    fdo = TopOfStack(pdo);

    /* IRP_MN_START_DEVICE. */
    StartIrp = IoAllocateIrp(fdo->StackSize, FALSE);
    StartIrp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    stack = IoGetNextIrpStackLocation(StartIrp);
    stack->MajorFunction = IRP_MJ_PNP;
    stack->MinorFunction = IRP_MN_START_DEVICE;
    stack->Parameters.StartDevice.AllocatedResources = BuildResources();
    stack->Parameters.StartDevice.AllocatedResourcesTranslated = BuildResources();
    status = IoCallDriver(fdo, StartIrp);
    if (!StartDone || !NT_SUCCESS(StartStatus) || status == STATUS_PENDING) {
        Fail("IRP_MN_START_DEVICE failed", (ULONG)StartStatus, (ULONG)status);
    }

    /* The reads: issue, take interrupts, run DPCs, until all N have completed. */
    while (ReadsCompleted < n) {
        while (issued < n && issued - ReadsCompleted < depth) {
            IssueRead(fdo);
            issued++;
        }
        if (!KdnInterruptPending()) {
            Fail("stalled: no interrupt pending (reads completed, issued)", ReadsCompleted, issued);
        }
        while (KdnInterruptPending()) {
            if (!KdnDeliverInterrupt()) {
                Fail("interrupt storm: the line is asserted and no ISR claims it", KdnStats.Interrupts, 0);
            }
        }
        KdnRetireDpcs();
    }

    printf("reads=%llu failed=%llu interrupts=%llu dpcs=%llu completions=%llu checksum=%llu\n", ReadsCompleted,
           ReadsFailed, KdnStats.Interrupts, KdnStats.Dpcs, KdnStats.Completions, Checksum);
    return ReadsFailed == 0 ? 0 : 1;
}

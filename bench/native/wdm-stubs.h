/*
 * wdm-stubs.h - the native "kernel" of bench/kernel.mjs: what bench/native/harness.c needs
 * beyond the DDIs (those are declared by kdsim's simulated headers, kernel-sim/include).
 *
 * One processor, no time model. The emulated device is the generic "Sampler" card of
 * kernel-sim/devices/generic.ts with a zero conversion time: CONTROL START makes the sample
 * ready at once, and the harness delivers the interrupt as soon as the driver returns.
 */
#pragma once

#include <ntddk.h>

/* Physical resources the harness hands to IRP_MN_START_DEVICE (as examples/dpcforisr/kdsim.json). */
#define KDN_BAR_BASE        0xFEBF0000ULL
#define KDN_BAR_LENGTH      16
#define KDN_VECTOR          0x91
#define KDN_LEVEL           9
#define KDN_AFFINITY        0x1

/* A driver object whose MajorFunction entries all fail with STATUS_INVALID_DEVICE_REQUEST. */
PDRIVER_OBJECT KdnCreateDriverObject(PCWSTR Name);

/* TRUE while the device's interrupt output is asserted (STATUS & INT_ENABLE & causes). */
BOOLEAN KdnInterruptPending(VOID);

/* Takes the interrupt: every ISR connected to the vector, at its SynchronizeIrql, in
   connection order until one claims it. Returns TRUE if one did. */
BOOLEAN KdnDeliverInterrupt(VOID);

/* Runs the queued DPCs at DISPATCH_LEVEL, oldest first, until the queue is empty. */
VOID KdnRetireDpcs(VOID);

/* Called when an IRP is completed past its last stack location (the I/O manager's final
   stage); the harness counts and frees its reads here. */
extern VOID (*KdnIrpFinished)(PIRP Irp);

/* Statistics of the native kernel. */
typedef struct _KDN_STATS {
    ULONG64 Interrupts;         /* ISR calls that claimed the interrupt */
    ULONG64 Dpcs;               /* DPC routine calls */
    ULONG64 Completions;        /* IofCompleteRequest calls */
    ULONG64 Conversions;        /* CONTROL START commands the device accepted */
} KDN_STATS;

extern KDN_STATS KdnStats;

/* An IO_REMOVE_LOCK in miniature: acquire/release counting, removal waits for outstanding I/O. */
#include <stdio.h>

typedef int NTSTATUS;
typedef int LONG;
#define STATUS_SUCCESS 0
#define STATUS_DELETE_PENDING ((NTSTATUS)0xC0000056)

typedef struct { LONG IoCount; int Removed; int Signaled; LONG Peak; } REMOVE_LOCK;

static void IoInitializeRemoveLock(REMOVE_LOCK *l)
{
    l->IoCount = 1;
    l->Removed = 0;
    l->Signaled = 0;
    l->Peak = 1;
}
static NTSTATUS IoAcquireRemoveLock(REMOVE_LOCK *l)
{
    if (l->Removed) return STATUS_DELETE_PENDING;
    if (++l->IoCount > l->Peak) l->Peak = l->IoCount;
    return STATUS_SUCCESS;
}
static void IoReleaseRemoveLock(REMOVE_LOCK *l)
{
    if (--l->IoCount == 0) l->Signaled = 1;
}
static int IoReleaseRemoveLockAndWait(REMOVE_LOCK *l)
{
    l->Removed = 1;
    IoReleaseRemoveLock(l); /* the initial reference */
    return l->Signaled;     /* 1 if no I/O is outstanding */
}

int main(void)
{
    REMOVE_LOCK lock;
    int outstanding = 0, step, rejected = 0, completed = 0;
    unsigned rng = 5;
    int waited_clean;
    IoInitializeRemoveLock(&lock);
    for (step = 0; step < 60; step++) {
        rng = rng * 69069u + 1u;
        if ((rng >> 30) != 0) {
            if (IoAcquireRemoveLock(&lock) == STATUS_SUCCESS) outstanding++;
            else rejected++;
        } else if (outstanding) {
            IoReleaseRemoveLock(&lock);
            outstanding--;
            completed++;
        }
        if (step == 40) {
            waited_clean = IoReleaseRemoveLockAndWait(&lock);
            printf("remove requested at step %d with %d outstanding, signaled=%d\n", step, outstanding, waited_clean);
        }
    }
    while (outstanding) {
        IoReleaseRemoveLock(&lock);
        outstanding--;
        completed++;
    }
    printf("completed=%d rejected=%d peak=%d count=%d signaled=%d\n", completed, rejected, lock.Peak, lock.IoCount, lock.Signaled);
    return completed % 100;
}

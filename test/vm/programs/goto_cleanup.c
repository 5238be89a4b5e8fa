/* The kernel-style goto cleanup pattern: acquire resources in order, unwind on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int NTSTATUS;
#define STATUS_SUCCESS 0
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)

static int live_allocations;

static void *alloc_or_fail(unsigned size, int fail)
{
    void *p;
    if (fail) return NULL;
    p = malloc(size);
    if (p) live_allocations++;
    return p;
}
static void release(void *p)
{
    if (p) {
        free(p);
        live_allocations--;
    }
}

static NTSTATUS start_device(int fail_at, int bad_param)
{
    NTSTATUS status = STATUS_SUCCESS;
    char *config = NULL, *ring = NULL, *stats = NULL;

    config = (char *)alloc_or_fail(64, fail_at == 1);
    if (!config) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto exit;
    }
    strcpy(config, "cfg");
    ring = (char *)alloc_or_fail(256, fail_at == 2);
    if (!ring) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto free_config;
    }
    if (bad_param) {
        status = STATUS_INVALID_PARAMETER;
        goto free_ring;
    }
    stats = (char *)alloc_or_fail(32, fail_at == 3);
    if (!stats) {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto free_ring;
    }
    printf("  device started with %s, live=%d\n", config, live_allocations);
    release(stats);
free_ring:
    release(ring);
free_config:
    release(config);
exit:
    return status;
}

int main(void)
{
    int fail, bad, failures = 0;
    for (fail = 0; fail <= 3; fail++)
        for (bad = 0; bad <= 1; bad++) {
            NTSTATUS s = start_device(fail, bad);
            printf("fail_at=%d bad=%d -> %08x live=%d\n", fail, bad, (unsigned)s, live_allocations);
            if (s != STATUS_SUCCESS) failures++;
        }
    return failures;
}

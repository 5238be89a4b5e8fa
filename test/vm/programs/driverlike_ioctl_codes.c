/* CTL_CODE construction and decoding (device type, access, function, method), as in winioctl.h. */
#include <stdio.h>

typedef unsigned int ULONG;
#define CTL_CODE(DeviceType, Function, Method, Access) (((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))
#define DEVICE_TYPE_FROM_CTL_CODE(c) (((ULONG)(c) & 0xffff0000) >> 16)
#define METHOD_FROM_CTL_CODE(c) ((ULONG)((c) & 3))
#define FUNCTION_FROM_CTL_CODE(c) (((ULONG)(c) >> 2) & 0xFFF)
#define ACCESS_FROM_CTL_CODE(c) (((ULONG)(c) >> 14) & 3)
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#define FILE_DEVICE_UNKNOWN 0x00000022
#define FILE_DEVICE_DISK 0x00000007
#define IOCTL_KDSIM_GET_VERSION CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KDSIM_READ_DMA CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_OUT_DIRECT, FILE_READ_ACCESS)
#define IOCTL_KDSIM_WRITE_DMA CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_IN_DIRECT, FILE_WRITE_ACCESS)
#define IOCTL_KDSIM_RAW CTL_CODE(FILE_DEVICE_UNKNOWN, 0xFFF, METHOD_NEITHER, FILE_READ_ACCESS | FILE_WRITE_ACCESS)
#define IOCTL_DISK_GET_DRIVE_GEOMETRY CTL_CODE(FILE_DEVICE_DISK, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)

static const char *method_name(ULONG m)
{
    static const char *const n[4] = { "BUFFERED", "IN_DIRECT", "OUT_DIRECT", "NEITHER" };
    return n[m & 3];
}

int main(void)
{
    ULONG codes[] = { IOCTL_KDSIM_GET_VERSION, IOCTL_KDSIM_READ_DMA, IOCTL_KDSIM_WRITE_DMA, IOCTL_KDSIM_RAW, IOCTL_DISK_GET_DRIVE_GEOMETRY, 0x2D1400u };
    int i, custom = 0;
    for (i = 0; i < 6; i++) {
        ULONG c = codes[i];
        ULONG fn = FUNCTION_FROM_CTL_CODE(c);
        printf("%08x type=%04x access=%u function=%03x method=%s%s\n", c, DEVICE_TYPE_FROM_CTL_CODE(c), ACCESS_FROM_CTL_CODE(c), fn, method_name(METHOD_FROM_CTL_CODE(c)),
               fn >= 0x800 ? " (vendor)" : "");
        custom += fn >= 0x800;
    }
    printf("rebuild equal: %d\n", CTL_CODE(DEVICE_TYPE_FROM_CTL_CODE(IOCTL_KDSIM_RAW), FUNCTION_FROM_CTL_CODE(IOCTL_KDSIM_RAW), METHOD_FROM_CTL_CODE(IOCTL_KDSIM_RAW),
                                        ACCESS_FROM_CTL_CODE(IOCTL_KDSIM_RAW)) == IOCTL_KDSIM_RAW);
    return custom;
}

// The NTSTATUS values the run-time library returns (ntstatus.h). NTSTATUS is a LONG: the
// values are signed 32-bit numbers, as generated code holds them.

export const STATUS_SUCCESS = 0;
export const STATUS_BUFFER_OVERFLOW = 0x80000005 | 0;
export const STATUS_INVALID_PARAMETER = 0xc000000d | 0;
export const STATUS_NO_MEMORY = 0xc0000017 | 0;
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023 | 0;
export const STATUS_INVALID_PARAMETER_2 = 0xc00000f0 | 0;
export const STATUS_NAME_TOO_LONG = 0xc0000106 | 0;

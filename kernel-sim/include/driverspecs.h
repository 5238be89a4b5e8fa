/*
 * driverspecs.h - the WDK keeps the __drv_* / _Kernel_* driver annotations here; kdsim
 * defines them all in sal.h (see its attribute contract), so this is only a forwarder for
 * driver sources that include it by name.
 */
#pragma once
#ifndef _KDSIM_DRIVERSPECS_H_
#define _KDSIM_DRIVERSPECS_H_
#include <sal.h>
#endif

/* stdbool.h - C99 boolean type. */
#pragma once
#ifndef _KDSIM_STDBOOL_H_
#define _KDSIM_STDBOOL_H_

#define bool  _Bool
#define true  1
#define false 0
#define __bool_true_false_are_defined 1

#endif /* _KDSIM_STDBOOL_H_ */

/* ctype.h - character classification (the "C" locale). */
#pragma once
#ifndef _KDSIM_CTYPE_H_
#define _KDSIM_CTYPE_H_

int isalnum(int ch);
int isalpha(int ch);
int isblank(int ch);
int iscntrl(int ch);
int isdigit(int ch);
int isgraph(int ch);
int islower(int ch);
int isprint(int ch);
int ispunct(int ch);
int isspace(int ch);
int isupper(int ch);
int isxdigit(int ch);
int tolower(int ch);
int toupper(int ch);

#endif /* _KDSIM_CTYPE_H_ */

/* demo_program.h: the PTIM 2020 program (data/ptim2020.json), compiled in for --demo. */
#ifndef CONFAB_DEMO_PROGRAM_H
#define CONFAB_DEMO_PROGRAM_H

#include <stddef.h>

extern const char demo_program_json[];
extern const size_t demo_program_json_len;

#endif

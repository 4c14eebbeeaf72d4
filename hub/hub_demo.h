/* hub_demo.h: the PTIM 2020 demo program, made live for confabd --demo and confab --demo. */
#ifndef CONFAB_HUB_DEMO_H
#define CONFAB_HUB_DEMO_H

#include <stdint.h>

#include <stddef.h>

#include "model/lineup.h"
#include "model/program.h"

/* The PTIM 2020 demo program, shifted so that its first session starts at the beginning
 * of the hour (UTC) containing now_ms, keeping all relative times. A new program
 * (program_free() it), or NULL with *cause set to a new string. */
struct program *hub_demo_program(int64_t now_ms, char **cause);
/* The sample lineup of the demo's lightning-talk session: a static array of *n items. */
const struct lineup_item *hub_demo_lineup(size_t *n);

#endif

/* progtext.h: what the plain and full-screen front ends say when the program changes (a
 * reload, a facilitator's /session): one line per changed session, stand-alone. */
#ifndef CONFAB_PROGTEXT_H
#define CONFAB_PROGTEXT_H

#include "client/timefmt.h"
#include "model/progdiff.h"

/* At most this many lines for one change of the program; then one line says how many
 * more changes there are (the schedule shows them all, marked). */
#define PROGTEXT_MAX_LINES 20

/* The line for change c of the program (by: the facilitator, or NULL): a new string,
 * translated, with the network's text sanitised, times as tf shows them (/tz, /clock). */
char *progtext_change(const struct timefmt *tf, const struct program_change *c,
    const char *by);

/* What facilitators said of session s, as " (15 minutes late, under way now)", translated;
 * a new string, "" when nothing. */
char *progtext_state(const struct session *s);

/* The line that ends a long list: "N more changes", translated, new. */
char *progtext_more(size_t n);

#endif

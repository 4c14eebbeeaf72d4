/* agenda.h: the personal agenda: the sessions a user starred on one hub, kept on disk,
 * their overlaps, and the reminders due before they start. No lws, no curses.
 *
 * The file (one per hub: the client names it) is a JSON object
 * {"stars": ["id", ...]}, written whole to a temporary file and renamed into place. */
#ifndef CONFAB_AGENDA_H
#define CONFAB_AGENDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/program.h"

#define AGENDA_MAX_STARS PROGRAM_MAX_SESSIONS  /* more stars than that are not kept */
#define AGENDA_MAX_FILE (1024 * 1024)          /* a larger file is not read */
#define AGENDA_REMIND_DEFAULT_MS (5 * 60 * 1000)

struct agenda;

/* A new, empty agenda kept in the file path (copied), or only in memory (path NULL). */
struct agenda *agenda_create(const char *path);
void agenda_free(struct agenda *a);

/* Reads the agenda's file (a missing file is an empty agenda). Returns 0, or -1 with *cause
 * set to a new string (the stars read so far are kept). */
int agenda_load(struct agenda *a, char **cause);
/* Writes the agenda's file (nothing without a path). Returns 0, or -1 with *cause. */
int agenda_save(const struct agenda *a, char **cause);

bool agenda_has(const struct agenda *a, const char *id);
/* Stars id. Returns 1 when added, 0 when it was already there, -1 when the agenda is full. */
int agenda_add(struct agenda *a, const char *id);
/* Unstars id. Returns 1 when removed, 0 when it was not starred. */
int agenda_remove(struct agenda *a, const char *id);
/* Number of stars (including those of sessions no longer in the program). */
size_t agenda_count(const struct agenda *a);

/* The starred sessions of p, in program order: at most max go to out; returns their
 * number. */
size_t agenda_sessions(const struct agenda *a, const struct program *p,
    const struct session **out, size_t max);

/* True when sessions x and y share some time (touching ends do not overlap). */
bool agenda_overlap(const struct session *x, const struct session *y);
/* For each of the n sessions ss (sorted by start), flags[i] is set when it overlaps
 * another of them. Returns how many are flagged. */
size_t agenda_overlaps(const struct session *const *ss, size_t n, bool *flags);

/* The next reminder: the starred session of p that starts soonest with
 * start - remind_ms <= now < start that has not been reminded of for its current start.
 * Marks it reminded and returns it, or NULL when none is due. */
const struct session *agenda_due(struct agenda *a, const struct program *p, int64_t now,
    int64_t remind_ms);
/* Ms from now until the next reminder is due (0: now), or -1 when none is pending. */
int64_t agenda_next_due(const struct agenda *a, const struct program *p, int64_t now,
    int64_t remind_ms);

#endif

/* timer.h: countdown timer math for talks and pitches, in hub time.
 *
 * A running timer is a deadline; a paused one is a remaining time. Nothing ticks:
 * the remaining time is always derived from the deadline and a clock reading. */
#ifndef CONFAB_TIMER_H
#define CONFAB_TIMER_H

#include <stdint.h>

#include "model/room.h"

#define TIMER_SCOPE_MAIN "main"
#define TIMER_LABEL_MAX 80 /* code points */
#define TIMER_WARN_MS 60000    /* default warning threshold (remaining time) */
#define TIMER_DANGER_MS 30000  /* default danger threshold */

enum timer_state { TS_IDLE = 0, TS_RUNNING, TS_PAUSED };

/* What a display shows: remaining > warn: normal; <= warn: warning; <= danger: danger;
 * <= 0: overtime. */
enum timer_phase { TP_IDLE = 0, TP_NORMAL, TP_WARNING, TP_DANGER, TP_OVERTIME };

/* Wire names: "idle", "running", "paused". */
const char *timer_state_name(enum timer_state st);
int timer_state_parse(const char *name, enum timer_state *st);

struct timer {
	char scope[ROOM_ID_MAX + 1];     /* "main" (the main stage) or a room id */
	enum timer_state state;
	char label[TIMER_LABEL_MAX * 4 + 1];
	int64_t duration_ms;             /* as started */
	int64_t deadline_ms;             /* hub time; meaningful when running */
	int64_t remaining_ms;            /* meaningful when paused */
	int64_t started_ms;              /* hub time of the last start (0: unknown) */
	int64_t warn_ms;                 /* remaining time at which displays warn */
	int64_t danger_ms;               /* remaining time at which displays show danger */
	uint64_t rev;                    /* incremented by every change */
	char by[33];                     /* who made the last change */
};

void timer_init(struct timer *t, const char *scope);
void timer_start(struct timer *t, int64_t now, int64_t duration_ms, const char *label, const char *by);
/* Each returns 0, or -1 (and changes nothing) when the timer is not in a state that allows it. */
int timer_pause(struct timer *t, int64_t now, const char *by);
int timer_resume(struct timer *t, int64_t now, const char *by);
int timer_reset(struct timer *t, const char *by);
/* Idle and cleared (label "", duration 0); fails when already idle. */
int timer_stop(struct timer *t, const char *by);
/* Moves a running timer's deadline, or a paused timer's remainder, by delta_ms
 * (the result may be overtime); fails when idle. */
int timer_adjust(struct timer *t, int64_t delta_ms, const char *by);
/* Sets the thresholds (zero or negative means the default). */
void timer_set_thresholds(struct timer *t, int64_t warn_ms, int64_t danger_ms);
/* The display phase at now. */
enum timer_phase timer_phase(const struct timer *t, int64_t now);
/* Remaining time at now: positive before the deadline, negative in overtime; 0 when idle. */
int64_t timer_remaining(const struct timer *t, int64_t now);

#endif

/* fuzz_hub.c: libFuzzer target for the hub's core (hub/hub.c, hub_req.c, hub_cid.c): a
 * hub with the demo program, one facilitator token and a fake clock is fed a script of
 * frames from up to four connections, drops and passing time. It must not crash or leak,
 * every frame it sends must decode with the client's decoder and be no request, and its
 * count of sessions must match the connections left open.
 *
 * Input: one action per line.
 *   N<frame>   a text frame from connection N (0-3), opened on first use; "@RESUME@" and
 *              "@EPOCH@" in it are replaced by the resume token of the last welcome sent
 *              and by the hub's epoch (so that resumes and takeovers can be fuzzed)
 *   bN<data>   a binary frame from connection N
 *   eN         the glue refuses an oversized frame from connection N
 *   xN         connection N goes away
 *   wN         connection N is writeable: everything queued for it is sent (and checked)
 *   +MS        MS milliseconds pass (at most a day), then the hub ticks if it is due
 *   <frame>    any other line: a text frame from connection 0
 * At the end every connection is drained, closed, and the hub freed. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzutil.h"
#include "hub/hub.h"
#include "hub/hub_demo.h"
#include "model/msgring.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define FUZZ_HUB_CONNS 4
#define FUZZ_HUB_T0 1600000000000LL
#define FUZZ_HUB_TOKEN "sesame-open-123"
#define FUZZ_HUB_MAX_ACTIONS 256

/* One fake connection. */
struct fuzz_hub_conn {
	struct hub_session *s;  /* NULL: not open */
	bool close_asked;       /* the hub called close_conn */
};

/* The state of one run. */
struct fuzz_hub {
	struct cf_fake_clock fake;
	struct cf_clock clock;
	struct hub *hub;
	struct fuzz_hub_conn c[FUZZ_HUB_CONNS];
	char resume[64];        /* the resume token of the last welcome sent */
};

static struct program *fuzz_hub_program;  /* the demo program, made once */

/* Hub callback: nothing to do, frames are read by wN and at the end. */
static void
fuzz_hub_want_write(void *conn)
{
	(void)conn;
}

/* Hub callback: the glue closes the connection later (fuzz_hub_reap). */
static void
fuzz_hub_close_conn(void *conn)
{
	((struct fuzz_hub_conn *)conn)->close_asked = true;
}

/* Sends everything queued for connection i, checking each frame. */
static void
fuzz_hub_drain(struct fuzz_hub *f, int i)
{
	struct fuzz_hub_conn *c = &f->c[i];
	struct proto_decode_err err;
	struct proto_msg m;
	struct msg *frame;

	if (c->s == NULL)
		return;
	while ((frame = hub_session_next_frame(c->s)) != NULL) {
		FUZZ_CHECK(frame->pre == 16);
		if (proto_decode(msg_payload(frame), frame->len, 0, &m, &err) != 0)
			fuzzutil_fail(__FILE__, __LINE__, "the hub sent a frame that does not "
			    "decode: %s: %s\n%s", proto_err_name(err.code), err.detail,
			    msg_payload(frame));
		FUZZ_CHECK(!proto_type_is_request(m.type));
		if (m.type == PT_WELCOME && m.u.welcome.resume != NULL &&
		    strlen(m.u.welcome.resume) < sizeof f->resume)
			strcpy(f->resume, m.u.welcome.resume);
		proto_msg_clear(&m);
		msg_unref(frame);
	}
	FUZZ_CHECK(!hub_session_pending(c->s));
}

/* Connection i goes away. */
static void
fuzz_hub_close(struct fuzz_hub *f, int i)
{
	if (f->c[i].s != NULL)
		hub_session_closed(f->c[i].s);
	f->c[i].s = NULL;
	f->c[i].close_asked = false;
}

/* Closes the connections the hub asked to close (as the glue does, after the call). */
static void
fuzz_hub_reap(struct fuzz_hub *f)
{
	size_t open = 0;
	int i;

	for (i = 0; i < FUZZ_HUB_CONNS; i++) {
		if (f->c[i].close_asked)
			fuzz_hub_close(f, i);
		open += f->c[i].s != NULL;
	}
	FUZZ_CHECK(hub_session_count(f->hub) == open);
}

/* Copies frame[0..len) with the placeholders replaced. New string; *out_len its length. */
static char *
fuzz_hub_expand(struct fuzz_hub *f, const char *frame, size_t len, size_t *out_len)
{
	const char *epoch = hub_epoch(f->hub), *p = frame, *end = frame + len;
	char *out = xmalloc(len * 8 + 1), *o = out;

	while (p < end) {
		if ((size_t)(end - p) >= 8 && memcmp(p, "@RESUME@", 8) == 0) {
			memcpy(o, f->resume, strlen(f->resume));
			o += strlen(f->resume);
			p += 8;
		} else if ((size_t)(end - p) >= 7 && memcmp(p, "@EPOCH@", 7) == 0) {
			memcpy(o, epoch, strlen(epoch));
			o += strlen(epoch);
			p += 7;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

/* A text or binary frame from connection i. */
static void
fuzz_hub_input(struct fuzz_hub *f, int i, const char *data, size_t len, bool binary)
{
	char *frame;
	size_t n;

	if (f->c[i].s == NULL)
		f->c[i].s = hub_session_open(f->hub, &f->c[i], "fuzz");
	frame = fuzz_hub_expand(f, data, len, &n);
	hub_session_input(f->c[i].s, frame, n, binary);
	free(frame);
}

/* Lets ms pass and ticks the hub when it is due. */
static void
fuzz_hub_time(struct fuzz_hub *f, const char *s, size_t len)
{
	int64_t ms = 0, due;
	size_t i;

	for (i = 0; i < len && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
		ms = ms * 10 + (s[i] - '0');
	if (ms > 24LL * 3600 * 1000)
		ms = 24LL * 3600 * 1000;
	cf_fake_clock_advance(&f->fake, ms);
	due = hub_tick_due(f->hub);
	if (due >= 0 && due <= ms)
		hub_tick(f->hub);
}

/* The connection named by the digit at s (len bytes), or -1. */
static int
fuzz_hub_conn(const char *s, size_t len)
{
	if (len < 1 || s[0] < '0' || s[0] >= '0' + FUZZ_HUB_CONNS)
		return -1;
	return s[0] - '0';
}

/* Runs one action line. */
static void
fuzz_hub_action(struct fuzz_hub *f, const char *line, size_t len)
{
	int i = fuzz_hub_conn(line + (len > 0), len > 0 ? len - 1 : 0);

	if (len > 0 && line[0] >= '0' && line[0] < '0' + FUZZ_HUB_CONNS)
		fuzz_hub_input(f, line[0] - '0', line + 1, len - 1, false);
	else if (len > 0 && line[0] == '+')
		fuzz_hub_time(f, line + 1, len - 1);
	else if (i >= 0 && line[0] == 'b')
		fuzz_hub_input(f, i, line + 2, len - 2, true);
	else if (i >= 0 && line[0] == 'e' && f->c[i].s != NULL)
		hub_session_frame_error(f->c[i].s, PE_BAD_FRAME, "frame over 16384 bytes");
	else if (i >= 0 && line[0] == 'x')
		fuzz_hub_close(f, i);
	else if (i >= 0 && line[0] == 'w')
		fuzz_hub_drain(f, i);
	else
		fuzz_hub_input(f, 0, line, len, false);
	if (hub_tick_due(f->hub) == 0)
		hub_tick(f->hub);
	fuzz_hub_reap(f);
}

/* One script. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tokens[] = { FUZZ_HUB_TOKEN };
	struct hub_config cfg;
	struct fuzz_hub f;
	const char *line;
	char *cause = NULL;
	size_t len, n = 0;
	int i;

	if (fuzz_hub_program == NULL) {
		fuzz_hub_program = hub_demo_program(FUZZ_HUB_T0, &cause);
		FUZZ_CHECK(fuzz_hub_program != NULL);
	}
	memset(&f, 0, sizeof f);
	f.fake.wall = FUZZ_HUB_T0;
	f.fake.mono = 5000;
	cf_clock_fake(&f.clock, &f.fake);
	memset(&cfg, 0, sizeof cfg);
	cfg.program = fuzz_hub_program;
	cfg.tokens = tokens;
	cfg.ntokens = 1;
	cfg.clock = &f.clock;
	cfg.pre = 16;
	cfg.want_write = fuzz_hub_want_write;
	cfg.close_conn = fuzz_hub_close_conn;
	cfg.lineup = hub_demo_lineup(&cfg.nlineup);
	f.hub = hub_create(&cfg, &cause);
	FUZZ_CHECK(f.hub != NULL);

	while (n++ < FUZZ_HUB_MAX_ACTIONS && fuzzutil_line(&data, &size, &line, &len) == 0)
		fuzz_hub_action(&f, line, len);
	for (i = 0; i < FUZZ_HUB_CONNS; i++) {
		fuzz_hub_drain(&f, i);
		fuzz_hub_close(&f, i);
	}
	FUZZ_CHECK(hub_session_count(f.hub) == 0);
	hub_free(f.hub);
	return 0;
}

/* statstext.c: text shared by the plain and full-screen front ends: /stats (bytes,
 * messages, chat counts, the link's timing), people counts, time left, room kinds. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/statstext.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* A byte count for people: "512 B", "3.4 KB", "1.2 MB". */
const char *
statstext_bytes(uint64_t n, char *buf, size_t len)
{
	if (n < 1024)
		snprintf(buf, len, _("%llu B"), (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(buf, len, _("%.1f KB"), (double)n / 1024);
	else
		snprintf(buf, len, _("%.1f MB"), (double)n / (1024 * 1024));
	return buf;
}

/* The lines of /stats: bytes and messages, then chat counts, then the link's timing. */
size_t
statstext_lines(const struct client_stats *s, char *lines[STATSTEXT_LINES])
{
	const struct client_link_stats *l = &s->link;
	char tx[32], rx[32], wtx[32], wrx[32], wire[320] = "", ntx[64], nrx[64];

	statstext_bytes(l->ws_tx, tx, sizeof tx);
	statstext_bytes(l->ws_rx, rx, sizeof rx);
	statstext_bytes(l->wire_tx, wtx, sizeof wtx);
	statstext_bytes(l->wire_rx, wrx, sizeof wrx);
	if ((l->wire_tx > 0 || l->wire_rx > 0) && l->route == CLIENT_ROUTE_PROXY)
		snprintf(wire, sizeof wire, l->compressed ? _(" (to the proxy %s: %s sent, %s "
		    "received, compressed)") : _(" (to the proxy %s: %s sent, %s received)"),
		    l->via, wtx, wrx);
	else if ((l->wire_tx > 0 || l->wire_rx > 0) && l->route == CLIENT_ROUTE_TRANSPORT)
		snprintf(wire, sizeof wire, l->compressed ? _(" (to the %s transport, before "
		    "it disguises them: %s sent, %s received, compressed)") : _(" (to the %s "
		    "transport, before it disguises them: %s sent, %s received)"), l->via, wtx,
		    wrx);
	else if (l->wire_tx > 0 || l->wire_rx > 0)
		snprintf(wire, sizeof wire, l->compressed ? _(" (on the wire: %s sent, %s "
		    "received, compressed)") : _(" (on the wire: %s sent, %s received)"), wtx,
		    wrx);
	snprintf(ntx, sizeof ntx, P_("%llu message", "%llu messages", l->msgs_tx),
	    (unsigned long long)l->msgs_tx);
	snprintf(nrx, sizeof nrx, P_("%llu message", "%llu messages", l->msgs_rx),
	    (unsigned long long)l->msgs_rx);
	lines[0] = xasprintf(_("sent %s in %s, received %s in %s%s"), tx, ntx, rx, nrx, wire);
	lines[1] = xasprintf(_("chat lines received: %llu; repeats dropped: %llu; your lines "
	    "waiting for the hub: %zu; links opened: %u"), (unsigned long long)s->chat_rx,
	    (unsigned long long)s->dups, s->pending, l->links);
	if (s->rtt_ms < 0)
		lines[2] = xstrdup(_("round trip: not measured yet"));
	else
		lines[2] = xasprintf(_("round trip %lld ms, hub clock %+lld ms from ours "
		    "(within %lld ms)"), (long long)s->rtt_ms, (long long)s->offset_ms,
		    (long long)s->error_ms);
	return STATSTEXT_LINES;
}

/* "N person" / "N people", translated, into buf. */
const char *
statstext_people(unsigned n, char *buf, size_t len)
{
	snprintf(buf, len, P_("%u person", "%u people", n), n);
	return buf;
}

/* "4:31 left" or "+0:12 over" for a remaining time, into buf. */
const char *
statstext_left(int64_t ms, char *buf, size_t len)
{
	char t[32];

	duration_format_remaining(ms, t, sizeof t);
	snprintf(buf, len, ms > 0 ? _("%s left") : _("%s over"), t);
	return buf;
}

/* A room's kind, translated (and its title when it says more than the id), sanitised,
 * into buf. */
const char *
statstext_room_kind(const struct room_info *r, char *buf, size_t len)
{
	char *title = sanitize_text(r->title, strlen(r->title), SANITIZE_SQUEEZE);

	switch (r->kind) {
	case RK_LOBBY:
		snprintf(buf, len, "%s", _("lobby"));
		break;
	case RK_DISCUSSION:
		if (*title != '\0')
			snprintf(buf, len, "%s: %s", _("open discussion"), title);
		else
			snprintf(buf, len, "%s", _("open discussion"));
		break;
	default:
		if (*title != '\0' && strcasecmp(r->title, r->id) != 0)
			snprintf(buf, len, "%s: %s", _("breakout"), title);
		else
			snprintf(buf, len, "%s", _("breakout"));
		break;
	}
	free(title);
	return buf;
}

/* names joined with ", ", each sanitised (white space squeezed), in one pass. */
char *
statstext_names(const char *const *names, size_t n)
{
	char *out = NULL, *s;
	size_t i, len = 0, cap = 0, k;

	for (i = 0; i < n; i++) {
		s = sanitize_text(names[i], strlen(names[i]), SANITIZE_SQUEEZE);
		k = strlen(s);
		if (len + k + 3 > cap) {
			cap = (len + k + 3) * 2;
			out = xrealloc(out, cap);
		}
		if (i > 0) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, s, k);
		len += k;
		free(s);
	}
	if (out == NULL)
		return xstrdup("");
	out[len] = '\0';
	return out;
}

/* A lineup item's kind, translated ("talk", "pitch"). */
const char *
statstext_lineup_kind(enum lineup_kind kind)
{
	return kind == LK_PITCH ? _("pitch") : _("talk");
}

/* A line typed and not sent, as it could be typed again. */
char *
statstext_unsent(const struct client_unsent *u)
{
	char *t = sanitize_str(u->text), *who, *s;

	if (u->to != NULL) {
		who = sanitize_str(u->to);
		s = xasprintf("/msg %s %s", who, t);
		free(who);
	} else if (u->room != NULL)
		s = xasprintf("#%s: %s%s", u->room, u->me ? "/me " : "", t);
	else
		return t;
	free(t);
	return s;
}

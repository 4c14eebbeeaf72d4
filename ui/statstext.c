/* statstext.c: the text of /stats (bytes, messages, chat counts, the link's timing), the
 * same in every front end. */
#include "util/i18n.h"

#include <stdio.h>

#include "ui/statstext.h"
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
	char tx[32], rx[32], wtx[32], wrx[32], wire[160] = "", ntx[64], nrx[64];

	statstext_bytes(l->ws_tx, tx, sizeof tx);
	statstext_bytes(l->ws_rx, rx, sizeof rx);
	if (l->wire_tx > 0 || l->wire_rx > 0)
		snprintf(wire, sizeof wire, l->compressed ? _(" (on the wire: %s sent, %s "
		    "received, compressed)") : _(" (on the wire: %s sent, %s received)"),
		    statstext_bytes(l->wire_tx, wtx, sizeof wtx), statstext_bytes(l->wire_rx,
		    wrx, sizeof wrx));
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

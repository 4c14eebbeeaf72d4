/* plain_stdin.c: plain mode's input: reads commands from standard input inside the lws
 * loop (through a new descriptor, never fd 0 itself) and hands over complete lines. */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "ui/plain.h"
#include "ui/plain_int.h"
#include "util/xalloc.h"

/* Hands one complete input line to the owner. */
static void
plain_take_line(struct plain *p)
{
	char *line;

	p->line[p->len] = '\0';
	if (p->len > 0 && p->line[p->len - 1] == '\r')
		p->line[--p->len] = '\0';
	/* (taken out first: what the line prints must not redraw it as still typed) */
	line = xstrndup(p->line, p->len);
	p->len = 0;
	if (p->in.line != NULL && !p->eof)
		p->in.line(p->in.arg, line);
	free(line);
}

static void plain_eof(struct plain *p);

/* Splits bytes read from stdin into lines (each capped at PLAIN_MAX_LINE). */
static void
plain_feed(struct plain *p, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p->tty) {
			if (plain_tty_byte(p, (unsigned char)buf[i]))
				plain_take_line(p);
			if (p->tty_eof) {
				plain_eof(p);
				return;
			}
			continue;
		}
		if (buf[i] == '\n') {
			if (p->overlong)
				p->overlong = false;
			else
				plain_take_line(p);
			continue;
		}
		if (p->overlong)
			continue;
		if (p->len == PLAIN_MAX_LINE) {
			char msg[128];
			snprintf(msg, sizeof msg, _("that line is too long (at most %d bytes): "
			    "ignored"), PLAIN_MAX_LINE);
			plain_line(p, "error", "%s", msg);
			p->overlong = true;
			p->len = 0;
			continue;
		}
		p->line[p->len++] = buf[i];
	}
}

/* Input is over: the last unterminated line counts, then the owner is told. */
static void
plain_eof(struct plain *p)
{
	if (p->eof)
		return;
	if (p->len > 0 && !p->overlong)
		plain_take_line(p);
	p->eof = true;
	p->wsi = NULL;
	if (p->in.eof != NULL)
		p->in.eof(p->in.arg);
}

/* The lws callback for the adopted stdin descriptor. */
static int
plain_stdin_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct plain *p = lws_get_opaque_user_data(wsi);
	char buf[4096];
	ssize_t n;

	(void)user;
	(void)in;
	(void)len;
	if (p == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		n = read(lws_get_socket_fd(wsi), buf, sizeof buf);
		if (n > 0) {
			plain_feed(p, buf, (size_t)n);
			return 0;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		plain_eof(p);
		lws_set_opaque_user_data(wsi, NULL);
		return -1;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		lws_set_opaque_user_data(wsi, NULL);
		plain_eof(p);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols plain_lws_protocol = {
	PLAIN_PROTOCOL_NAME, plain_stdin_callback, 0, 0, 0, NULL, 0
};

/* The stdin protocol entry. */
const struct lws_protocols *
plain_stdin_protocol(void)
{
	return &plain_lws_protocol;
}

/* Adopts a new descriptor for stdin into the loop. */
int
plain_adopt_stdin(struct plain *p, struct lws_vhost *vh, char **cause)
{
	lws_adopt_desc_t ad;
	int fd;

	fd = open("/proc/self/fd/0", O_RDONLY | O_NOCTTY);
	if (fd < 0) {
		*cause = xasprintf(_("cannot read standard input: %s"), strerror(errno));
		return -1;
	}
	memset(&ad, 0, sizeof ad);
	ad.vh = vh;
	ad.type = LWS_ADOPT_RAW_FILE_DESC;
	ad.fd.filefd = fd;
	ad.vh_prot_name = PLAIN_PROTOCOL_NAME;
	ad.opaque = p;
	p->wsi = lws_adopt_descriptor_vhost_via_info(&ad);
	if (p->wsi == NULL) {
		*cause = xstrdup(_("cannot watch standard input"));
		return -1;
	}
	return 0;
}

/* plain_tty.c: plain mode's input line on a terminal (config "plain-redraw", on by
 * default), as readline-based clients keep it: what is typed stays on a line of its own
 * below the output; a line that arrives while something is half typed is written above
 * it, and the typed text is written again below it. Only two controls are ever sent for
 * this: carriage return and erase-line (CR, ESC [ K); a screen reader then reads the new
 * line and the typed text once, never a repaint of anything else. The terminal is put in
 * non-canonical mode without echo (signals stay on: Ctrl-C still quits) and put back as it
 * was at the end. Editing: Backspace, Ctrl-U (the whole line), Ctrl-W (a word), Enter,
 * and Ctrl-D on an empty line (end of input); escape sequences (arrow keys) are skipped.
 * A line wider than the terminal shows its end, after a '<'. In a pipe, or with
 * plain-redraw = no, none of this happens and no escape sequence is ever written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ui/plain_int.h"
#include "util/utf8.h"
#include "util/width.h"

#define PLAIN_TTY_ERASE "\r\033[K"

/* The terminal's settings to put back however confab exits (exit() on a late error
 * included): atexit() runs plain_tty_atexit(). */
static struct termios plain_tty_orig;
static bool plain_tty_taken, plain_tty_registered;

/* Puts the terminal's settings back at exit. */
static void
plain_tty_atexit(void)
{
	if (plain_tty_taken)
		tcsetattr(STDIN_FILENO, TCSANOW, &plain_tty_orig);
	plain_tty_taken = false;
}

/* Takes the terminal when stdin and stdout are one and redraw is on. */
void
plain_tty_start(struct plain *p, bool redraw)
{
	struct termios t;

	p->tty = false;
	if (!redraw || !isatty(STDIN_FILENO) || !isatty(fileno(p->out)) ||
	    tcgetattr(STDIN_FILENO, &p->saved) != 0)
		return;
	t = p->saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) != 0)
		return;
	p->tty = true;
	plain_tty_orig = p->saved;
	plain_tty_taken = true;
	if (!plain_tty_registered) {
		plain_tty_registered = true;
		atexit(plain_tty_atexit);
	}
}

/* Gives the terminal back as it was. */
void
plain_tty_stop(struct plain *p)
{
	if (!p->tty)
		return;
	if (p->len > 0)
		fputs(PLAIN_TTY_ERASE, p->out);
	fflush(p->out);
	tcsetattr(STDIN_FILENO, TCSANOW, &p->saved);
	plain_tty_taken = false;
	p->tty = false;
}

/* The terminal's width (80 when unknown). */
static size_t
plain_tty_cols(const struct plain *p)
{
	struct winsize ws;

	if (ioctl(fileno(p->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 2)
		return ws.ws_col;
	return 80;
}

/* Writes the typed text on the current (empty) row: its end when it is too wide. */
static void
plain_tty_show(struct plain *p)
{
	size_t cols = plain_tty_cols(p), start;

	if (p->len == 0)
		return;
	if (width_text(p->line, p->len) < cols) {
		fwrite(p->line, 1, p->len, p->out);
		return;
	}
	start = width_fit_end(p->line, p->len, cols - 2, NULL);
	fputc('<', p->out);
	fwrite(p->line + start, 1, p->len - start, p->out);
}

/* Before a line of output: the typed text's row is emptied. */
void
plain_tty_before(struct plain *p)
{
	if (p->tty && p->len > 0)
		fputs(PLAIN_TTY_ERASE, p->out);
}

/* After a line of output: the typed text comes back below it. */
void
plain_tty_after(struct plain *p)
{
	if (p->tty)
		plain_tty_show(p);
}

/* Writes the typed text again (after an edit that shortened it). */
static void
plain_tty_redraw(struct plain *p)
{
	fputs(PLAIN_TTY_ERASE, p->out);
	plain_tty_show(p);
	fflush(p->out);
}

/* Removes the last character (UTF-8) of the typed text. */
static void
plain_tty_backspace(struct plain *p)
{
	while (p->len > 0) {
		p->len--;
		if (((unsigned char)p->line[p->len] & 0xc0) != 0x80)
			break;
	}
}

/* Removes the last word (and the spaces after it) of the typed text. */
static void
plain_tty_word(struct plain *p)
{
	while (p->len > 0 && p->line[p->len - 1] == ' ')
		p->len--;
	while (p->len > 0 && p->line[p->len - 1] != ' ')
		p->len--;
}

/* Handles one byte typed on the terminal; returns true when it ended a line (Enter). */
bool
plain_tty_byte(struct plain *p, unsigned char ch)
{
	size_t start;

	if (p->tty_esc > 0) {
		/* ESC [ ... final byte, or ESC O x, or ESC x: skipped */
		if (p->tty_esc == 1)
			p->tty_esc = ch == '[' || ch == 'O' ? 2 : 0;
		else if (ch >= 0x40 && ch <= 0x7e)
			p->tty_esc = 0;
		return false;
	}
	switch (ch) {
	case '\r':
	case '\n':
		fputc('\n', p->out);   /* (output processing makes it CR LF) */
		fflush(p->out);
		return true;
	case 0x1b:
		p->tty_esc = 1;
		return false;
	case 0x7f:
	case 0x08:
		plain_tty_backspace(p);
		plain_tty_redraw(p);
		return false;
	case 0x15:   /* Ctrl-U */
		p->len = 0;
		plain_tty_redraw(p);
		return false;
	case 0x17:   /* Ctrl-W */
		plain_tty_word(p);
		plain_tty_redraw(p);
		return false;
	case 0x04:   /* Ctrl-D: end of input on an empty line */
		if (p->len == 0)
			p->tty_eof = true;
		return false;
	default:
		break;
	}
	if (ch < 0x20 || p->len >= PLAIN_MAX_LINE)
		return false;
	p->line[p->len++] = (char)ch;
	/* shown once the character is whole: as it is, or the line again when too wide */
	start = p->len - 1;
	while (start > 0 && ((unsigned char)p->line[start] & 0xc0) == 0x80)
		start--;
	if (!utf8_valid(p->line + start, p->len - start))
		return false;
	if (width_text(p->line, p->len) < plain_tty_cols(p)) {
		fwrite(p->line + start, 1, p->len - start, p->out);
		fflush(p->out);
	} else
		plain_tty_redraw(p);
	return false;
}

/* test_knownhosts.c: unit tests for src/net/knownhosts (the known-hosts file: path,
 * fingerprints, parsing, lookup, recording, writing, permissions, files that are not
 * regular) and the trust policy (knownhosts_decide). */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/knownhosts.h"
#include "tmpdirfix.h"
#include "util/xalloc.h"

/* A private directory for files, removed at the end. */
static char tmpdir[] = "/tmp/confab-test-knownhosts-XXXXXX";

/* Two fingerprints and their texts. */
static const char *const FP_A_TEXT = "SHA256:FA:35:EA:42:FE:75:02:F0:BA:20:E6:CF:0A:4E:21:6A:"
    "8A:E4:7A:47:05:C4:60:7C:6C:1B:C7:62:84:41:8E:1A";
static const char *const FP_B_TEXT = "SHA256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

/* A private directory; a load that blocks (on a FIFO) fails the test instead of hanging. */
static int
setup(void **state)
{
	(void)state;
	signal(SIGALRM, SIG_DFL);
	return tmpdirfix_setup(tmpdir);
}

/* Removes the private directory. */
static int
teardown(void **state)
{
	(void)state;
	return tmpdirfix_teardown(tmpdir);
}

/* A new path in the private directory. */
static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Writes text to path with mode. */
static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* The whole file at path (new string). */
static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = xcalloc(1, 65536);

	assert_non_null(fp);
	assert_true(fread(buf, 1, 65535, fp) < 65535);
	fclose(fp);
	return buf;
}

/* The fingerprint of text (which must parse). */
static void
fp_of(const char *text, unsigned char fp[KNOWNHOSTS_FP_LEN])
{
	assert_int_equal(knownhosts_fp_parse(text, fp), 0);
}

/* The default path follows XDG_STATE_HOME, else HOME; a relative XDG_STATE_HOME is
 * ignored. */
static void
test_kh_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/home/tester", 1);
	p = knownhosts_default_path();
	assert_string_equal(p, "/x/state/confab/known-hosts");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1);
	p = knownhosts_default_path();
	assert_string_equal(p, "/home/tester/.local/state/confab/known-hosts");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = knownhosts_default_path();
	assert_string_equal(p, "/home/tester/.local/state/confab/known-hosts");
	free(p);
	unsetenv("HOME");
	assert_null(knownhosts_default_path());
	setenv("HOME", "/home/tester", 1);
}

/* Fingerprints: confab's form, openssl's, bare hex, any case; everything else refused;
 * formatting gives confab's form back. */
static void
test_kh_fingerprints(void **state)
{
	unsigned char a[KNOWNHOSTS_FP_LEN], b[KNOWNHOSTS_FP_LEN];
	char text[KNOWNHOSTS_FP_TEXT];

	(void)state;
	fp_of(FP_A_TEXT, a);
	assert_int_equal(a[0], 0xFA);
	assert_int_equal(a[31], 0x1A);
	knownhosts_fp_format(a, text);
	assert_string_equal(text, FP_A_TEXT);
	assert_int_equal(strlen(text), KNOWNHOSTS_FP_TEXT - 1);
	fp_of("sha256 Fingerprint=FA:35:EA:42:FE:75:02:F0:BA:20:E6:CF:0A:4E:21:6A:8A:E4:7A:47:"
	    "05:C4:60:7C:6C:1B:C7:62:84:41:8E:1A", b);
	assert_memory_equal(a, b, KNOWNHOSTS_FP_LEN);
	fp_of("fa35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c6c1bc76284418e1a", b);
	assert_memory_equal(a, b, KNOWNHOSTS_FP_LEN);
	fp_of("sha256:fa:35:ea:42:fe:75:02:f0:ba:20:e6:cf:0a:4e:21:6a:8a:e4:7a:47:05:c4:60:7c:"
	    "6c:1b:c7:62:84:41:8e:1a", b);
	assert_memory_equal(a, b, KNOWNHOSTS_FP_LEN);
	/* too short, too long, not hex, a stray colon, junk after, empty */
	assert_int_equal(knownhosts_fp_parse("SHA256:FA:35", b), -1);
	assert_int_equal(knownhosts_fp_parse(
	    "fa35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c6c1bc76284418e1a00", b), -1);
	assert_int_equal(knownhosts_fp_parse(
	    "ga35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c6c1bc76284418e1a", b), -1);
	assert_int_equal(knownhosts_fp_parse(
	    ":fa35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c6c1bc76284418e1a", b), -1);
	assert_int_equal(knownhosts_fp_parse(
	    "fa35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c6c1bc76284418e1a ", b), -1);
	assert_int_equal(knownhosts_fp_parse("f:a35ea42fe7502f0ba20e6cf0a4e216a8ae47a4705c4607c"
	    "6c1bc76284418e1a", b), -1);
	assert_int_equal(knownhosts_fp_parse("", b), -1);
	assert_int_equal(knownhosts_fp_parse("SHA1:FA:35", b), -1);
}

/* Keys: lower case, IPv6 addresses in brackets. */
static void
test_kh_keys(void **state)
{
	char *k;

	(void)state;
	k = knownhosts_key("Hub.Example.ORG", 443);
	assert_string_equal(k, "hub.example.org:443");
	free(k);
	k = knownhosts_key("2001:DB8::1", 7450);
	assert_string_equal(k, "[2001:db8::1]:7450");
	free(k);
	k = knownhosts_key("127.0.0.1", 7450);
	assert_string_equal(k, "127.0.0.1:7450");
	free(k);
}

/* A missing file is an empty set; a file with comments, CRLF, bad lines and a duplicate
 * parses: the first line of a hub counts, bad lines are reported by number. */
static void
test_kh_parse(void **state)
{
	struct knownhosts *kh;
	const struct knownhosts_entry *e;
	unsigned char a[KNOWNHOSTS_FP_LEN], b[KNOWNHOSTS_FP_LEN];
	char *path = tmp_path("parse"), *text, *cause = NULL;

	(void)state;
	fp_of(FP_A_TEXT, a);
	fp_of(FP_B_TEXT, b);
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	assert_null(knownhosts_find(kh, "hub.example.org:443"));
	assert_int_equal(knownhosts_bad_line(kh, 0), 0);
	knownhosts_free(kh);

	text = xasprintf(
	    "# comment\n"                                       /* 1 */
	    "\n"                                                /* 2 */
	    "Hub.Example.ORG:443 ca %s\r\n"                     /* 3 */
	    "  [2001:db8::1]:7450\tpinned\t%s\n"                /* 4 */
	    "hub.example.org:443 pinned %s\n"                   /* 5: a duplicate */
	    "onlytwo:1 ca\n"                                    /* 6: bad */
	    "x:1 trusted %s\n"                                  /* 7: bad kind */
	    "x:2 ca SHA256:00\n"                                /* 8: bad fingerprint */
	    "x ca %s\n"                                         /* 9: no port */
	    "x:99999 ca %s\n"                                   /* 10: bad port */
	    "x y:1 ca %s\n"                                     /* 11: four fields */
	    "x:3 ca %s\n"                                       /* 12: no SHA256: prefix */
	    "   # indented comment\n"                           /* 13 */
	    "last:9 ca %s",                                     /* 14: no final newline */
	    FP_A_TEXT, FP_B_TEXT, FP_B_TEXT, FP_A_TEXT, FP_A_TEXT, FP_A_TEXT, FP_A_TEXT,
	    FP_A_TEXT + 7, FP_B_TEXT);
	write_file(path, text, strlen(text), 0600);
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	assert_string_equal(knownhosts_path(kh), path);
	e = knownhosts_find(kh, "hub.example.org:443");
	assert_non_null(e);
	assert_int_equal(e->kind, KH_CA);
	assert_int_equal(e->line, 3);
	assert_memory_equal(e->fp, a, KNOWNHOSTS_FP_LEN);
	e = knownhosts_find(kh, "HUB.example.org:443");
	assert_non_null(e);
	e = knownhosts_find(kh, "[2001:db8::1]:7450");
	assert_non_null(e);
	assert_int_equal(e->kind, KH_PINNED);
	assert_int_equal(e->line, 4);
	assert_memory_equal(e->fp, b, KNOWNHOSTS_FP_LEN);
	e = knownhosts_find(kh, "last:9");
	assert_non_null(e);
	assert_int_equal(e->line, 14);
	assert_null(knownhosts_find(kh, "x:1"));
	assert_null(knownhosts_find(kh, "x:2"));
	assert_null(knownhosts_find(kh, "x:3"));
	assert_null(knownhosts_find(kh, "hub.example.org:444"));
	assert_int_equal(knownhosts_bad_line(kh, 0), 6);
	assert_int_equal(knownhosts_bad_line(kh, 1), 7);
	assert_int_equal(knownhosts_bad_line(kh, 5), 11);
	assert_int_equal(knownhosts_bad_line(kh, 6), 12);
	assert_int_equal(knownhosts_bad_line(kh, 7), 0);
	knownhosts_free(kh);

	/* a NUL byte makes a line bad, not the file */
	write_file(path, "a:1 ca \0x\nb:2 ca SHA256:00\n", 27, 0600);
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	assert_null(knownhosts_find(kh, "a:1"));
	assert_int_equal(knownhosts_bad_line(kh, 0), 1);
	assert_int_equal(knownhosts_bad_line(kh, 1), 2);
	knownhosts_free(kh);
	free(text);
	free(path);
}

/* Recording: an entry replaced in place, a new one appended; comments and bad lines kept
 * as they were; a new file starts with its comment; directories 0700, file 0600, no
 * temporary file left. */
static void
test_kh_record(void **state)
{
	struct knownhosts *kh;
	const struct knownhosts_entry *e;
	unsigned char a[KNOWNHOSTS_FP_LEN], b[KNOWNHOSTS_FP_LEN];
	char *dir = tmp_path("state"), *path = tmp_path("state/confab/deeper/known-hosts");
	char *text, *want, *cause = NULL, *cmd;
	struct stat st;

	(void)state;
	fp_of(FP_A_TEXT, a);
	fp_of(FP_B_TEXT, b);
	/* a new file, in directories that do not exist yet */
	kh = knownhosts_new(path);
	knownhosts_set(kh, "hub.example.org:443", KH_CA, a);
	assert_int_equal(knownhosts_save(kh, &cause), 0);
	knownhosts_free(kh);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(dir);
	dir = tmp_path("state/confab/deeper");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	text = read_file(path);
	assert_true(text[0] == '#');
	want = xasprintf("\nhub.example.org:443 ca %s\n", FP_A_TEXT);
	assert_non_null(strstr(text, want));
	free(want);
	free(text);

	/* a hand-edited file: its comments and bad lines survive a rewrite */
	text = xasprintf("# mine\nhub.example.org:443 ca %s\nnot an entry\nz:1 pinned %s\n",
	    FP_A_TEXT, FP_B_TEXT);
	write_file(path, text, strlen(text), 0644);
	free(text);
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	knownhosts_set(kh, "HUB.EXAMPLE.ORG:443", KH_PINNED, b);  /* replaced in place */
	knownhosts_set(kh, "[::1]:7450", KH_CA, a);               /* appended */
	knownhosts_set(kh, "no key at all", KH_CA, a);            /* never written */
	e = knownhosts_find(kh, "hub.example.org:443");
	assert_int_equal(e->kind, KH_PINNED);
	assert_memory_equal(e->fp, b, KNOWNHOSTS_FP_LEN);
	assert_int_equal(knownhosts_save(kh, &cause), 0);
	knownhosts_free(kh);
	text = read_file(path);
	want = xasprintf("# mine\nhub.example.org:443 pinned %s\nnot an entry\nz:1 pinned %s\n"
	    "[::1]:7450 ca %s\n", FP_B_TEXT, FP_B_TEXT, FP_A_TEXT);
	assert_string_equal(text, want);
	free(want);
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);  /* written private again */
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	e = knownhosts_find(kh, "[::1]:7450");
	assert_non_null(e);
	assert_int_equal(e->line, 5);
	knownhosts_free(kh);
	/* only the file is left in its directory: no temporary file */
	cmd = xasprintf("test \"$(ls -A '%s')\" = known-hosts", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	free(path);
}

/* Refused, each with a message that names the file: a file others may write, a
 * directory, a FIFO (not waited on), a file too large; writing where no directory can be
 * made. */
static void
test_kh_refused(void **state)
{
	struct knownhosts *kh = NULL;
	unsigned char a[KNOWNHOSTS_FP_LEN];
	char *path = tmp_path("perm"), *cause = NULL, *big, *blocked;

	(void)state;
	fp_of(FP_A_TEXT, a);
	write_file(path, "# nothing\n", 10, 0664);
	assert_int_equal(knownhosts_load(path, &kh, &cause), -1);
	assert_null(kh);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "other users (mode 664)"));
	assert_non_null(strstr(cause, "chmod 600"));
	free(cause);
	assert_int_equal(chmod(path, 0606), 0);
	assert_int_equal(knownhosts_load(path, &kh, &cause), -1);
	free(cause);
	assert_int_equal(chmod(path, 0644), 0);   /* others may read it: that is fine */
	assert_int_equal(knownhosts_load(path, &kh, &cause), 0);
	knownhosts_free(kh);
	free(path);

	path = tmp_path("adir");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(knownhosts_load(path, &kh, &cause), -1);
	assert_non_null(strstr(cause, "is not a regular file"));
	assert_non_null(strstr(cause, path));
	free(cause);
	kh = knownhosts_new(path);                /* nor is a directory replaced */
	knownhosts_set(kh, "a:1", KH_CA, a);
	assert_int_equal(knownhosts_save(kh, &cause), -1);
	assert_non_null(strstr(cause, path));
	free(cause);
	knownhosts_free(kh);
	free(path);

	path = tmp_path("fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);                                /* a load that waits fails the test */
	assert_int_equal(knownhosts_load(path, &kh, &cause), -1);
	alarm(0);
	assert_non_null(strstr(cause, "is not a regular file"));
	free(cause);
	free(path);

	path = tmp_path("big");
	big = xmalloc(KNOWNHOSTS_MAX_BYTES + 1);
	memset(big, '#', KNOWNHOSTS_MAX_BYTES + 1);
	write_file(path, big, KNOWNHOSTS_MAX_BYTES + 1, 0600);
	free(big);
	assert_int_equal(knownhosts_load(path, &kh, &cause), -1);
	assert_non_null(strstr(cause, "larger than 1024 KiB"));
	free(cause);
	free(path);

	/* a directory cannot be made below a regular file */
	blocked = tmp_path("plainfile");
	write_file(blocked, "x", 1, 0600);
	path = tmp_path("plainfile/confab/known-hosts");
	kh = knownhosts_new(path);
	knownhosts_set(kh, "a:1", KH_CA, a);
	assert_int_equal(knownhosts_save(kh, &cause), -1);
	assert_non_null(strstr(cause, "cannot create"));
	free(cause);
	knownhosts_free(kh);
	free(path);
	free(blocked);
}

/* What verification found, for the policy tests. */
static struct knownhosts_seen
seen_of(const unsigned char *fp, bool trusted, bool name_ok, int time, bool invalid)
{
	struct knownhosts_seen s;

	memcpy(s.fp, fp, KNOWNHOSTS_FP_LEN);
	s.trusted = trusted;
	s.name_ok = name_ok;
	s.time = time;
	s.invalid = invalid;
	return s;
}

/* The policy: CA-verified certificates are recorded and may change; unknown untrusted
 * ones are refused; --trust-cert pins; a pin refuses any other certificate, CA-signed or
 * not; dates and form are never overridden. */
static void
test_kh_decide(void **state)
{
	unsigned char a[KNOWNHOSTS_FP_LEN], b[KNOWNHOSTS_FP_LEN];
	struct knownhosts_entry ca, pin;
	struct knownhosts_seen s;

	(void)state;
	fp_of(FP_A_TEXT, a);
	fp_of(FP_B_TEXT, b);
	memset(&ca, 0, sizeof ca);
	ca.kind = KH_CA;
	memcpy(ca.fp, a, KNOWNHOSTS_FP_LEN);
	pin = ca;
	pin.kind = KH_PINNED;

	/* unknown hub */
	s = seen_of(a, true, true, 0, false);
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_ACCEPT_CA);
	s = seen_of(a, false, true, 0, false);
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_UNTRUSTED);
	s = seen_of(a, false, false, 0, false);   /* self-signed for another name */
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_UNTRUSTED);
	s = seen_of(a, true, false, 0, false);
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_NAME);
	s = seen_of(a, true, true, 1, false);
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_TIME);
	s = seen_of(a, false, true, -1, false);   /* dates first: trusting would not help */
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_TIME);
	s = seen_of(a, true, true, 1, true);
	assert_int_equal(knownhosts_decide(NULL, NULL, &s), KV_REFUSE_INVALID);

	/* --trust-cert */
	s = seen_of(a, false, false, 0, false);
	assert_int_equal(knownhosts_decide(NULL, a, &s), KV_ACCEPT_PIN);
	assert_int_equal(knownhosts_decide(NULL, b, &s), KV_REFUSE_NOT_GIVEN);
	s = seen_of(a, true, true, 0, false);    /* even a CA-verified one must match */
	assert_int_equal(knownhosts_decide(NULL, b, &s), KV_REFUSE_NOT_GIVEN);
	assert_int_equal(knownhosts_decide(NULL, a, &s), KV_ACCEPT_PIN);
	s = seen_of(a, false, true, 1, false);   /* an expired one stays refused */
	assert_int_equal(knownhosts_decide(NULL, a, &s), KV_REFUSE_TIME);
	s = seen_of(a, false, true, 0, true);
	assert_int_equal(knownhosts_decide(NULL, a, &s), KV_REFUSE_INVALID);

	/* a hub recorded as CA-verified */
	s = seen_of(a, true, true, 0, false);
	assert_int_equal(knownhosts_decide(&ca, NULL, &s), KV_ACCEPT);
	s = seen_of(b, true, true, 0, false);    /* renewed */
	assert_int_equal(knownhosts_decide(&ca, NULL, &s), KV_ACCEPT_CA);
	s = seen_of(b, false, true, 0, false);   /* now untrusted */
	assert_int_equal(knownhosts_decide(&ca, NULL, &s), KV_REFUSE_UNTRUSTED);
	assert_int_equal(knownhosts_decide(&ca, b, &s), KV_ACCEPT_PIN);

	/* a pinned hub */
	s = seen_of(a, false, false, 0, false);  /* its own certificate: no CA, any name */
	assert_int_equal(knownhosts_decide(&pin, NULL, &s), KV_ACCEPT);
	assert_int_equal(knownhosts_decide(&pin, a, &s), KV_ACCEPT);
	assert_int_equal(knownhosts_decide(&pin, b, &s), KV_REFUSE_NOT_GIVEN);
	s = seen_of(b, false, false, 0, false);
	assert_int_equal(knownhosts_decide(&pin, NULL, &s), KV_REFUSE_CHANGED);
	assert_int_equal(knownhosts_decide(&pin, b, &s), KV_REFUSE_CHANGED); /* remove the line */
	s = seen_of(b, true, true, 0, false);    /* a CA-signed replacement too */
	assert_int_equal(knownhosts_decide(&pin, NULL, &s), KV_REFUSE_CHANGED);
	s = seen_of(a, false, false, 1, false);  /* its own, expired */
	assert_int_equal(knownhosts_decide(&pin, NULL, &s), KV_REFUSE_TIME);

	assert_true(knownhosts_accepts(KV_ACCEPT));
	assert_true(knownhosts_accepts(KV_ACCEPT_CA));
	assert_true(knownhosts_accepts(KV_ACCEPT_PIN));
	assert_false(knownhosts_accepts(KV_REFUSE_CHANGED));
	assert_false(knownhosts_accepts(KV_REFUSE_UNTRUSTED));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kh_default_path),
		cmocka_unit_test(test_kh_fingerprints),
		cmocka_unit_test(test_kh_keys),
		cmocka_unit_test(test_kh_parse),
		cmocka_unit_test(test_kh_record),
		cmocka_unit_test(test_kh_refused),
		cmocka_unit_test(test_kh_decide),
	};

	return cmocka_run_group_tests_name("knownhosts", tests, setup, teardown);
}

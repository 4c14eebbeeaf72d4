/* test_config.c: unit tests for src/client/config (the config file: every key, every
 * error, the XDG path, reading files). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/config.h"
#include "tmpdirfix.h"
#include "util/xalloc.h"

/* A private directory for files, removed at the end. */
static char tmpdir[] = "/tmp/confab-test-config-XXXXXX";

/* Sets the locale and makes the private directory. */
static int
setup(void **state)
{
	(void)state;
	return tmpdirfix_setup(tmpdir);
}

/* Removes the private directory and what the tests put in it. */
static int
teardown(void **state)
{
	(void)state;
	return tmpdirfix_teardown(tmpdir);
}

/* Parses text; returns the rc and leaves the message (or NULL) in *cause. */
static int
parse(struct config *cfg, const char *text, char **cause)
{
	config_init(cfg);
	return config_parse(cfg, text, strlen(text), "config", cause);
}

/* Parses text that must fail with exactly the message want. */
static void
parse_fails(const char *text, const char *want)
{
	struct config cfg;
	char *cause;

	if (parse(&cfg, text, &cause) != -1)
		fail_msg("accepted: %s", text);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	config_clear(&cfg);
}

/* The defaults, with nothing set. */
static void
test_config_defaults(void **state)
{
	struct config cfg;
	char *cause;
	const char *const *keys;
	size_t n;

	(void)state;
	assert_int_equal(parse(&cfg, "", &cause), 0);
	assert_null(cause);
	assert_null(cfg.name);
	assert_null(cfg.hub);
	assert_null(cfg.log_file);
	assert_null(cfg.path);
	assert_int_equal(cfg.plain, 0);
	assert_int_equal(cfg.bell, 1);
	assert_int_equal(cfg.mention_bell, 1);
	assert_int_equal(cfg.colours, CONFIG_COLOURS_AUTO);
	assert_int_equal(cfg.time, CONFIG_TIME_EVENT);
	assert_int_equal(cfg.clock, CONFIG_CLOCK_24H);
	assert_int_equal(cfg.remind_ms, 5 * 60000);
	assert_int_equal(cfg.set, 0);
	config_clear(&cfg);
	keys = config_keys(&n);
	assert_int_equal(n, 22);
	assert_string_equal(keys[17], "remind");
	assert_string_equal(keys[21], "transport-exec");
	assert_string_equal(keys[0], "name");
	assert_string_equal(keys[8], "log-file");
	assert_string_equal(keys[9], "ca-file");
	assert_string_equal(keys[18], "proxy");
	assert_string_equal(keys[10], "ignore");
}

/* The keys of the way to the hub: proxy, transport, bridge, transport-exec. */
static void
test_config_reach(void **state)
{
	struct config cfg;
	char *cause;

	(void)state;
	setenv("HOME", "/home/tester", 1);
	assert_int_equal(parse(&cfg, "proxy = socks5h://127.0.0.1:9050\ntransport = obfs4\n"
	    "bridge = 203.0.113.7:443 cert=abc+/= iat-mode=0   # from the organizer\n"
	    "transport-exec = ~/bin/obfs4proxy\n", &cause), 0);
	assert_null(cause);
	assert_string_equal(cfg.proxy, "socks5h://127.0.0.1:9050");
	assert_string_equal(cfg.transport, "obfs4");
	assert_string_equal(cfg.bridge, "203.0.113.7:443 cert=abc+/= iat-mode=0");
	assert_string_equal(cfg.transport_exec, "/home/tester/bin/obfs4proxy");
	assert_int_equal(cfg.set, CONFIG_SET_PROXY | CONFIG_SET_TRANSPORT | CONFIG_SET_BRIDGE |
	    CONFIG_SET_TRANSPORT_EXEC);
	config_clear(&cfg);
	assert_int_equal(parse(&cfg, "proxy = none\n", &cause), 0);
	assert_string_equal(cfg.proxy, "none");
	config_clear(&cfg);
	parse_fails("proxy = socks4://127.0.0.1:9050", "config:1: proxy \"socks4://\": this kind "
	    "of proxy is not supported: use http://HOST:PORT (HTTP CONNECT), socks5h://HOST:PORT "
	    "(SOCKS5, names resolved by the proxy, as Tor wants) or socks5://HOST:PORT");
	parse_fails("transport = obfs-4", "config:1: bad value \"obfs-4\" for transport: a "
	    "transport name such as obfs4");
	parse_fails("bridge = 203.0.113.7 cert=x", "config:1: bad bridge line: \"203.0.113.7\" "
	    "is not ADDRESS:PORT");
	parse_fails("bridj = x", "config:1: unknown key \"bridj\"; did you mean \"bridge\"?");
}

/* Every key, with comments, blank lines, spaces, quotes and CRLF line ends. */
static void
test_config_all_keys(void **state)
{
	struct config cfg;
	char *cause;
	const char *text =
	    "# confab config\n"
	    "\n"
	    "name = alice\n"
	    "  hub=ws://hub.example:7450  \n"
	    "plain = yes\r\n"
	    "\tbell = off\n"
	    "mention-bell = FALSE\n"
	    "colours = no\n"
	    "   # indented comment\n"
	    "time = local\n"
	    "clock = 12h\n"
	    "log-file = \"/tmp/a b.log\"\n"
	    "ca-file = /etc/confab/org-ca.pem\n"
	    "remind = 10m\n";

	(void)state;
	setenv("HOME", "/home/tester", 1);
	assert_int_equal(parse(&cfg, text, &cause), 0);
	assert_null(cause);
	assert_string_equal(cfg.name, "alice");
	assert_string_equal(cfg.hub, "ws://hub.example:7450");
	assert_int_equal(cfg.plain, 1);
	assert_int_equal(cfg.bell, 0);
	assert_int_equal(cfg.mention_bell, 0);
	assert_int_equal(cfg.colours, CONFIG_COLOURS_NO);
	assert_int_equal(cfg.time, CONFIG_TIME_LOCAL);
	assert_int_equal(cfg.clock, CONFIG_CLOCK_12H);
	assert_string_equal(cfg.log_file, "/tmp/a b.log");
	assert_string_equal(cfg.ca_file, "/etc/confab/org-ca.pem");
	assert_int_equal(cfg.remind_ms, 10 * 60000);
	assert_int_equal(cfg.set, CONFIG_SET_NAME | CONFIG_SET_HUB | CONFIG_SET_PLAIN |
	    CONFIG_SET_BELL | CONFIG_SET_MENTION_BELL | CONFIG_SET_COLOURS | CONFIG_SET_TIME |
	    CONFIG_SET_CLOCK | CONFIG_SET_LOG_FILE | CONFIG_SET_CA_FILE | CONFIG_SET_REMIND);
	config_clear(&cfg);

	/* remind: plain minutes, a duration, or off */
	assert_int_equal(parse(&cfg, "remind = 15\n", &cause), 0);
	assert_int_equal(cfg.remind_ms, 15 * 60000);
	assert_int_equal(parse(&cfg, "remind = 90s\n", &cause), 0);
	assert_int_equal(cfg.remind_ms, 90000);
	assert_int_equal(parse(&cfg, "remind = off\n", &cause), 0);
	assert_int_equal(cfg.remind_ms, 0);
	config_clear(&cfg);

	/* Other spellings; the last of a repeated key wins; "~/" expands. */
	assert_int_equal(parse(&cfg, "colors = yes\nbell = 1\nbell = 0\nbell = on\n"
	    "plain = true\ncolours = AUTO\nclock = 24\ntime = event\nlog-file = ~/c.log\n"
	    "hub = wss://h.example/x\nname = Ж#1\nca-file = ~/ca.pem\n", &cause), 0);
	assert_null(cause);
	assert_int_equal(cfg.colours, CONFIG_COLOURS_AUTO);
	assert_int_equal(cfg.bell, 1);
	assert_int_equal(cfg.plain, 1);
	assert_int_equal(cfg.clock, CONFIG_CLOCK_24H);
	assert_int_equal(cfg.time, CONFIG_TIME_EVENT);
	assert_string_equal(cfg.log_file, "/home/tester/c.log");
	assert_string_equal(cfg.hub, "wss://h.example/x");
	assert_string_equal(cfg.ca_file, "/home/tester/ca.pem");
	assert_string_equal(cfg.name, "Ж#1");
	assert_int_equal(cfg.set & CONFIG_SET_MENTION_BELL, 0);
	config_clear(&cfg);
	/* Comments after values; quotes keep " #" and spaces. */
	assert_int_equal(parse(&cfg, "name = a#1   # my name\nbell = no\t# quiet\n"
	    "log-file = \" /tmp/x #1.log\"  # quoted\nhub = ws://h:1#frag\n", &cause), 0);
	assert_null(cause);
	assert_string_equal(cfg.name, "a#1");
	assert_int_equal(cfg.bell, 0);
	assert_string_equal(cfg.log_file, " /tmp/x #1.log");
	assert_string_equal(cfg.hub, "ws://h:1#frag");
	config_clear(&cfg);
	/* No final newline. */
	assert_int_equal(parse(&cfg, "name = bob", &cause), 0);
	assert_string_equal(cfg.name, "bob");
	config_clear(&cfg);
}

/* Every error names the file and line and says what would work. */
static void
test_config_errors(void **state)
{
	struct config cfg;
	char *cause;

	(void)state;
	parse_fails("name = a\n\ncolour = yes\n",
	    "config:3: unknown key \"colour\"; did you mean \"colours\"?");
	parse_fails("mentionbell = no", "config:1: unknown key \"mentionbell\"; did you mean "
	    "\"mention-bell\"?");
	parse_fails("Name = x", "config:1: unknown key \"Name\"; did you mean \"name\"?");
	parse_fails("frobnicate = 1", "config:1: unknown key \"frobnicate\"; the keys are name, "
	    "hub, plain, bell, mention-bell, colours, time, clock, log-file, ca-file, ignore, "
	    "smart-filter, log-chat, theme, mouse, bind, plain-redraw, remind, proxy, transport, "
	    "bridge and transport-exec");
	parse_fails("ca_file = x", "config:1: unknown key \"ca_file\"; did you mean "
	    "\"ca-file\"?");
	parse_fails("remind = soon", "config:1: bad value \"soon\" for remind: use a time "
	    "before the session like 5m, 90s or 1h (at most 24h), or off");
	parse_fails("remind = 25h", "config:1: bad value \"25h\" for remind: use a time "
	    "before the session like 5m, 90s or 1h (at most 24h), or off");
	parse_fails("plain yes", "config:1: expected \"key = value\", not \"plain yes\"");
	parse_fails("= yes", "config:1: missing key before \"=\"");
	parse_fails("name =", "config:1: name needs a value");
	parse_fails("name = \"\"", "config:1: name needs a value");
	parse_fails("name = \"bob", "config:1: a quoted value needs its closing quote, and "
	    "only a comment may follow it");
	parse_fails("name = \"bob\" x", "config:1: a quoted value needs its closing quote, "
	    "and only a comment may follow it");
	parse_fails("name = # nothing", "config:1: name needs a value");
	parse_fails("name = #x", "config:1: name needs a value"); /* a comment */
	parse_fails("name = \"#x\"", "config:1: name \"#x\" is not allowed: no spaces, "
	    "control characters, ':' or ',', and it may not start with '#', '/' or '@'");
	parse_fails("plain = maybe", "config:1: bad value \"maybe\" for plain: use yes or no");
	parse_fails("bell = 2", "config:1: bad value \"2\" for bell: use yes or no");
	parse_fails("mention-bell = y",
	    "config:1: bad value \"y\" for mention-bell: use yes or no");
	parse_fails("colours = some",
	    "config:1: bad value \"some\" for colours: use yes, no or auto");
	parse_fails("time = utc", "config:1: bad value \"utc\" for time: use local or event");
	parse_fails("clock = 25h", "config:1: bad value \"25h\" for clock: use 24h or 12h");
	parse_fails("hub = http://x", "config:1: bad value \"http://x\" for hub: use "
	    "ws://HOST:PORT or wss://HOST:PORT");
	parse_fails("name = a b", "config:1: name \"a b\" is not allowed: no spaces, control "
	    "characters, ':' or ',', and it may not start with '#', '/' or '@'");
	parse_fails("name = /x", "config:1: name \"/x\" is not allowed: no spaces, control "
	    "characters, ':' or ',', and it may not start with '#', '/' or '@'");
	parse_fails("name = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "config:1: name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is longer than 32 bytes");
	parse_fails("name = \xff", "config:1: not valid UTF-8 text");
	/* Control characters in an echoed value are shown visibly. */
	parse_fails("time = \x1b[2J", "config:1: bad value \"^[[2J\" for time: use local or "
	    "event");
	unsetenv("HOME");
	parse_fails("log-file = ~/x", "config:1: cannot expand \"~/x\" for log-file: HOME is "
	    "not set");
	parse_fails("ca-file = ~/x", "config:1: cannot expand \"~/x\" for ca-file: HOME is "
	    "not set");
	setenv("HOME", "/home/tester", 1);

	/* Several problems: one line each; the good lines still apply. */
	assert_int_equal(parse(&cfg, "bell = no\ncolour = yes\nname = carol\nclock = 13h\n",
	    &cause), -1);
	assert_string_equal(cause, "config:2: unknown key \"colour\"; did you mean \"colours\"?\n"
	    "config:4: bad value \"13h\" for clock: use 24h or 12h");
	assert_int_equal(cfg.bell, 0);
	assert_string_equal(cfg.name, "carol");
	assert_int_equal(cfg.set, CONFIG_SET_BELL | CONFIG_SET_NAME);
	assert_int_equal(cfg.clock, CONFIG_CLOCK_24H);
	free(cause);
	config_clear(&cfg);
}

/* Writes text to dir/name (making dir). Returns the new path. */
static char *
write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp;

	mkdir(dir, 0700);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* The XDG path, the HOME fallback, missing and unreadable files. */
static void
test_config_files(void **state)
{
	struct config cfg;
	char *cause, *path, *xdg, *home, *dir, *big;
	FILE *fp;
	size_t i;

	(void)state;
	xdg = xasprintf("%s/xdg", tmpdir);
	home = xasprintf("%s/home", tmpdir);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);
	path = config_default_path();
	assert_non_null(path);
	assert_true(strcmp(path + strlen(xdg), "/confab/config") == 0);
	free(path);
	setenv("XDG_CONFIG_HOME", "relative", 1);   /* ignored, as the XDG spec says */
	path = config_default_path();
	assert_true(strcmp(path + strlen(home), "/.config/confab/config") == 0);
	free(path);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_null(config_default_path());

	/* Missing: fine, nothing set. */
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, NULL, &cause), 0);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(config_load(&cfg, NULL, &cause), 0);
	assert_null(cause);
	assert_null(cfg.path);
	assert_int_equal(cfg.set, 0);

	/* Found at the XDG path; errors name the file. */
	mkdir(xdg, 0700);
	dir = xasprintf("%s/confab", xdg);
	path = write_file(dir, "config", "name = dave\nbel = no\n");
	assert_int_equal(config_load(&cfg, NULL, &cause), -1);
	assert_string_equal(cfg.name, "dave");
	assert_string_equal(cfg.path, path);
	{
		char *want = xasprintf("%s:2: unknown key \"bel\"; did you mean \"bell\"?", path);

		assert_string_equal(cause, want);
		free(want);
	}
	free(cause);
	config_clear(&cfg);

	/* A directory where the file should be, and a file too large. */
	unlink(path);
	mkdir(path, 0700);
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, path, &cause), -1);
	assert_non_null(strstr(cause, "cannot read"));
	free(cause);
	rmdir(path);
	fp = fopen(path, "w");
	assert_non_null(fp);
	big = xmalloc(1024);
	memset(big, '#', 1023);
	big[1023] = '\n';
	for (i = 0; i < CONFIG_MAX_BYTES / 1024 + 1; i++)
		fwrite(big, 1, 1024, fp);
	fclose(fp);
	free(big);
	assert_int_equal(config_load(&cfg, path, &cause), -1);
	assert_non_null(strstr(cause, "larger than 64 KiB"));
	free(cause);
	/* An explicit path that does not exist is fine too. */
	assert_int_equal(config_load(&cfg, "/nonexistent/confab/config", &cause), 0);
	config_clear(&cfg);
	config_clear(&cfg);                         /* twice is fine */
	unsetenv("XDG_CONFIG_HOME");
	free(path);
	free(dir);
	free(xdg);
	free(home);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_all_keys),
		cmocka_unit_test(test_config_reach),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_files),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}

/* ptproc.c: a pluggable transport client as a managed proxy: start it with the spec's
 * environment, read what it says inside the lws loop, restart it when it dies, stop it
 * as the spec says. */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/netutil.h"
#include "net/ptline.h"
#include "net/ptproc.h"
#include "util/container.h"
#include "util/log.h"
#include "util/xalloc.h"

#define PTPROC_REAP_POLL_MS 20

extern char **environ;

enum ptproc_state { P_IDLE = 0, P_STARTING, P_READY, P_WAITING };

struct ptproc;

/* One of the program's output pipes. */
struct ptproc_pipe {
	struct ptproc *p;
	int is_err;                  /* standard error (logged) rather than output (parsed) */
	struct lws *wsi;
	char line[PTLINE_MAX + 1];
	size_t len;
	int overlong;                /* dropping the rest of a line that was too long */
};

struct ptproc {
	struct lws_context *cx;
	struct lws_vhost *vh;
	char *exec, *transport, *state_dir, *proxy;
	struct ptproc_callbacks cb;
	enum ptproc_state state;
	pid_t pid;
	int stdin_fd;
	struct ptproc_pipe out, err;
	int got_version, socks4_only;
	char *socks_host;
	int socks_port;
	char *why;                   /* the reason of this run's failure, once known */
	int told;                    /* the owner was told of this run's failure */
	char last_err[200];          /* the last line on standard error */
	unsigned fails;              /* runs in a row that failed before they were ready */
	int stopping;
	int64_t reap_waited;         /* ms spent waiting for the exit */
	int killed;                  /* SIGKILL was sent */
	lws_sorted_usec_list_t sul_restart, sul_reap, sul_ready;
};

/* Copies s (from the transport) with control characters shown as '?', at most 200
 * bytes: text for the log and for messages. New string. */
static char *
ptproc_clean(const char *s)
{
	char *o = xstrndup(s, 200), *q;

	for (q = o; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	return o;
}

/* Looks name up in PATH. New string or NULL. */
static char *
ptproc_search(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;
	struct stat st;
	char *cand;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 && stat(name, &st) == 0 && S_ISREG(st.st_mode) ?
		    xstrdup(name) : NULL;
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = e + 1) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		cand = xasprintf("%.*s/%s", e > p ? (int)(e - p) : 1, e > p ? p : ".", name);
		if (access(cand, X_OK) == 0 && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			return cand;
		free(cand);
		if (*e == '\0')
			return NULL;
	}
}

/* The program of a transport. */
char *
ptproc_find(const char *transport, const char *exec, char **cause)
{
	static const char *const obfs[] = { "obfs4", "obfs3", "obfs2", "meek_lite",
	    "scramblesuit", NULL };
	const char *const *t;
	char *found;

	if (exec != NULL) {
		found = ptproc_search(exec);
		if (found == NULL)
			*cause = xasprintf(_("the transport program \"%s\" was not found or cannot "
			    "be run (--transport-exec)"), exec);
		return found;
	}
	for (t = obfs; *t != NULL; t++)
		if (strcmp(transport, *t) == 0) {
			if ((found = ptproc_search("obfs4proxy")) == NULL)
				found = ptproc_search("lyrebird");
			if (found == NULL)
				*cause = xasprintf(_("the %s transport needs the program obfs4proxy, "
				    "which was not found: install it (Debian: apt install obfs4proxy) "
				    "or give its path with --transport-exec PATH"), transport);
			return found;
		}
	if (strcmp(transport, "snowflake") == 0) {
		if ((found = ptproc_search("snowflake-client")) == NULL)
			*cause = xstrdup(_("the snowflake transport needs the program "
			    "snowflake-client, which was not found: install it (Debian: apt install "
			    "snowflake-client) or give its path with --transport-exec PATH"));
		return found;
	}
	*cause = xasprintf(_("confab does not know which program provides the %s transport: "
	    "give it with --transport-exec PATH"), transport);
	return NULL;
}

/* Tells the owner that this run failed (once) with why (new, translated: taken). */
static void
ptproc_failed(struct ptproc *p, char *why)
{
	if (p->why == NULL)
		p->why = why;
	else
		free(why);
	if (p->told || p->stopping)
		return;
	p->told = 1;
	log_warn("transport: %s", p->why);
	if (p->cb.failed != NULL)
		p->cb.failed(p->cb.arg, p->why);
}

/* Asks the program to stop (it failed, or did not get ready in time). */
static void
ptproc_terminate(struct ptproc *p)
{
	if (p->pid > 0)
		kill(p->pid, SIGTERM);
}

/* One line of the program's standard output. */
static void
ptproc_line(struct ptproc *p, const char *text)
{
	struct ptline l;
	char *msg;

	ptline_parse(text, &l);
	msg = ptproc_clean(l.message);
	switch (l.kind) {
	case PTL_VERSION:
		if (strcmp(l.message, "1") == 0)
			p->got_version = 1;
		else {
			ptproc_failed(p, xasprintf(_("the transport program %s answered version "
			    "\"%s\" of the pluggable transport protocol; confab speaks version 1"),
			    p->exec, msg));
			ptproc_terminate(p);
		}
		break;
	case PTL_VERSION_ERROR:
		ptproc_failed(p, xasprintf(_("the transport program %s does not speak version "
		    "1 of the pluggable transport protocol (%s)"), p->exec, msg));
		break;
	case PTL_ENV_ERROR:
		ptproc_failed(p, xasprintf(_("the transport program %s refused its settings: %s"),
		    p->exec, msg));
		break;
	case PTL_PROXY_ERROR:
		ptproc_failed(p, xasprintf(_("the transport program %s cannot use the proxy: %s"),
		    p->exec, msg));
		break;
	case PTL_PROXY_DONE:
		log_info("transport: it goes through the proxy");
		break;
	case PTL_CMETHOD:
		if (strcmp(l.transport, p->transport) != 0)
			break;
		if (strcmp(l.protocol, "socks5") == 0) {
			free(p->socks_host);
			p->socks_host = xstrdup(l.host);
			p->socks_port = l.port;
		} else
			p->socks4_only = 1;
		break;
	case PTL_CMETHOD_ERROR:
		if (strcmp(l.transport, p->transport) != 0)
			break;
		ptproc_failed(p, xasprintf(_("the %s transport could not start: %s"),
		    p->transport, msg));
		ptproc_terminate(p);
		break;
	case PTL_CMETHODS_DONE:
		if (p->socks_host != NULL && p->got_version && p->state == P_STARTING) {
			p->state = P_READY;
			p->fails = 0;
			lws_sul_cancel(&p->sul_ready);
			log_info("transport: %s ready, SOCKS5 on %s:%d", p->transport,
			    p->socks_host, p->socks_port);
			if (p->cb.ready != NULL)
				p->cb.ready(p->cb.arg);
		} else if (!p->told) {
			ptproc_failed(p, p->socks4_only ? xasprintf(_("the %s transport offers only "
			    "SOCKS4; confab needs SOCKS5"), p->transport) : xasprintf(_("the "
			    "transport program %s does not offer the %s transport"), p->exec,
			    p->transport));
			ptproc_terminate(p);
		}
		break;
	case PTL_LOG:
	case PTL_STATUS:
		log_info("transport: %s", msg);
		break;
	case PTL_BAD:
		log_warn("transport: a line that does not parse: %s", msg);
		break;
	default:
		break;
	}
	free(msg);
}

/* Splits what a pipe delivered into lines. */
static void
ptproc_feed(struct ptproc_pipe *pp, const char *buf, size_t n)
{
	size_t i;
	char *clean;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (pp->len < PTLINE_MAX)
				pp->line[pp->len++] = buf[i];
			else
				pp->overlong = 1;
			continue;
		}
		pp->line[pp->len] = '\0';
		if (pp->is_err) {
			clean = ptproc_clean(pp->line);
			log_info("transport (stderr): %s", clean);
			if (clean[0] != '\0')
				strlcpy_cf(pp->p->last_err, clean, sizeof pp->p->last_err);
			free(clean);
		} else if (!pp->overlong)
			ptproc_line(pp->p, pp->line);
		pp->len = 0;
		pp->overlong = 0;
	}
}

static void ptproc_reap_cb(lws_sorted_usec_list_t *sul);

/* The program's standard output closed: it is ending. Wait for it. */
static void
ptproc_ending(struct ptproc *p)
{
	if (p->pid <= 0)
		return;
	p->reap_waited = 0;
	lws_sul_schedule(p->cx, 0, &p->sul_reap, ptproc_reap_cb, 1);
}

/* The lws callback of the program's pipes. */
static int
ptproc_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	struct ptproc_pipe *pp = lws_get_opaque_user_data(wsi);
	char buf[4096];
	ssize_t n;

	(void)user;
	(void)in;
	(void)len;
	if (pp == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		n = read(lws_get_socket_fd(wsi), buf, sizeof buf);
		if (n > 0) {
			ptproc_feed(pp, buf, (size_t)n);
			return 0;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		return -1;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		lws_set_opaque_user_data(wsi, NULL);
		pp->wsi = NULL;
		if (!pp->is_err)
			ptproc_ending(pp->p);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols ptproc_lws_protocol = {
	PTPROC_PROTOCOL_NAME, ptproc_callback, 0, 0, 0, NULL, 0
};

/* The protocol entry. */
const struct lws_protocols *
ptproc_protocol(void)
{
	return &ptproc_lws_protocol;
}

/* Creates a transport. */
struct ptproc *
ptproc_create(struct lws_context *cx, struct lws_vhost *vh, const struct ptproc_config *cfg,
    const struct ptproc_callbacks *cb)
{
	struct ptproc *p = xcalloc(1, sizeof *p);

	p->cx = cx;
	p->vh = vh;
	p->exec = xstrdup(cfg->exec);
	p->transport = xstrdup(cfg->transport);
	p->state_dir = xstrdup(cfg->state_dir);
	p->proxy = cfg->proxy != NULL ? xstrdup(cfg->proxy) : NULL;
	p->cb = *cb;
	p->stdin_fd = -1;
	p->out.p = p->err.p = p;
	p->err.is_err = 1;
	return p;
}

/* The environment of the program: ours without any TOR_PT_ variable, then the spec's.
 * A new NULL-terminated array of new strings. */
static char **
ptproc_env(const struct ptproc *p)
{
	size_t n = 0, i, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 6, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "TOR_PT_", 7) != 0)
			env[k++] = xstrdup(environ[i]);
	env[k++] = xstrdup("TOR_PT_MANAGED_TRANSPORT_VER=1");
	env[k++] = xasprintf("TOR_PT_CLIENT_TRANSPORTS=%s", p->transport);
	env[k++] = xasprintf("TOR_PT_STATE_LOCATION=%s", p->state_dir);
	env[k++] = xstrdup("TOR_PT_EXIT_ON_STDIN_CLOSE=1");
	if (p->proxy != NULL)
		env[k++] = xasprintf("TOR_PT_PROXY=%s", p->proxy);
	env[k] = NULL;
	return env;
}

/* Frees an environment made by ptproc_env(). */
static void
ptproc_env_free(char **env)
{
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* In the child: wires the pipes and runs the program; never returns. */
static void __attribute__((noreturn))
ptproc_child(const struct ptproc *p, char **env, int in, int out, int err, int report,
    pid_t parent)
{
	char *argv[2];
	sigset_t all;
	int e;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	setsid();   /* keystrokes that signal the terminal's group are confab's */
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	argv[0] = p->exec;
	argv[1] = NULL;
	execve(p->exec, argv, env);
	e = errno;
	if (write(report, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* Adopts one pipe's read end into the loop. Returns 0 or -1. */
static int
ptproc_adopt(struct ptproc *p, struct ptproc_pipe *pp, int fd)
{
	pp->len = 0;
	pp->overlong = 0;
	pp->wsi = netutil_adopt(p->vh, fd, false, PTPROC_PROTOCOL_NAME, pp);
	return pp->wsi != NULL ? 0 : -1;
}

static void ptproc_restart_cb(lws_sorted_usec_list_t *sul);
static void ptproc_ready_cb(lws_sorted_usec_list_t *sul);

/* Schedules the next start after a failed or ended run. */
static void
ptproc_schedule_restart(struct ptproc *p)
{
	int64_t ms = PTPROC_RESTART_MIN_MS;
	unsigned i;

	if (p->stopping)
		return;
	for (i = 0; i < p->fails && ms < PTPROC_RESTART_MAX_MS; i++)
		ms *= 2;
	if (ms > PTPROC_RESTART_MAX_MS)
		ms = PTPROC_RESTART_MAX_MS;
	p->state = P_WAITING;
	log_info("transport: starting it again in %lld ms", (long long)ms);
	lws_sul_schedule(p->cx, 0, &p->sul_restart, ptproc_restart_cb, (lws_usec_t)ms * 1000);
}

/* Starts the program. */
static void
ptproc_spawn(struct ptproc *p)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	char **env;
	pid_t pid, parent = getpid();
	ssize_t n;
	int e = 0;

	p->state = P_STARTING;
	p->got_version = p->socks4_only = 0;
	p->told = 0;
	p->killed = 0;
	free(p->why);
	p->why = NULL;
	p->last_err[0] = '\0';
	free(p->socks_host);
	p->socks_host = NULL;
	if (mkdir(p->state_dir, 0700) != 0 && errno != EEXIST)
		log_warn("transport: cannot make %s: %s", p->state_dir, strerror(errno));
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		e = errno;
		goto fail;
	}
	env = ptproc_env(p);
	pid = fork();
	if (pid == 0)
		ptproc_child(p, env, in[0], out[1], err[1], rep[1], parent);
	ptproc_env_free(env);
	if (pid < 0) {
		e = errno;
		goto fail;
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(rep[1]);
	in[0] = out[1] = err[1] = rep[1] = -1;
	/* the report pipe closes on a successful exec, or carries its errno */
	do
		n = read(rep[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(rep[0]);
	rep[0] = -1;
	p->pid = pid;
	p->stdin_fd = in[1];
	in[1] = -1;
	if (n == (ssize_t)sizeof e) {
		close(out[0]);
		close(err[0]);
		ptproc_failed(p, xasprintf(_("could not run the transport program %s: %s"),
		    p->exec, strerror(e)));
		ptproc_ending(p);
		return;
	}
	log_info("transport: started %s (pid %ld) for %s", p->exec, (long)pid, p->transport);
	if (ptproc_adopt(p, &p->out, out[0]) != 0) {
		close(out[0]);
		close(err[0]);
		ptproc_failed(p, xasprintf(_("could not watch the transport program %s"), p->exec));
		ptproc_terminate(p);
		ptproc_ending(p);
		return;
	}
	if (ptproc_adopt(p, &p->err, err[0]) != 0)
		close(err[0]);
	lws_sul_schedule(p->cx, 0, &p->sul_ready, ptproc_ready_cb,
	    (lws_usec_t)PTPROC_START_MS * 1000);
	return;
fail:
	{
		int *fds[] = { in, out, err, rep };
		size_t i;

		for (i = 0; i < 4; i++) {
			if (fds[i][0] >= 0)
				close(fds[i][0]);
			if (fds[i][1] >= 0)
				close(fds[i][1]);
		}
	}
	ptproc_failed(p, xasprintf(_("could not run the transport program %s: %s"), p->exec,
	    strerror(e)));
	p->fails++;
	ptproc_schedule_restart(p);
}

/* The restart timer. */
static void
ptproc_restart_cb(lws_sorted_usec_list_t *sul)
{
	struct ptproc *p = CF_CONTAINER_OF(sul, struct ptproc, sul_restart);

	if (p->state == P_WAITING && !p->stopping)
		ptproc_spawn(p);
}

/* The program did not get ready in time. */
static void
ptproc_ready_cb(lws_sorted_usec_list_t *sul)
{
	struct ptproc *p = CF_CONTAINER_OF(sul, struct ptproc, sul_ready);

	if (p->state != P_STARTING)
		return;
	ptproc_failed(p, xasprintf(_("the transport program %s did not get ready within %d s"),
	    p->exec, PTPROC_START_MS / 1000));
	ptproc_terminate(p);
}

/* Says how a process ended ("exit status 1", "killed by signal 9"). New string. */
static char *
ptproc_status(int status)
{
	if (WIFEXITED(status))
		return xasprintf(_("exit status %d"), WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xasprintf(_("killed by signal %d"), WTERMSIG(status));
	return xstrdup(_("ended"));
}

/* Collects the program's exit, then restarts it. */
static void
ptproc_reap_cb(lws_sorted_usec_list_t *sul)
{
	struct ptproc *p = CF_CONTAINER_OF(sul, struct ptproc, sul_reap);
	int status = 0, was_ready = p->state == P_READY;
	char *how;
	pid_t r;

	if (p->pid <= 0)
		return;
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == 0) {
		/* its output closed but it runs: give it a moment, then make it stop */
		p->reap_waited += PTPROC_REAP_POLL_MS;
		if (p->reap_waited >= PTPROC_STOP_MS && !p->killed) {
			kill(p->pid, SIGKILL);
			p->killed = 1;
		} else if (p->reap_waited == PTPROC_STOP_MS / 2)
			kill(p->pid, SIGTERM);
		lws_sul_schedule(p->cx, 0, &p->sul_reap, ptproc_reap_cb,
		    (lws_usec_t)PTPROC_REAP_POLL_MS * 1000);
		return;
	}
	how = ptproc_status(status);
	log_info("transport: %s (pid %ld) ended: %s", p->exec, (long)p->pid, how);
	p->pid = 0;
	if (p->stdin_fd >= 0)
		close(p->stdin_fd);
	p->stdin_fd = -1;
	lws_sul_cancel(&p->sul_ready);
	if (was_ready)
		ptproc_failed(p, xasprintf(_("the transport program %s stopped (%s); starting it "
		    "again"), p->exec, how));
	else if (p->last_err[0] != '\0')
		ptproc_failed(p, xasprintf(_("the transport program %s ended before it was ready "
		    "(%s): %s"), p->exec, how, p->last_err));
	else
		ptproc_failed(p, xasprintf(_("the transport program %s ended before it was ready "
		    "(%s)"), p->exec, how));
	free(how);
	if (!was_ready)
		p->fails++;
	ptproc_schedule_restart(p);
}

/* Starts the program unless it runs or waits to restart. */
void
ptproc_start(struct ptproc *p)
{
	if (p->state == P_IDLE && p->pid == 0)
		ptproc_spawn(p);
}

/* The SOCKS5 address once ready. */
int
ptproc_socks(struct ptproc *p, const char **host, int *port)
{
	if (p->state != P_READY || p->socks_host == NULL)
		return 0;
	*host = p->socks_host;
	*port = p->socks_port;
	return 1;
}

/* The process id. */
pid_t
ptproc_pid(const struct ptproc *p)
{
	return p->pid;
}

/* Waits up to ms for the program to exit; returns 1 when it did. */
static int
ptproc_wait(struct ptproc *p, int ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int waited, status;

	for (waited = 0; ; waited += 10) {
		if (waitpid(p->pid, &status, WNOHANG) != 0)
			return 1;
		if (waited >= ms)
			return 0;
		nanosleep(&ts, NULL);
	}
}

/* Stops the program and frees p. */
void
ptproc_free(struct ptproc *p)
{
	struct ptproc_pipe *pipes[2];
	size_t i;

	if (p == NULL)
		return;
	p->stopping = 1;
	lws_sul_cancel(&p->sul_restart);
	lws_sul_cancel(&p->sul_reap);
	lws_sul_cancel(&p->sul_ready);
	if (p->stdin_fd >= 0)
		close(p->stdin_fd);
	if (p->pid > 0) {
		/* the spec's order: stdin closed, then SIGTERM, then SIGKILL */
		if (!ptproc_wait(p, PTPROC_STOP_MS)) {
			kill(p->pid, SIGTERM);
			if (!ptproc_wait(p, PTPROC_STOP_MS)) {
				kill(p->pid, SIGKILL);
				waitpid(p->pid, NULL, 0);
			}
		}
		log_info("transport: %s (pid %ld) stopped", p->exec, (long)p->pid);
	}
	pipes[0] = &p->out;
	pipes[1] = &p->err;
	for (i = 0; i < 2; i++)
		if (pipes[i]->wsi != NULL) {
			lws_set_opaque_user_data(pipes[i]->wsi, NULL);
			lws_set_timeout(pipes[i]->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		}
	free(p->exec);
	free(p->transport);
	free(p->state_dir);
	free(p->proxy);
	free(p->socks_host);
	free(p->why);
	free(p);
}

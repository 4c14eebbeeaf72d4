/* log.h: leveled logging to stderr or a file, with timestamps. */
#ifndef CONFAB_LOG_H
#define CONFAB_LOG_H

#include <stdio.h>

enum log_level { LOG_ERR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Logs go to fp (borrowed; NULL means stderr) up to level. */
void log_init(FILE *fp, enum log_level level);
/* Opens path for appending and logs there. Returns 0, or -1 with errno set. */
int log_open(const char *path, enum log_level level);
void log_close(void);
enum log_level log_get_level(void);
FILE *log_stream(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif

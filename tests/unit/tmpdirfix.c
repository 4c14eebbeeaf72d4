/* tmpdirfix.c: a private temporary directory for unit tests that write files. */
#include <locale.h>
#include <stdlib.h>

#include "tmpdirfix.h"
#include "util/xalloc.h"

/* Sets the locale and makes the directory. */
int
tmpdirfix_setup(char *tmpl)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	return mkdtemp(tmpl) == NULL ? -1 : 0;
}

/* Removes the directory and what the tests put in it. */
int
tmpdirfix_teardown(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

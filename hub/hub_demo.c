/* hub_demo.c: loads the embedded PTIM 2020 program and shifts it to run live. */
#include <jansson.h>

#include "data/demo_program.h"
#include "hub/hub_demo.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define HUB_DEMO_HOUR_MS (3600LL * 1000)

/* The demo program with its first session at the start of the hour containing now_ms. */
struct program *
hub_demo_program(int64_t now_ms, char **cause)
{
	struct program *p;
	json_error_t jerr;
	json_t *root;
	int64_t hour;

	root = json_loadb(demo_program_json, demo_program_json_len, 0, &jerr);
	if (root == NULL) {
		*cause = xasprintf(_("demo program: line %d: %s"), jerr.line, jerr.text);
		return NULL;
	}
	p = program_from_json(root, cause);
	json_decref(root);
	if (p == NULL)
		return NULL;
	if (p->nsessions > 0) {
		hour = now_ms - (((now_ms % HUB_DEMO_HOUR_MS) + HUB_DEMO_HOUR_MS) % HUB_DEMO_HOUR_MS);
		program_shift(p, hour - p->sessions[0].start_ms);
	}
	return p;
}

/* The sample lineup (fictional speakers). */
static const struct lineup_item hub_demo_items[] = {
	{ "Domain fronting after the CDN crackdown", "Speaker 1", LK_TALK, 0 },
	{ "Snowflake proxies in browser extensions", "Speaker 2", LK_TALK, 0 },
	{ "Measuring obfs4 blocking with volunteer probes", "Speaker 3", LK_TALK, 0 },
	{ "A pluggable transport over video calls", "Speaker 4", LK_PITCH, 0 },
	{ "Bridge distribution by QR code", "Speaker 5", LK_PITCH, 0 },
};

/* The sample lineup of the demo's lightning-talk session. */
const struct lineup_item *
hub_demo_lineup(size_t *n)
{
	*n = sizeof hub_demo_items / sizeof hub_demo_items[0];
	return hub_demo_items;
}

/* proto_int.h: what the codec's files share (not part of the public API). */
#ifndef CONFAB_PROTO_INT_H
#define CONFAB_PROTO_INT_H

#include <stdbool.h>

#include "proto/proto.h"

/* Wire names of presence actions, indexed by enum proto_presence. */
extern const char *const proto_presence_names[3];

/* True for replies (they carry "re"). */
bool proto_type_is_reply(enum proto_type t);
/* True for events (they carry "stream" and "seq"). */
bool proto_type_is_event(enum proto_type t);

/* Untranslated (English) default message of an error code, as sent on the wire. */
const char *proto_err_message_wire(enum proto_err e);

#endif

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

/* --- proto_dec.c: the decoder's helpers, shared with proto_part.c --- */
/* Decoding state: where errors go and the path of the object being read. */
struct dec {
	struct proto_decode_err *err;
	const char *path;   /* prefix for field names, e.g. "rooms[2]." */
};
/* Records an error; returns -1. */
int dec_fail(struct dec *d, enum proto_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A string member with limits in bytes (maxb) and code points (maxcp); 0 = none. */
int dec_str(struct dec *d, const json_t *o, const char *key, bool req, size_t maxb,
    size_t maxcp, const char **out);
/* An integer member in [min, max]; def when optional and absent. */
int dec_int(struct dec *d, const json_t *o, const char *key, bool req, int64_t min,
    int64_t max, int64_t def, int64_t *out);
/* A time member (UTC ms, 1970-9999); 0 when optional and absent. */
int dec_time(struct dec *d, const json_t *o, const char *key, bool req, int64_t *out);
/* A display name member (with empty_ok, "" too). */
int dec_name(struct dec *d, const json_t *o, const char *key, bool req, bool empty_ok,
    const char **out);
/* A boolean member; def when optional and absent. */
int dec_bool(struct dec *d, const json_t *o, const char *key, bool req, bool def,
    bool *out);
/* A required array member. */
int dec_array(struct dec *d, const json_t *o, const char *key, json_t **out);
/* A required room id member. */
int dec_room_id(struct dec *d, const json_t *o, const char *key, const char **out);
/* An object member; NULL when optional and absent. */
int dec_object(struct dec *d, const json_t *o, const char *key, bool req, json_t **out);
/* An optional cid member. */
int dec_cid(struct dec *d, const json_t *o, const char **out);

/* --- proto_enc.c: the encoder's helpers, shared with proto_part.c --- */
json_t *enc_str(const char *s);
void enc_set_str(json_t *o, const char *key, const char *s);
void enc_opt_str(json_t *o, const char *key, const char *s);
void enc_set_int(json_t *o, const char *key, int64_t n);
json_t *enc_strings(const char *const *v, size_t n);

/* --- proto_part.c: participation (section 6.13 of doc/PROTOCOL.md) --- */
int proto_part_dec_request(struct dec *d, const json_t *o, struct proto_msg *m);
int proto_part_dec_event(struct dec *d, const json_t *o, struct proto_msg *m);
void proto_part_enc_request(json_t *o, const struct proto_msg *m);
void proto_part_enc_event(json_t *o, const struct proto_msg *m);
/* Frees what decoding a participation message allocated. */
void proto_part_clear(struct proto_msg *m);

#endif

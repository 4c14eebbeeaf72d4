/* fuzzproto.c: round trips and error checks shared by the protocol targets. */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzproto.h"
#include "fuzz/fuzzutil.h"
#include "model/msgring.h"

/* Decodes a frame with the hub's decoder (request) or the client's. */
static int
fuzzproto_dec(const char *data, size_t len, size_t max_frame, bool request,
    struct proto_msg *m, struct proto_decode_err *err)
{
	if (request)
		return proto_decode_request(data, len, max_frame, m, err);
	return proto_decode(data, len, max_frame, m, err);
}

/* Checks a decoding error. */
void
fuzzproto_check_error(const struct proto_decode_err *err)
{
	size_t n = strnlen(err->detail, sizeof err->detail);

	FUZZ_CHECK(err->code > PE_NONE && err->code < PE__COUNT);
	FUZZ_CHECK(n < sizeof err->detail);
	if (!fuzzutil_safe_text(err->detail, n, ""))
		fuzzutil_fail(__FILE__, __LINE__, "unsafe error detail: %s", err->detail);
}

/* Checks the round trip of a decoded message. */
void
fuzzproto_roundtrip(const struct proto_msg *m, bool request)
{
	struct proto_decode_err err;
	struct proto_msg again;
	struct msg *frame;
	char *a, *b;

	a = proto_encode(m);
	frame = proto_encode_msg(m, 16);
	if (frame->len != strlen(a) || memcmp(msg_payload(frame), a, frame->len) != 0)
		fuzzutil_fail(__FILE__, __LINE__, "proto_encode and proto_encode_msg differ:\n"
		    "%s\n%s", a, msg_payload(frame));
	msg_unref(frame);
	if (fuzzproto_dec(a, strlen(a), 0, request, &again, &err) != 0)
		fuzzutil_fail(__FILE__, __LINE__, "an encoded %s does not decode: %s: %s\n%s",
		    proto_type_name(m->type), proto_err_name(err.code), err.detail, a);
	FUZZ_CHECK(again.type == m->type);
	b = proto_encode(&again);
	if (strcmp(a, b) != 0)
		fuzzutil_fail(__FILE__, __LINE__, "round trip changed the frame:\n%s\n%s", a, b);
	free(b);
	free(a);
	proto_msg_clear(&again);
}

/* Decodes one frame and checks the result. */
void
fuzzproto_decode(const char *data, size_t len, bool request)
{
	struct proto_decode_err err;
	struct proto_msg m;

	if (fuzzproto_dec(data, len, request ? PROTO_MAX_FRAME : 0, request, &m, &err) != 0) {
		fuzzproto_check_error(&err);
		FUZZ_CHECK(m.type == PT_UNKNOWN && m.root_ == NULL);
		return;
	}
	FUZZ_CHECK(m.type > PT_UNKNOWN && m.type < PT__COUNT);
	if (request)
		FUZZ_CHECK(proto_type_is_request(m.type) && m.id > 0);
	fuzzproto_roundtrip(&m, request);
	proto_msg_clear(&m);
}

/* fuzzproto.h: the checks the protocol targets share: a decoded message encodes to a frame
 * that decodes again to the same message, and a refused frame is explained by an error
 * that can be sent back as it is. */
#ifndef CONFAB_FUZZPROTO_H
#define CONFAB_FUZZPROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/proto.h"

/* Decodes data[0..len) as the hub does (requests, at most PROTO_MAX_FRAME bytes) or, when
 * request is false, as the client does (any type, no size limit), and checks the result:
 * on success the round trip (see fuzzproto_roundtrip), on failure the error. */
void fuzzproto_decode(const char *data, size_t len, bool request);

/* Checks that m, decoded by the hub's decoder (request) or the client's, encodes (with
 * proto_encode and proto_encode_msg alike) to a frame that the same decoder accepts and
 * that encodes again to the same text. */
void fuzzproto_roundtrip(const struct proto_msg *m, bool request);

/* Checks a decoding error: a known code and a detail that is safe to print (the hub logs
 * it and sends it back as the error's message): well-formed UTF-8 without
 * controls. */
void fuzzproto_check_error(const struct proto_decode_err *err);

#endif

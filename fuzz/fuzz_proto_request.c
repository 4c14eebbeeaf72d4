/* fuzz_proto_request.c: libFuzzer target for what the hub decodes from clients
 * (proto_decode_request, the hub's attack surface), with the encode/decode round trip of
 * every frame it accepts. Input: one frame. */
#include "fuzz/fuzzproto.h"
#include "fuzz/fuzzutil.h"

/* One frame from a client. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzproto_decode((const char *)data, size, true);
	return 0;
}

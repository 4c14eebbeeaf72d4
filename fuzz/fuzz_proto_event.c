/* fuzz_proto_event.c: libFuzzer target for what the client decodes from the hub
 * (proto_decode: replies, events, and any other type), with the encode/decode round trip
 * of every frame it accepts. Input: one frame. */
#include "fuzz/fuzzproto.h"
#include "fuzz/fuzzutil.h"

/* One frame from a hub. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzproto_decode((const char *)data, size, false);
	return 0;
}

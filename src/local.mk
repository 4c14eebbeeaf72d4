# src/: the core as small internal libraries (no curses, no lws in util/model/proto).

noinst_LIBRARIES += src/libcfutil.a src/libcfmodel.a src/libcfproto.a

src_libcfutil_a_SOURCES = \
	src/util/xalloc.c src/util/xalloc.h \
	src/util/utf8.c src/util/utf8.h \
	src/util/width.c src/util/width.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/duration.c src/util/duration.h \
	src/util/sat.h \
	src/util/idindex.c src/util/idindex.h \
	src/util/clock.c src/util/clock.h \
	src/util/tztime.c src/util/tztime.h \
	src/util/log.c src/util/log.h \
	src/util/files.c src/util/files.h \
	src/util/base64.c src/util/base64.h \
	src/util/i18n.c src/util/i18n.h \
	src/util/strmap.c src/util/strmap.h \
	src/util/random.c src/util/random.h \
	src/util/bucket.c src/util/bucket.h

src_libcfmodel_a_SOURCES = \
	src/model/program.c src/model/program.h \
	src/model/room.c src/model/room.h \
	src/model/timer.c src/model/timer.h \
	src/model/lineup.c src/model/lineup.h \
	src/model/msgring.c src/model/msgring.h

src_libcfproto_a_SOURCES = \
	src/proto/proto.c src/proto/proto.h src/proto/proto_int.h \
	src/proto/proto_dec.c src/proto/proto_enc.c

# Link order for users of the core.
CF_CORE_LIBS = src/libcfproto.a src/libcfmodel.a src/libcfutil.a

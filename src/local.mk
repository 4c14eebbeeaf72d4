# src/: the core as small internal libraries (no curses, no lws in util/model/proto).

noinst_LIBRARIES += src/libcfutil.a src/libcfmodel.a src/libcfproto.a

src_libcfutil_a_SOURCES = \
	src/util/xalloc.c src/util/xalloc.h src/util/container.h \
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

# src/import: conference programs exported by frab, pretalx, Pentabarf (FOSDEM) and
# calendars (iCalendar), read into the program model. No lws, no curses; only confabd
# links it.
noinst_LIBRARIES += src/libcfimport.a
src_libcfimport_a_SOURCES = \
	src/import/import.c src/import/import.h src/import/import_int.h \
	src/import/import_ctx.c src/import/import_ctx.h src/import/import_finish.c \
	src/import/import_frab.c src/import/import_xml.c src/import/import_ical.c \
	src/import/import_time.c src/import/import_summary.c \
	src/import/import_text.c src/import/import_html.c src/import/import_text.h \
	src/import/import_buf.c \
	src/import/import_kinds.c src/import/import_kinds.h
src_libcfimport_a_CFLAGS = $(AM_CFLAGS) $(EXPAT_CFLAGS) $(ICAL_CFLAGS)

# Link order for users of the importer.
CF_IMPORT_LIBS = src/libcfimport.a
CF_IMPORT_LDADD = $(EXPAT_LIBS) $(ICAL_LIBS)

# hub/: confabd, the session hub. Its core (hub.c) is free of lws; hub_lws.c is the glue.

noinst_LIBRARIES += hub/libcfhub.a
hub_libcfhub_a_SOURCES = \
	hub/hub.c hub/hub.h hub/hub_int.h hub/hub_tick.c \
	hub/hub_view.c hub/hub_write.c hub/hub_program.c \
	hub/hub_req.c hub/hub_hello.c hub/hub_mod.c hub/hub_limit.c \
	hub/hub_part.c hub/hub_part.h hub/hub_part_view.c hub/hub_queue.c \
	hub/hub_names.c hub/hub_cid.c hub/hub_away.c hub/hub_pres.c \
	hub/store.c hub/store.h hub/store_int.h hub/store_sync.c \
	hub/store_mem.c hub/store_sqlite.c hub/store_pres.c hub/store_pres.h \
	hub/hub_export.c hub/hub_export.h hub/hub_metrics.c \
	hub/hub_mask.c hub/hub_mask.h \
	hub/hub_demo.c hub/hub_demo.h hub/hub_demo_bots.c hub/hub_demo_bots.h \
	hub/hub_bridge.c hub/hub_bridge.h \
	hub/hub_lws.c hub/hub_lws.h
hub_libcfhub_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(SQLITE_CFLAGS) \
	$(ICU_CFLAGS)
# What a program linking hub/libcfhub.a needs besides the core.
CF_HUB_LIBS = $(SQLITE_LIBS) $(ICU_LIBS) $(OPENSSL_LIBS)

# The Redis store (confabd --redis), a library of its own: only confabd links it (and
# hiredis), not the client's embedded demo hub.
CF_REDIS_LIBS =
if HAVE_HIREDIS
noinst_LIBRARIES += hub/libcfredis.a
hub_libcfredis_a_SOURCES = \
	hub/store_redis.c hub/store_redis.h hub/store_redis_int.h \
	hub/store_redis_feed.c hub/store_redis_conn.c hub/store_redis_trim.c \
	hub/store_redis_pres.c \
	hub/redis_lws.c hub/redis_lws.h
hub_libcfredis_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(HIREDIS_CFLAGS)
CF_REDIS_LIBS += hub/libcfredis.a $(HIREDIS_LIBS)
endif

sbin_PROGRAMS += confabd
confabd_SOURCES = hub/confabd.c
confabd_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(HIREDIS_CFLAGS)
confabd_LDADD = $(CF_REDIS_LIBS) hub/libcfhub.a src/libcfnet.a data/libcfdata.a \
	$(CF_IMPORT_LIBS) $(CF_CORE_LIBS) $(LWS_LIBS) $(ZLIB_LIBS) $(CF_IMPORT_LDADD) \
	$(JANSSON_LIBS) $(CF_HUB_LIBS) $(LTLIBINTL)

dist_man_MANS += doc/confabd.8

# hub/: confabd, the session hub. Its core (hub.c) is free of lws; hub_lws.c is the glue.

noinst_LIBRARIES += hub/libcfhub.a
hub_libcfhub_a_SOURCES = \
	hub/hub.c hub/hub.h hub/hub_int.h hub/hub_tick.c \
	hub/hub_view.c hub/hub_write.c \
	hub/hub_req.c hub/hub_hello.c hub/hub_mod.c hub/hub_limit.c \
	hub/hub_names.c hub/hub_cid.c \
	hub/store.c hub/store.h hub/store_int.h hub/store_sync.c \
	hub/store_mem.c hub/store_sqlite.c \
	hub/hub_export.c hub/hub_export.h hub/hub_metrics.c \
	hub/hub_mask.c hub/hub_mask.h \
	hub/hub_demo.c hub/hub_demo.h \
	hub/hub_lws.c hub/hub_lws.h
hub_libcfhub_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS) $(SQLITE_CFLAGS) \
	$(ICU_CFLAGS)
# What a program linking hub/libcfhub.a needs besides the core.
CF_HUB_LIBS = $(SQLITE_LIBS) $(ICU_LIBS) $(OPENSSL_LIBS)

sbin_PROGRAMS += confabd
confabd_SOURCES = hub/confabd.c
confabd_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
confabd_LDADD = hub/libcfhub.a src/libcfnet.a data/libcfdata.a $(CF_IMPORT_LIBS) \
	$(CF_CORE_LIBS) $(LWS_LIBS) $(ZLIB_LIBS) $(CF_IMPORT_LDADD) $(JANSSON_LIBS) \
	$(CF_HUB_LIBS) $(LTLIBINTL)

dist_man_MANS += doc/confabd.8

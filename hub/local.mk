# hub/: confabd, the session hub. Its core (hub.c) is free of lws; hub_lws.c is the glue.

noinst_LIBRARIES += hub/libcfhub.a
hub_libcfhub_a_SOURCES = \
	hub/hub.c hub/hub.h hub/hub_int.h \
	hub/hub_req.c hub/hub_cid.c \
	hub/hub_demo.c hub/hub_demo.h \
	hub/hub_bridge.c hub/hub_bridge.h \
	hub/hub_lws.c hub/hub_lws.h
hub_libcfhub_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)

sbin_PROGRAMS += confabd
confabd_SOURCES = hub/confabd.c
confabd_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
confabd_LDADD = hub/libcfhub.a src/libcfnet.a data/libcfdata.a $(CF_CORE_LIBS) $(LWS_LIBS) \
	$(OPENSSL_LIBS) $(ZLIB_LIBS) $(JANSSON_LIBS) $(LTLIBINTL)

dist_man_MANS += doc/confabd.8

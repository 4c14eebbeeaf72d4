# hub/: confabd, the session hub. Its core (hub.c) is free of lws; hub_lws.c is the glue.

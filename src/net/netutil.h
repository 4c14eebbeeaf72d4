/* netutil.h: two small lws helpers shared by the client's network parts: reading a TCP
 * socket's byte counters, and adopting a descriptor into the loop. */
#ifndef CONFAB_NETUTIL_H
#define CONFAB_NETUTIL_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

/* Raises *acked and *received to the TCP counters of socket fd (TCP_INFO
 * tcpi_bytes_acked, tcpi_bytes_received) when those are larger; leaves them as they are
 * when the socket cannot tell (not TCP, closed). */
void netutil_tcp_counters(int fd, uint64_t *acked, uint64_t *received);

/* Adopts fd into vhost vh for protocol (a raw socket when is_socket, else a raw file:
 * a pipe, a listening socket) with opaque as its user data. Returns the wsi, or NULL
 * (fd is not closed then). */
struct lws *netutil_adopt(struct lws_vhost *vh, int fd, bool is_socket, const char *protocol,
    void *opaque);

#endif

/* netutil.c: TCP counters and descriptor adoption, for conn.c, relay.c and ptproc.c. */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "net/netutil.h"

/* Raises the counters to those of fd. */
void
netutil_tcp_counters(int fd, uint64_t *acked, uint64_t *received)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	if (fd < 0)
		return;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof ti.tcpi_bytes_received)
		return;
	if (ti.tcpi_bytes_acked > *acked)
		*acked = ti.tcpi_bytes_acked;
	if (ti.tcpi_bytes_received > *received)
		*received = ti.tcpi_bytes_received;
}

/* Adopts fd into the loop. */
struct lws *
netutil_adopt(struct lws_vhost *vh, int fd, bool is_socket, const char *protocol,
    void *opaque)
{
	lws_adopt_desc_t ad;

	memset(&ad, 0, sizeof ad);
	ad.vh = vh;
	if (is_socket) {
		ad.type = LWS_ADOPT_SOCKET;
		ad.fd.sockfd = fd;
	} else {
		ad.type = LWS_ADOPT_RAW_FILE_DESC;
		ad.fd.filefd = fd;
	}
	ad.vh_prot_name = protocol;
	ad.opaque = opaque;
	return lws_adopt_descriptor_vhost_via_info(&ad);
}

/* net: raw egress, other socket families, abstract sockets (claw-sandbox(1) threat 8).
 * Arguments: a TCP port listening on the host's 127.0.0.1, and the name of
 * an abstract unix socket listening on the host. */
#include <arpa/inet.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "probe.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

int main(int argc, char **argv)
{
	refused(socket(AF_NETLINK, SOCK_RAW, 0), EAFNOSUPPORT, "socket(AF_NETLINK)");
	refused(socket(AF_PACKET, SOCK_RAW, 0), EAFNOSUPPORT, "socket(AF_PACKET)");
	refused(socket(AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT, "socket(AF_VSOCK)");
	refused(socket(AF_INET, SOCK_RAW, 1), 0, "raw ICMP socket");
	if (argc > 1) {
		struct sockaddr_in a = { .sin_family = AF_INET,
			                 .sin_port = htons((uint16_t)atoi(argv[1])) };
		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
		int s = socket(AF_INET, SOCK_STREAM, 0);
		refused(s < 0 ? -1 : connect(s, (struct sockaddr *)&a, sizeof(a)), 0,
		        "connect to the host's 127.0.0.1");
		struct sockaddr_in out = { .sin_family = AF_INET, .sin_port = htons(53) };
		inet_pton(AF_INET, "10.255.255.1", &out.sin_addr);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		refused(s < 0 ? -1 : connect(s, (struct sockaddr *)&out, sizeof(out)), 0,
		        "a route out (UDP 53)");
	}
	if (argc > 2) {
		struct sockaddr_un u = { .sun_family = AF_UNIX };
		strncpy(u.sun_path + 1, argv[2], sizeof(u.sun_path) - 2);
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		socklen_t len =
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(argv[2]));
		refused(s < 0 ? -1 : connect(s, (struct sockaddr *)&u, len), 0,
		        "connect to the host's abstract socket");
	}
	refused(access("/etc/resolv.conf", F_OK), ENOENT, "a resolver configuration");
	/* A network namespace of its own: the host's interfaces are not even visible. */
	char line[256];
	int others = 0;
	FILE *f = fopen("/proc/net/dev", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strchr(line, ':') && strstr(line, "lo:") == NULL)
			others++;
	if (f)
		fclose(f);
	check(f != NULL && others == 0, "no interface but loopback (%d others)", others);
	return done();
}

/* sockets: the host's daemons (claw-sandbox(1) threat 9): no Docker socket, no D-Bus, no
 * SSH agent, whatever path the arguments name. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

int main(int argc, char **argv)
{
	static const char *const known[] = {
		"/var/run/docker.sock",
		"/run/docker.sock",
		"/run/dbus/system_bus_socket",
		"/var/run/dbus/system_bus_socket",
		"/run/user",
		"/run/systemd/private",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		refused(stat(known[i], &st), ENOENT, known[i]);
	for (int i = 1; i < argc; i++)
		refused(stat(argv[i], &st), ENOENT, argv[i]);
	check(getenv("SSH_AUTH_SOCK") == NULL, "SSH_AUTH_SOCK not set");
	check(getenv("DBUS_SESSION_BUS_ADDRESS") == NULL, "DBUS_SESSION_BUS_ADDRESS not set");
	return done();
}

/* fds: descriptors leaked from the launcher (claw-sandbox(1) threat 12, runc CVE-2024-21626):
 * nothing open above 2, and the cwd is inside the sandbox. */
#include <fcntl.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
	char cwd[512];
	int open_fds = 0;

	for (int fd = 3; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0) {
			check(0, "descriptor %d is open", fd);
			open_fds++;
		}
	check(open_fds == 0, "no descriptor above 2");
	check(getcwd(cwd, sizeof(cwd)) != NULL && cwd[0] == '/', "cwd %s", cwd);
	refused(open("/proc/self/cwd/../../../etc/shadow", O_RDONLY), ENOENT, "escape through cwd");
	return done();
}

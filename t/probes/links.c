/* links: symlink, hardlink and rename games (claw-sandbox(1) threat 11). Arguments: a host
 * file the sandbox must not reach; a symlink in the workspace pointing there. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

int main(int argc, char **argv)
{
	if (argc > 1)
		refused(open(argv[1], O_RDONLY), ENOENT, "the host file by its path");
	if (argc > 2)
		refused(open(argv[2], O_RDONLY), ENOENT, "the host file through a symlink");
	refused(open("/etc/shadow", O_RDONLY), ENOENT, "/etc/shadow");
	refused(link("/etc/passwd", "/workspace/hard"), 0, "hardlink from /etc into the workspace");
	refused(link("/usr/bin/env", "/workspace/hard-env"), 0, "hardlink from /usr");
	refused(rename("/workspace", "/tmp/ws"), 0, "rename the workspace away");
	refused(symlinkat("/", AT_FDCWD, "/usr/escape"), 0, "symlink in a read-only dir");
	return done();
}

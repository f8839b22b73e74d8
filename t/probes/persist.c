/* persist: persistence paths in a writable workspace (claw-sandbox(1) threat 10): git
 * hooks and config, shell rc files stay read-only; other files are writable.
 * Argument: the workspace directory inside. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

static void must_not_write(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	refused(open(path, O_WRONLY | O_CREAT | O_APPEND, 0755), 0, path);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/workspace";
	char path[512];

	must_not_write(dir, ".git/hooks/post-checkout");
	must_not_write(dir, ".git/config");
	must_not_write(dir, ".bashrc");
	snprintf(path, sizeof(path), "%s/.git/hooks", dir);
	refused(rmdir(path), 0, "rmdir .git/hooks");
	snprintf(path, sizeof(path), "%s/.git", dir);
	char moved[512];
	snprintf(moved, sizeof(moved), "%s/git-moved", dir);
	refused(rename(path, moved), 0, "rename .git away");
	snprintf(path, sizeof(path), "%s/probe-note.txt", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, "an ordinary file in the workspace is writable");
	return done();
}

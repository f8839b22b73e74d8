/* hostview.c: the host runs' view of claw (see hostview.h for each step's threat). */
#include "sandbox/hostview.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/clawstate.h"
#include "core/config.h"
#include "core/execpath.h"
#include "core/fsutil.h"
#include "core/strvec.h"
#include "core/util.h"
#include "native/kernel.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule       445
#define __NR_landlock_restrict_self  446
#endif

#define MAX_WORKSPACES CLAW_WORKSPACES

/* ---- the plan (the parent's side) ---- */

static void add(struct strvec *list, const char *s)
{
	if (!strvec_has(list, s))
		strvec_push(list, s);
}

/* Directories above REAL whose parent this user may write: renaming them must fail (3). */
static void add_pins(struct hostview *v, const char *real)
{
	char dir[PATH_MAX], parent[PATH_MAX];

	for (const char *p = strchr(real + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - real), real);
		const char *up = strrchr(dir, '/');
		snprintf(parent, sizeof(parent), "%.*s", up == dir ? 1 : (int)(up - dir), dir);
		if (access(parent, W_OK) == 0)
			add(&v->pins, dir);
	}
}

static int plan_file(struct hostview *v, const struct claw_state *cs, const struct claw_file *f)
{
	if (claw_state_holds(cs, f->real))
		return 0; /* under the state dir's cover */
	if (!f->exists)
		return claw_fail("cannot hide %s %s from host runs: it does not exist, and a "
		                 "command could create it (create it, or unset the variable "
		                 "that names it)",
		                 f->what, f->path);
	add(&v->files, f->real);
	add_pins(v, f->real);
	return 0;
}

int hostview_plan(struct hostview *v, const struct config *cfg)
{
	struct claw_state cs;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->uid = geteuid();
	v->gid = getegid();
	v->userns = v->uid != 0;
	claw_state_load(&cs, cfg);
	/* A state dir made now is covered too: a command must not make one claw would read. */
	if (cs.state_real[0] == '\0' &&
	    (mkdir_p(cs.state, 0700) < 0 || realpath(cs.state, cs.state_real) == NULL)) {
		return claw_fail("cannot hide claw's state from host runs: %s", claw_error());
	}
	v->state = xstrdup(cs.state_real);
	add_pins(v, v->state);
	for (size_t i = 0; i < cs.nworkspaces && i < MAX_WORKSPACES; i++)
		add(&v->workspaces, cs.workspaces[i]);
	for (size_t i = 0; i < cs.nfiles && rc == 0; i++)
		rc = plan_file(v, &cs, &cs.files[i]);
	return rc;
}

void hostview_free(struct hostview *v)
{
	free(v->state);
	strvec_clear(&v->workspaces);
	strvec_clear(&v->files);
	strvec_clear(&v->pins);
	memset(v, 0, sizeof(*v));
}

/* ---- entering it (the child's side: no allocation) ---- */

__attribute__((format(printf, 3, 4))) static int fail(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	int n = snprintf(msg, size, "cannot hide claw's state from the command (");
	if (n < 0 || (size_t)n >= size)
		return -1;
	va_start(ap, fmt);
	int m = vsnprintf(msg + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	size_t used = (size_t)n + (size_t)(m > 0 ? m : 0);
	if (m >= 0 && used < size)
		snprintf(msg + used, size - used, ": %s), so it does not run", strerror(e));
	return -1;
}

static int write_proc(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* 1, 2: a mount namespace of its own, mounts flowing only in. */
static int own_namespace(const struct hostview *v, char *msg, size_t size)
{
	char map[64];

	if (v->userns) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			return fail(msg, size, "a user and mount namespace of its own");
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)v->uid, (unsigned)v->uid);
		if (write_proc("/proc/self/uid_map", map) < 0)
			return fail(msg, size, "/proc/self/uid_map");
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)v->gid, (unsigned)v->gid);
		if (write_proc("/proc/self/setgroups", "deny") < 0 ||
		    write_proc("/proc/self/gid_map", map) < 0)
			return fail(msg, size, "/proc/self/gid_map");
		/* A mount namespace made in a new user namespace gets the host's
		 * shared mounts as slaves already: mounts flow only in. */
		return 0;
	}
	if (unshare(CLONE_NEWNS) < 0)
		return fail(msg, size, "a mount namespace of its own");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail(msg, size, "making / a slave mount");
	return 0;
}

/* mkdir -p of REL under DIR (in the tmpfs), for a workspace to be bound back. */
static int make_dirs(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path))
		return errno = ENAMETOOLONG, -1;
	for (char *p = path + strlen(dir) + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		if ((*p = c) == '\0')
			return 0;
	}
}

/* 5: the workspaces, opened before the cover and bound back under it. */
static int bind_workspaces(const struct hostview *v, const int *fds, char *msg, size_t size)
{
	char from[64], to[PATH_MAX];
	size_t len = strlen(v->state);

	for (size_t i = 0; i < v->workspaces.n; i++) {
		if (fds[i] < 0)
			continue; /* not there: nothing to show */
		snprintf(from, sizeof(from), "/proc/self/fd/%d", fds[i]);
		snprintf(to, sizeof(to), "%s", v->workspaces.v[i]);
		if (make_dirs(v->state, v->workspaces.v[i] + len + 1) < 0 ||
		    mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0)
			return fail(msg, size, "showing the workspace %s", v->workspaces.v[i]);
	}
	return 0;
}

/* 6: each file outside the state dir under an empty read-only file (made in the tmpfs). */
static int cover_files(const struct hostview *v, char *msg, size_t size)
{
	char empty[PATH_MAX];
	const unsigned long ro =
	    MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (v->files.n == 0)
		return 0;
	snprintf(empty, sizeof(empty), "%s/.claw-empty", v->state);
	int fd = open(empty, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	if (fd < 0)
		return fail(msg, size, "%s", empty);
	close(fd);
	for (size_t i = 0; i < v->files.n; i++)
		if (mount(empty, v->files.v[i], NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, v->files.v[i], NULL, ro, NULL) < 0)
			return fail(msg, size, "covering %s", v->files.v[i]);
	unlink(empty);
	return 0;
}

/* 3 to 6. */
static int cover(const struct hostview *v, char *msg, size_t size)
{
	int fds[MAX_WORKSPACES], rc = 0;
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	for (size_t i = 0; i < v->pins.n; i++)
		if (mount(v->pins.v[i], v->pins.v[i], NULL, MS_BIND | MS_REC, NULL) < 0)
			return fail(msg, size, "pinning %s", v->pins.v[i]);
	for (size_t i = 0; i < v->workspaces.n; i++)
		fds[i] = open(v->workspaces.v[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (mount("claw", v->state, "tmpfs", flags, "mode=0700,size=64k,nr_inodes=256") < 0)
		rc = fail(msg, size, "covering %s", v->state);
	if (rc == 0)
		rc = bind_workspaces(v, fds, msg, size);
	if (rc == 0)
		rc = cover_files(v, msg, size);
	/* Read-only as a mount (MS_BIND): the superblock cannot be, while the empty file's
	 * binds hold it unlinked. */
	if (rc == 0 &&
	    (chmod(v->state, 0555) < 0 ||
	     mount(NULL, v->state, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL) < 0))
		rc = fail(msg, size, "making the cover of %s read-only", v->state);
	for (size_t i = 0; i < v->workspaces.n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* 7: a Landlock domain that allows every file access: only the process boundary changes. */
static int fence(char *msg, size_t size)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
	struct landlock_path_beneath_attr all = { .allowed_access = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
	int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);

	if (ruleset < 0)
		return fail(msg, size, "Landlock (it keeps the command out of other processes)");
	all.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (all.parent_fd < 0 ||
	    syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &all, 0) < 0 ||
	    syscall(__NR_landlock_restrict_self, ruleset, 0) < 0) {
		int rc = fail(msg, size, "Landlock");
		close(ruleset);
		return rc;
	}
	close(all.parent_fd);
	close(ruleset);
	return 0;
}

int hostview_enter(const struct hostview *v, char *msg, size_t size)
{
	if (own_namespace(v, msg, size) < 0 || cover(v, msg, size) < 0 || fence(msg, size) < 0)
		return -1;
	return 0;
}

bool hostview_hides(const struct hostview *v, const char *path)
{
	if (v == NULL || v->state == NULL || !path_within(path, v->state))
		return false;
	for (size_t i = 0; i < v->workspaces.n; i++)
		if (path_within(path, v->workspaces.v[i]))
			return false;
	return true;
}

bool hostview_probe(char *why, size_t size)
{
	struct kernel_features k;

	kernel_probe(&k);
	if (geteuid() != 0 && !k.userns) {
		snprintf(why, size, "host runs need a user namespace to hide claw's state: %s",
		         k.userns_why);
		return false;
	}
	if (k.landlock_abi == 0) {
		snprintf(why, size,
		         "host runs need Landlock to keep commands out of other processes' view "
		         "of claw's state: %s",
		         k.landlock_why);
		return false;
	}
	why[0] = '\0';
	return true;
}

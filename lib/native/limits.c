/*
 * limits.c: the native sandbox's resource limits, and what enforces each.
 *
 * A limit is only as good as what enforces it. Memory, pids and CPU go in
 * cgroups wherever the launcher can make them:
 *  - a v1 hierarchy of the controller, under the launcher's own cgroup there:
 *    as root, or where that cgroup was given to the user (chowned to them);
 *  - the unified (v2) hierarchy, under the launcher's own cgroup when the
 *    controller is delegated to it: the root (as root), or a subtree the user
 *    owns (a systemd scope or service with Delegate=yes). Only leaves hold
 *    processes there, so a launcher alone in its cgroup first moves to a leaf
 *    of its own and enables the controllers for its siblings; a run is born
 *    in its cgroup (clone3's CLONE_INTO_CGROUP), since moving a process
 *    needs write access to the common ancestor of where it is and where it
 *    goes.
 *  - On a systemd host where neither serves, claw-sandbox places itself in
 *    a delegated scope of the user's (or, as root, the system's) manager
 *    once, as it starts (limits_place_self), and then uses it as above.
 * Where none serves, a memory or CPU limit refuses the run, unless
 * native.rlimitsOnly accepts rlimits: RLIMIT_NPROC counts a run's processes
 * (per user namespace: per run), RLIMIT_DATA each process's private memory
 * (not the run's, not shared memory or tmpfs), and nothing limits CPU.
 */
#include "native/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdnoreturn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mount.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* The limits a run may have, in the order of native_limits.via. */
static const struct {
	const char *controller;
	const char *key; /* the config key that sets it, for messages */
} controllers[LIMITS_N] = {
	[LIMIT_PIDS] = { "pids", "docker.pidsLimit" },
	[LIMIT_MEMORY] = { "memory", "docker.memory" },
	[LIMIT_CPU] = { "cpu", "docker.cpus" },
};

/* The file-size limit every run gets unless docker.ulimits.fsize says otherwise. */
#define DEFAULT_FSIZE (1LL << 30)

/* The leaf a launcher moves to in a delegated v2 cgroup, so its siblings may have limits. */
#define LAUNCHER_LEAF "claw.launcher"

/* Set in claw-sandbox's environment once it has asked systemd for a scope of its own,
 * and the descriptor it tells the claw-sandbox waiting for it that it runs on. */
#define PLACED_ENV    "CLAW_SANDBOX_SCOPE"
#define PLACED_FD_ENV "CLAW_SANDBOX_SCOPE_FD"

/* ---- the launcher's own cgroups, read once ---- */

static struct {
	bool read;
	char cgroup[4096];      /* /proc/self/cgroup as the launcher started */
	char v2mount[PATH_MAX]; /* where the unified hierarchy is mounted ("": nowhere) */
	char *v2base;           /* once moved to a leaf: the cgroup its runs go under */
	bool systemd;           /* v2base is a scope systemd made for us */
} self;

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n < 0 ? -1 : 0;
}

static void read_self(void)
{
	if (self.read)
		return;
	self.read = true;
	read_file("/proc/self/cgroup", self.cgroup, sizeof(self.cgroup));
	self.systemd = getenv(PLACED_ENV) != NULL;
}

/*
 * Where the unified hierarchy is mounted ("": nowhere), read once and only
 * when a limit goes to v2: the kernel formats every mount of the host for
 * /proc/self/mountinfo, a cost each run would otherwise pay.
 */
static const char *v2_mount(void)
{
	static bool looked;
	char line[4096];
	FILE *f;

	if (looked)
		return self.v2mount;
	looked = true;
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return self.v2mount;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - cgroup2 SOURCE SUPER" */
	while (self.v2mount[0] == '\0' && fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], point[PATH_MAX];
		if (strstr(line, " - cgroup2 ") != NULL &&
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) == 2 &&
		    strcmp(root, "/") == 0)
			snprintf(self.v2mount, sizeof(self.v2mount), "%s", point);
	}
	fclose(f);
	return self.v2mount;
}

/* The path of the launcher's cgroup for CONTROLLER's v1 hierarchy ("" for v2), or NULL. */
static char *self_path(const char *controller)
{
	char *path = NULL;

	read_self();
	/* Lines read "ID:controller[,controller...]:path"; v2's is "0::path". */
	for (const char *line = self.cgroup; *line && path == NULL;) {
		size_t n = strcspn(line, "\n");
		char buf[1024];
		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		line += n + (line[n] == '\n');
		char *list = strchr(buf, ':'), *where = list ? strchr(list + 1, ':') : NULL;
		if (where == NULL)
			continue;
		*where++ = '\0';
		if (controller[0] == '\0' && list[1] == '\0')
			path = xstrdup(where);
		for (char *save = NULL, *t = strtok_r(list + 1, ",", &save); t && !path;
		     t = strtok_r(NULL, ",", &save))
			if (strcmp(t, controller) == 0)
				path = xstrdup(where);
	}
	return path;
}

/* The launcher's cgroup in CONTROLLER's v1 hierarchy as mounted, or NULL. */
static char *v1_dir(const char *controller)
{
	char *path = self_path(controller), *dir;

	if (path == NULL)
		return NULL;
	dir = xasprintf("/sys/fs/cgroup/%s%s", controller, strcmp(path, "/") == 0 ? "" : path);
	free(path);
	return dir;
}

/* The cgroup runs go under in the unified hierarchy: the launcher's, or NULL. */
static char *v2_dir(void)
{
	read_self();
	if (self.v2base)
		return xstrdup(self.v2base);
	char *path = self_path("");
	const char *mount = v2_mount();
	char *dir = path && path[0] == '/' && mount[0]
	                ? xasprintf("%s%s", mount, strcmp(path, "/") == 0 ? "" : path)
	                : NULL;
	free(path);
	return dir;
}

static int write_text(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)len ? 0 : -1;
}

/* Whether DIR/FILE holds WORD among its space-separated words (cgroup.controllers). */
static bool read_words(const char *dir, const char *file, const char *word)
{
	char path[PATH_MAX], text[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_file(path, text, sizeof(text)) < 0)
		return false;
	for (char *save = NULL, *w = strtok_r(text, " \n", &save); w;
	     w = strtok_r(NULL, " \n", &save))
		if (strcmp(w, word) == 0)
			return true;
	return false;
}

static bool may_write(const char *dir, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s%s", dir, file ? "/" : "", file ? file : "");
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* Whether the launcher is the only process in the v2 cgroup DIR. */
static bool alone_in(const char *dir)
{
	char path[PATH_MAX], text[4096], me[24];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(me, sizeof(me), "%d\n", (int)getpid());
	return read_file(path, text, sizeof(text)) == 0 && strcmp(text, me) == 0;
}

static bool is_v2_root(const char *dir)
{
	return strcmp(dir, v2_mount()) == 0;
}

/*
 * Whether runs under the v2 cgroup DIR can have CONTROLLER: it is delegated
 * there (cgroup.controllers) and enabled for DIR's children, or can be: at
 * the root by root, elsewhere by a launcher alone in a cgroup it may write,
 * which moves to a leaf first. With ACT it is done. Else WHY says why not.
 */
static bool v2_usable(const char *dir, const char *controller, bool act, char *why, size_t n)
{
	char ctl[32];

	if (!read_words(dir, "cgroup.controllers", controller)) {
		snprintf(
		    why, n,
		    "the %s controller is not delegated to the cgroup %s (it is bound to cgroup "
		    "v1, or the manager does not delegate it)",
		    controller, dir);
		return false;
	}
	if (!may_write(dir, NULL) || !may_write(dir, "cgroup.subtree_control")) {
		snprintf(why, n, "the cgroup %s is not writable by uid %u (not delegated to it)",
		         dir, (unsigned)geteuid());
		return false;
	}
	if (read_words(dir, "cgroup.subtree_control", controller))
		return true;
	snprintf(ctl, sizeof(ctl), "+%s", controller);
	if (is_v2_root(dir) || self.v2base)
		return !act || write_text(dir, "cgroup.subtree_control", ctl) == 0 ||
		       (snprintf(why, n, "%s/cgroup.subtree_control: %s", dir, strerror(errno)),
		        false);
	if (!may_write(dir, "cgroup.procs") || !alone_in(dir)) {
		snprintf(
		    why, n,
		    "other processes share the cgroup %s, where only a leaf may hold processes; "
		    "run claw-sandbox in a cgroup of its own (systemd-run --user --scope -p "
		    "Delegate=yes ...)",
		    dir);
		return false;
	}
	if (!act)
		return true;
	/* Alone: to a leaf of our own, so that the cgroup may enable controllers for runs. */
	char *leaf = xasprintf("%s/" LAUNCHER_LEAF, dir);
	bool ok = (mkdir(leaf, 0755) == 0 || errno == EEXIST) &&
	          write_text(leaf, "cgroup.procs", "0") == 0 &&
	          write_text(dir, "cgroup.subtree_control", ctl) == 0;
	if (ok)
		self.v2base = xstrdup(dir);
	else
		snprintf(why, n, "cannot move to %s and enable %s: %s", leaf, controller,
		         strerror(errno));
	free(leaf);
	return ok;
}

/*
 * Where runs' CONTROLLER limits go: *DIR the cgroup under which each run's
 * is made and *VIA its hierarchy, or NULL with WHY. With ACT, v2 is readied.
 */
static char *site(const char *controller, bool act, enum native_via *via, char *why, size_t n)
{
	struct stat st;
	char *dir = v1_dir(controller);

	if (dir && stat(dir, &st) == 0) {
		*via = VIA_CGROUP_V1;
		if (may_write(dir, NULL))
			return dir;
		snprintf(why, n,
		         "the cgroup %s is not writable by uid %u (not root, and not given to it)",
		         dir, (unsigned)geteuid());
		free(dir);
		return NULL;
	}
	free(dir);
	*via = VIA_CGROUP_V2;
	if ((dir = v2_dir()) == NULL || stat(dir, &st) < 0) {
		snprintf(why, n, "no cgroup hierarchy of the %s controller is mounted", controller);
		free(dir);
		return NULL;
	}
	if (v2_usable(dir, controller, act, why, n))
		return dir;
	free(dir);
	return NULL;
}

static const char *manager_socket(char *buf, size_t n);

/* ---- the sandbox's host ids ---- */

/*
 * File systems that take idmapped mounts (FS_ALLOW_IDMAP), by statfs magic:
 * a tree elsewhere (NFS, FUSE, 9p) cannot be shown to a distinct id as its
 * owner's, so such a run keeps the operator's ids.
 */
static const struct {
	unsigned long magic;
	const char *name;
	int since; /* the first kernel (major * 100 + minor) that idmaps it */
} idmap_fs[] = {
	{ 0xEF53, "ext2/3/4", 512 },  { 0x58465342, "xfs", 512 },
	{ 0x4d44, "vfat", 512 },      { 0x9123683E, "btrfs", 515 },
	{ 0xF2F52010, "f2fs", 518 },  { 0x794c7630, "overlayfs", 519 },
	{ 0x01021994, "tmpfs", 603 }, { 0xE0F5E1E2, "erofs", 609 },
};

/* The first kernel claw idmaps a sandbox's trees on (major * 100 + minor). */
#define IDMAP_SINCE 615

/* The running kernel as major * 100 + minor. */
static int kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) != 2)
		major = minor = 0;
	return major * 100 + minor;
}

/* Where claw picks a scope's ids as root when /etc/subuid grants the operator none: the
 * last 64K block of the range systemd documents for containers (UIDS-GIDS.md). */
#define IDS_BLOCK_START 0x6FFF0000U
#define IDS_BLOCK_SIZE  0x10000U

/* FILE's (/etc/subuid) range for NAME or ID as *START, *COUNT: true when it grants one. */
static bool subordinate(const char *file, const char *name, unsigned id, unsigned long *start,
                        unsigned long *count)
{
	char line[256], ids[16];
	FILE *f = fopen(file, "re");
	bool found = false;

	snprintf(ids, sizeof(ids), "%u", id);
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c1 = '\0';
		if (strcmp(line, ids) != 0 && (name == NULL || strcmp(line, name) != 0))
			continue;
		*start = strtoul(c1 + 1, NULL, 10);
		*count = strtoul(c2 + 1, NULL, 10);
		found = *count > 0 && *start > 0;
	}
	if (f)
		fclose(f);
	return found;
}

/* A tree of S on a file system that cannot be idmapped, named into WHY. */
static bool all_idmappable(const struct native_spec *s, char *why, size_t n)
{
	const char *paths[2 + 64];
	size_t np = 0;

	paths[np++] = s->workspace;
	if (s->agent_dir)
		paths[np++] = s->agent_dir;
	for (size_t i = 0; i < s->nbinds && np < NELEM(paths); i++)
		paths[np++] = s->binds[i].src;
	for (size_t i = 0; i < np; i++) {
		struct statfs fs;
		size_t k = 0;
		if (paths[i] == NULL || statfs(paths[i], &fs) < 0)
			continue; /* opening it fails later, with its own message */
		while (k < NELEM(idmap_fs) && idmap_fs[k].magic != (unsigned long)fs.f_type)
			k++;
		if (k == NELEM(idmap_fs) || kernel_version() < idmap_fs[k].since) {
			snprintf(
			    why, n,
			    "%s is on a file system (magic 0x%lx) this kernel cannot idmap, so "
			    "the run keeps the operator's ids",
			    paths[i], (unsigned long)fs.f_type);
			return false;
		}
	}
	return true;
}

/*
 * Per-uid kernel limits (inotify instances, RLIMIT_NPROC, keyrings, ...)
 * count by the host's uid: as root, a scope's sandbox runs as an id of its
 * own, picked from the operator's subordinate ids (/etc/subuid, /etc/subgid)
 * or else from claw's block, by the scope's name; its trees are idmapped so
 * that what it writes is still the operator's on disk.
 */
static void pick_ids(const struct native_spec *s, struct native_limits *l)
{
	unsigned long ustart = IDS_BLOCK_START, ucount = IDS_BLOCK_SIZE;
	unsigned long gstart = IDS_BLOCK_START, gcount = IDS_BLOCK_SIZE;
	const char *from = "claw's block (no subordinate ids in /etc/subuid and /etc/subgid)";

	l->host_uid = s->uid, l->host_gid = s->gid;
	if (geteuid() != 0) {
		snprintf(l->ids_why, sizeof(l->ids_why),
		         "the operator's: claw-sandbox is not root, and only root can show the "
		         "workspace to another id as its owner's (idmapped mounts)");
		return;
	}
	/* Debian 12's 6.1 refuses to idmap the detached trees (EINVAL; t/vm): only where it
	 * was seen to work. */
	if (kernel_version() < IDMAP_SINCE) {
		snprintf(l->ids_why, sizeof(l->ids_why),
		         "the operator's: claw idmaps the sandbox's trees from Linux 6.15 on");
		return;
	}
	if (!all_idmappable(s, l->ids_why, sizeof(l->ids_why)))
		return;
	struct passwd *pw = getpwuid(s->uid);
	const char *name = pw ? pw->pw_name : NULL;
	if (subordinate("/etc/subuid", name, (unsigned)s->uid, &ustart, &ucount) &&
	    subordinate("/etc/subgid", name, (unsigned)s->uid, &gstart, &gcount))
		from = "the operator's subordinate ids";
	else
		ustart = gstart = IDS_BLOCK_START, ucount = gcount = IDS_BLOCK_SIZE;
	unsigned long h = 5381;
	for (const char *p = s->cgroup_name ? s->cgroup_name : "run"; *p; p++)
		h = h * 33 + (unsigned char)*p;
	l->host_uid = (uid_t)(ustart + h % ucount);
	l->host_gid = (gid_t)(gstart + h % gcount);
	l->distinct = true;
	snprintf(l->ids_why, sizeof(l->ids_why), "per scope, from %s", from);
}

int limits_idmap(int tree, int userns)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP,
		                   .userns_fd = (__u64)(unsigned)userns };

	return syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
	               sizeof(attr)) < 0
	           ? claw_fail("idmap the sandbox's trees: %s", strerror(errno))
	           : 0;
}

/* ---- what enforces each limit ---- */

/* The largest file a process of the run may write: docker.ulimits.fsize, or 1 GiB. */
static long long fsize_limit(const struct native_spec *s)
{
	long long fsize = DEFAULT_FSIZE;

	for (size_t i = 0; i < s->nulimits; i++)
		if (s->ulimits[i].resource == RLIMIT_FSIZE && s->ulimits[i].soft != RLIM_INFINITY)
			fsize = (long long)s->ulimits[i].soft;
	return fsize;
}

long long limits_scratch_budget(const struct native_spec *s)
{
	long long budget = fsize_limit(s);

	return s->memory_max > 0 && s->memory_max < budget ? s->memory_max : budget;
}

static bool configured(const struct native_spec *s, int i)
{
	return i == LIMIT_PIDS     ? s->pids_max > 0
	       : i == LIMIT_MEMORY ? s->memory_max > 0
	                           : s->cpus > 0;
}

/* What stands in for a cgroup: RLIMIT_NPROC for pids, RLIMIT_DATA for memory, nothing for CPU. */
static enum native_via stand_in(int i)
{
	return i == LIMIT_PIDS     ? VIA_RLIMIT_RUN
	       : i == LIMIT_MEMORY ? VIA_RLIMIT_PROCESS
	                           : VIA_NOTHING;
}

/* The first limit of L that no cgroup enforces, and would only per process or not at all. */
static int weak_limit(const struct native_limits *l)
{
	for (int i = 0; i < LIMITS_N; i++)
		if (l->via[i] == VIA_RLIMIT_PROCESS || l->via[i] == VIA_NOTHING)
			return i;
	return -1;
}

/* What enforces S's limits; with PREDICT, what a run started by exec or the filter
 * will have, which may place itself in a scope of systemd's first. */
static void probe(const struct native_spec *s, struct native_limits *l, bool predict)
{
	memset(l, 0, sizeof(*l));
	l->scratch = limits_scratch_budget(s);
	l->rlimits_only = s->rlimits_only;
	read_self();
	for (int i = 0; i < LIMITS_N; i++) {
		char why[sizeof(l->why)];
		enum native_via via = VIA_UNSET;
		if (!configured(s, i))
			continue;
		char *dir = site(controllers[i].controller, false, &via, why, sizeof(why));
		if (dir) {
			l->via[i] = via;
			l->delegated |= geteuid() != 0;
			free(dir);
			continue;
		}
		l->via[i] = stand_in(i);
		/* The reason given is the weakest stand-in's: what a refusal names. */
		if (l->why[0] == '\0' || (i != LIMIT_PIDS && weak_limit(l) == i))
			snprintf(l->why, sizeof(l->why), "%s", why);
	}
	l->systemd = self.systemd;
	char sock[PATH_MAX];
	if (predict && weak_limit(l) >= 0 && !self.systemd && manager_socket(sock, sizeof(sock))) {
		/* What a run will have: exec and the filter place themselves in a scope first. */
		l->at_start = l->systemd = true;
		for (int i = 0; i < LIMITS_N; i++)
			if (configured(s, i))
				l->via[i] = VIA_CGROUP_V2;
		snprintf(l->why, sizeof(l->why),
		         "claw-sandbox exec and the filter ask systemd (%.120s) for a delegated "
		         "scope as "
		         "they start",
		         sock);
	}
	pick_ids(s, l);
	if (!s->pids_max)
		l->via[LIMIT_PIDS] = VIA_RLIMIT_RUN; /* the default RLIMIT_NPROC */
}

void limits_probe(const struct native_spec *s, struct native_limits *l)
{
	probe(s, l, true);
}

const char *limits_assurance(const struct native_limits *l)
{
	bool v1 = false, v2 = false, rl = false;

	for (int i = 0; i < LIMITS_N; i++) {
		v1 |= l->via[i] == VIA_CGROUP_V1;
		v2 |= l->via[i] == VIA_CGROUP_V2;
		rl |= l->via[i] == VIA_RLIMIT_PROCESS || l->via[i] == VIA_NOTHING;
	}
	if (rl)
		return "rlimits-only";
	if (v2)
		return l->systemd     ? "systemd-scope"
		       : l->delegated ? "cgroup-v2-delegated"
		                      : "cgroup-v2";
	if (v1)
		return l->delegated ? "cgroup-v1-delegated" : "cgroup-v1";
	return "rlimits";
}

static const char *const via_names[] = {
	[VIA_UNSET] = NULL,
	[VIA_CGROUP_V1] = "cgroup-v1",
	[VIA_CGROUP_V2] = "cgroup-v2",
	[VIA_RLIMIT_RUN] = "rlimit-per-run",
	[VIA_RLIMIT_PROCESS] = "rlimit-per-process",
	[VIA_NOTHING] = "none",
};

const char *limits_via_name(enum native_via via)
{
	return via_names[via];
}

static const char *const limit_names[LIMITS_N] = { "pids", "memory", "CPU" };

void limits_explain(struct buf *b, const struct native_spec *s, const struct native_limits *l)
{
	char why[600];
	const char *refused = limits_refusal(s, l, why, sizeof(why));

	buf_printf(b, "\nlimits:\n  assurance         %s%s\n",
	           refused ? "none: runs are refused" : limits_assurance(l),
	           !l->systemd   ? ""
	           : l->at_start ? " (exec and the filter ask systemd for a scope as they start)"
	                         : " (claw-sandbox placed itself in a systemd scope)");
	if (refused)
		buf_printf(b, "  why               %s\n", refused);
	for (int i = 0; i < LIMITS_N; i++) {
		buf_printf(b, "  %-17s ", limit_names[i]);
		if (i == LIMIT_PIDS)
			buf_printf(b, "%ld", s->pids_max > 0 ? s->pids_max : 512L);
		else if (i == LIMIT_MEMORY && s->memory_max > 0)
			buf_printf(b, "%lld bytes", s->memory_max);
		else if (i == LIMIT_CPU && s->cpus > 0)
			buf_printf(b, "%g CPUs", s->cpus);
		else
			buf_puts(b, "not set");
		if (l->via[i] != VIA_UNSET)
			buf_printf(b, " by %s", via_names[l->via[i]]);
		buf_putc(b, '\n');
	}
	buf_printf(b, "  scratch           %lld bytes shared by every tmpfs entry and /dev/shm\n",
	           l->scratch);
	struct statvfs fs;
	if (s->workspace && (s->workspace_rw || s->nbinds) && statvfs(s->workspace, &fs) == 0)
		buf_printf(b,
		           "  workspace         %lld bytes a file; in all, what its file system "
		           "has free (%llu bytes now)\n",
		           fsize_limit(s), (unsigned long long)fs.f_bavail * fs.f_frsize);
	if (!refused && l->why[0])
		buf_printf(b, "  no cgroup         %s\n", l->why);
	buf_printf(b, "  host ids          uid %u, gid %u: %s\n", (unsigned)l->host_uid,
	           (unsigned)l->host_gid, l->ids_why);
}

void limits_json(struct buf *b, const struct native_limits *l)
{
	buf_puts(b, "{\"assurance\":");
	buf_json_str(b, limits_assurance(l));
	for (int i = 0; i < LIMITS_N; i++) {
		buf_printf(b, ",\"%s\":", controllers[i].controller);
		if (via_names[l->via[i]])
			buf_json_str(b, via_names[l->via[i]]);
		else
			buf_puts(b, "null");
	}
	buf_printf(b, ",\"scratchBytes\":%lld,\"hostUid\":%u,\"hostGid\":%u,\"distinctIds\":%s}",
	           l->scratch, (unsigned)l->host_uid, (unsigned)l->host_gid,
	           l->distinct ? "true" : "false");
}

/* ---- the run's cgroups ---- */

struct cgroup_plan {
	int limit;
	const char *v1_file, *v2_file; /* the limit's file in each version's hierarchy */
	char value[32], v2_value[32];
};

static unsigned cgroup_serial;

void limits_cgroups_remove(struct native_child *c)
{
	if (c->cgroup_fd >= 0)
		close(c->cgroup_fd);
	c->cgroup_fd = -1;
	for (size_t i = 0; i < c->ncgroups; i++) {
		if (!c->cgroups_kept)
			rmdir(c->cgroups[i]);
		free(c->cgroups[i]);
	}
	c->ncgroups = 0;
}

int native_cgroups_remove(const char *name)
{
	int rc = 0;
	enum native_via via;
	char why[256];

	for (int i = 0; i < LIMITS_N; i++) {
		char *base = site(controllers[i].controller, false, &via, why, sizeof(why));
		if (base == NULL)
			continue;
		char *dir = xasprintf("%s/claw.%s", base, name);
		if (rmdir(dir) < 0 && errno != ENOENT)
			rc = claw_fail("rmdir %s: %s", dir, strerror(errno));
		free(dir);
		free(base);
	}
	return rc;
}

/* The cgroup this run's limit I goes in, made if need be (v2: one for all), or NULL (WHY). */
static const char *cgroup_dir(const struct native_spec *s, struct native_child *c, int i,
                              enum native_via *via, char *why, size_t n)
{
	char *base = site(controllers[i].controller, true, via, why, n);

	if (base == NULL)
		return NULL;
	char *dir = s->cgroup_name ? xasprintf("%s/claw.%s", base, s->cgroup_name)
	                           : xasprintf("%s/claw.%d.%u", base, (int)getpid(), cgroup_serial);
	free(base);
	for (size_t k = 0; k < c->ncgroups; k++)
		if (strcmp(c->cgroups[k], dir) == 0) {
			free(dir);
			return c->cgroups[k]; /* v2: the same directory for every controller */
		}
	if (c->ncgroups == NELEM(c->cgroups) ||
	    (mkdir(dir, 0700) < 0 && (errno != EEXIST || s->cgroup_name == NULL))) {
		snprintf(why, n, "mkdir %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	c->cgroups[c->ncgroups++] = dir;
	return dir;
}

static size_t plan_limits(const struct native_spec *s, struct cgroup_plan plan[4])
{
	size_t n = 0;

	if (s->pids_max > 0) {
		plan[n] = (struct cgroup_plan){ LIMIT_PIDS, "pids.max", "pids.max", "", "" };
		snprintf(plan[n].value, 32, "%ld", s->pids_max);
		snprintf(plan[n++].v2_value, 32, "%ld", s->pids_max);
	}
	if (s->memory_max > 0) {
		long long swap = s->memswap_max > s->memory_max ? s->memswap_max : s->memory_max;
		plan[n] = (struct cgroup_plan){ LIMIT_MEMORY, "memory.limit_in_bytes", "memory.max",
			                        "", "" };
		snprintf(plan[n].value, 32, "%lld", s->memory_max);
		snprintf(plan[n++].v2_value, 32, "%lld", s->memory_max);
		/* v1 counts memory and swap together; v2 counts swap alone. */
		plan[n] = (struct cgroup_plan){ LIMIT_MEMORY, "memory.memsw.limit_in_bytes",
			                        "memory.swap.max", "", "" };
		snprintf(plan[n].value, 32, "%lld", swap);
		snprintf(plan[n++].v2_value, 32, "%lld", swap - s->memory_max);
	}
	if (s->cpus > 0) {
		plan[n] = (struct cgroup_plan){ LIMIT_CPU, "cpu.cfs_quota_us", "cpu.max", "", "" };
		snprintf(plan[n].value, 32, "%ld", (long)(s->cpus * 100000));
		snprintf(plan[n++].v2_value, 32, "%ld 100000", (long)(s->cpus * 100000));
	}
	return n;
}

/*
 * Writes PLAN[I] in DIR. Swap is accounted only where the kernel counts it:
 * without, memory alone is the limit. A kept v1 cgroup's memory limit may
 * only rise above memsw after memsw does.
 */
static int write_limit(const char *dir, bool v2, const struct cgroup_plan *plan, size_t i, size_t n)
{
	const char *file = v2 ? plan[i].v2_file : plan[i].v1_file;
	const char *value = v2 ? plan[i].v2_value : plan[i].value;

	if (write_text(dir, file, value) == 0 || strstr(file, "swap") != NULL)
		return 0;
	if (!v2 && i + 1 < n && write_text(dir, plan[i + 1].v1_file, plan[i + 1].value) == 0 &&
	    write_text(dir, file, value) == 0)
		return 0;
	return claw_fail("%s/%s: %s", dir, file, strerror(errno));
}

/* The run's cgroups, each limit in the one its controller has; -1 (claw_error) if one fails. */
static int make_cgroups(const struct native_spec *s, struct native_child *c)
{
	struct cgroup_plan plan[4];
	size_t n = plan_limits(s, plan);
	char why[300];

	c->cgroups_kept = s->cgroup_name != NULL;
	for (size_t i = 0; i < n; i++) {
		enum native_via via;
		const char *dir = cgroup_dir(s, c, plan[i].limit, &via, why, sizeof(why));
		if (dir == NULL || write_limit(dir, via == VIA_CGROUP_V2, plan, i, n) < 0) {
			if (dir == NULL)
				claw_fail("%s", why);
			return -1;
		}
		c->limits.via[plan[i].limit] = via;
	}
	cgroup_serial++;
	return 0;
}

/*
 * Where a non-root launcher's run is born in v2: a descriptor of its cgroup
 * for clone3. (Root moves itself in and out, as it did for v1; the launcher
 * has switched to the user by the clone, and the user may not write root's
 * cgroups.)
 */
static int open_v2_cgroup(struct native_child *c)
{
	bool v2 = false;

	for (int i = 0; i < LIMITS_N; i++)
		v2 |= c->limits.via[i] == VIA_CGROUP_V2;
	for (size_t i = 0; v2 && i < c->ncgroups; i++)
		if (v2_mount()[0] && strncmp(c->cgroups[i], v2_mount(), strlen(v2_mount())) == 0)
			return (c->cgroup_fd =
			            open(c->cgroups[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
			           ? claw_fail("%s: %s", c->cgroups[i], strerror(errno))
			           : 0;
	return 0;
}

const char *limits_refusal(const struct native_spec *s, const struct native_limits *l, char *buf,
                           size_t n)
{
	int weak = weak_limit(l);

	if (weak < 0 || s->rlimits_only)
		return NULL;
	snprintf(buf, n,
	         "%s cannot be enforced here: %s. Run claw-sandbox as root or in a delegated "
	         "cgroup (claw-sandbox(1), LIMITS), or accept per-process rlimits with "
	         "agents.defaults.sandbox.native.rlimitsOnly: true",
	         controllers[weak].key, l->why);
	return buf;
}

int limits_start(const struct native_spec *s, struct native_child *c)
{
	struct native_limits predicted;
	char why[600];

	probe(s, &predicted, false); /* too late to place ourselves: as it is */
	c->limits = predicted;
	c->cgroup_fd = -1;
	if (limits_refusal(s, &predicted, why, sizeof(why))) {
		c->refused = true;
		return claw_fail("%s", why);
	}
	bool any = false;
	for (int i = 0; i < LIMITS_N; i++)
		any |= configured(s, i) &&
		       (predicted.via[i] == VIA_CGROUP_V1 || predicted.via[i] == VIA_CGROUP_V2);
	if (!any)
		return 0;
	if (make_cgroups(s, c) < 0 || (geteuid() != 0 && open_v2_cgroup(c) < 0) ||
	    limits_cgroups_enter(c, true) < 0) {
		limits_cgroups_remove(c);
		c->refused = true;
		return claw_fail("cannot set the run's limits: %s", claw_error());
	}
	return 0;
}

/*
 * The launcher steps into the run's cgroups for the clone, so init is born
 * inside them. In a v1 hierarchy only the calling thread moves ("0" to
 * tasks): moving a whole process (cgroup.procs) takes the kernel's global
 * threadgroup lock for writing, which waits out an RCU grace period, about
 * 10 ms on an otherwise idle machine; one thread moving itself needs no such
 * lock. The clone's child takes this thread's cgroups. v2 has no tasks file:
 * root moves the process, anyone else has the run born there (limits_clone).
 */
int limits_cgroups_enter(struct native_child *c, bool enter)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	for (size_t i = 0; i < c->ncgroups; i++) {
		char *dir = xstrdup(c->cgroups[i]);
		if (!enter)
			*strrchr(dir, '/') = '\0';
		int rc = write_text(dir, "tasks", "0");
		bool v2 = rc < 0 && errno == ENOENT;
		if (v2 && c->cgroup_fd < 0 && !enter && self.v2base) {
			/* Back to the launcher's leaf: the cgroup above holds no process. */
			free(dir);
			dir = xasprintf("%s/" LAUNCHER_LEAF, self.v2base);
		}
		if (v2)
			rc = c->cgroup_fd >= 0 ? 0 : write_text(dir, "cgroup.procs", pid);
		int e = errno;
		free(dir);
		if (rc < 0)
			return claw_fail("cannot enter the run's cgroup: %s", strerror(e));
	}
	return 0;
}

bool limits_cleared_handlers;

long limits_clone(unsigned long flags, int *pidfd, const struct native_child *c)
{
	struct clone_args args = {
		.flags = (uint64_t)(flags & ~0xffUL) | (uint64_t)CLONE_CLEAR_SIGHAND |
		         (c->cgroup_fd >= 0 ? (uint64_t)CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = (uint64_t)(flags & 0xff),
		.cgroup = (uint64_t)(unsigned)(c->cgroup_fd >= 0 ? c->cgroup_fd : 0),
	};

	/* The child learns from this which clone made it. */
	limits_cleared_handlers = true;
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid >= 0 || (errno != ENOSYS && errno != EPERM) || c->cgroup_fd >= 0)
		return pid;
	/* No clone3 (a container's filter may refuse it, with either errno): init clears its
	 * handlers itself. */
	limits_cleared_handlers = false;
	return syscall(SYS_clone, flags, NULL, pidfd, NULL, NULL);
}

/* ---- a scope of systemd's own ---- */

/* The socket of the manager that would make a scope for us, or NULL. */
static const char *manager_socket(char *buf, size_t n)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (geteuid() == 0)
		snprintf(buf, n, "/run/systemd/private");
	else if (run && run[0] == '/')
		snprintf(buf, n, "%s/systemd/private", run);
	else
		snprintf(buf, n, "/run/user/%u/systemd/private", (unsigned)geteuid());
	return stat(buf, &st) == 0 && S_ISSOCK(st.st_mode) ? buf : NULL;
}

/* The placed claw-sandbox's pid, for the waiting one's signal handler. */
static volatile pid_t placed_pid;

static void forward(int sig)
{
	if (placed_pid > 0)
		kill(placed_pid, sig);
}

/* In the placed claw-sandbox: tell the one waiting that it runs (in the scope). */
static void say_placed(void)
{
	const char *fd = getenv(PLACED_FD_ENV);

	if (fd == NULL)
		return;
	int n = atoi(fd);
	if (n > 2 && write(n, "p", 1) == 1)
		close(n);
	unsetenv(PLACED_FD_ENV);
}

/* systemd-run's arguments to run ARGV again, as EXE, in a new delegated scope UNIT. */
static char **scope_args(char **argv, const char *exe, const char *unit)
{
	size_t argc = 0;

	while (argv[argc])
		argc++;
	char **args = xcalloc(argc + 12, sizeof(*args)), **a = args;
	*a++ = "systemd-run";
	if (geteuid() != 0)
		*a++ = "--user";
	*a++ = "--scope", *a++ = "--quiet", *a++ = "--collect", *a++ = "-p", *a++ = "Delegate=yes";
	*a++ = "--unit", *a++ = (char *)unit, *a++ = "--", *a++ = (char *)exe;
	for (size_t i = 1; i < argc; i++)
		*a++ = argv[i];
	return args;
}

/* The child: systemd-run, which makes the scope and execs claw-sandbox again in it. */
static noreturn void run_in_scope(char **args, const char *unit, int ready)
{
	char fd[16];

	snprintf(fd, sizeof(fd), "%d", ready);
	setenv(PLACED_ENV, unit, 1);
	setenv(PLACED_FD_ENV, fd, 1);
	if (getenv("XDG_RUNTIME_DIR") == NULL && geteuid() != 0) {
		char *dir = xasprintf("/run/user/%u", (unsigned)geteuid());
		setenv("XDG_RUNTIME_DIR", dir, 1);
		free(dir);
	}
	/* It dies with the one waiting for it, as a claw-sandbox killed would take its runs. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	execvp(args[0], args);
	_exit(127);
}

int limits_place_self(char **argv, int *status)
{
	struct native_spec all = { .pids_max = 1, .memory_max = 1, .cpus = 1 };
	struct native_limits l;
	char sock[PATH_MAX], exe[PATH_MAX], unit[64], ok = 0;
	int ready[2];

	if (getenv(PLACED_ENV) != NULL) {
		say_placed();
		return 0;
	}
	if (manager_socket(sock, sizeof(sock)) == NULL)
		return 0;
	probe(&all, &l, false);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (weak_limit(&l) < 0 || n <= 0 || pipe2(ready, O_CLOEXEC) < 0)
		return 0; /* cgroups serve already, or it cannot be asked */
	exe[n] = '\0';
	snprintf(unit, sizeof(unit), "claw-sandbox-%d.scope", (int)getpid());
	char **args = scope_args(argv, exe, unit);
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		if (fcntl(ready[1], F_SETFD, 0) == 0) /* kept across the execs, to say it runs */
			run_in_scope(args, unit, ready[1]);
		_exit(127);
	}
	free(args);
	close(ready[1]);
	if (pid < 0) {
		close(ready[0]);
		return 0;
	}
	/* The placed one says so as it starts; if systemd-run fails, the pipe just closes. */
	while ((n = read(ready[0], &ok, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	placed_pid = n == 1 ? pid : 0;
	struct sigaction sa = { .sa_handler = forward }, old[3];
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (int i = 0; n == 1 && i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	for (int i = 0; n == 1 && i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return n == 1 ? 1 : 0; /* not placed: on without a scope, which says why */
}

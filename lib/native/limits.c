/*
 * limits.c: the native sandbox's resource limits: the cgroups a run's
 * limits go in, made and entered by the launcher.
 */
#include "native/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

struct cgroup_plan {
	const char *controller;
	const char *v1_file, *v2_file; /* the limit's file in each version's hierarchy */
	char value[32], v2_value[32];
};

static unsigned cgroup_serial;

/* The launcher's own cgroup in a v1 hierarchy, so runs nest under whatever limits it has. */
static char *own_cgroup(const char *controller)
{
	/* Read once, as the launcher started: later it moves its thread into a run's. */
	static char text[4096];
	static ssize_t len = -1;
	char *path = NULL;

	if (len < 0) {
		int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
		len = fd < 0 ? 0 : read(fd, text, sizeof(text) - 1);
		len = len < 0 ? 0 : len;
		text[len] = '\0';
		if (fd >= 0)
			close(fd);
	}
	/* Lines read "ID:controller[,controller...]:path". */
	for (const char *line = text; *line && path == NULL;) {
		size_t n = strcspn(line, "\n");
		char buf[1024];
		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		line += n + (line[n] == '\n');
		char *list = strchr(buf, ':'), *where = list ? strchr(list + 1, ':') : NULL;
		if (where == NULL)
			continue;
		*where++ = '\0';
		for (char *save = NULL, *t = strtok_r(list + 1, ",", &save); t && !path;
		     t = strtok_r(NULL, ",", &save))
			if (strcmp(t, controller) == 0)
				path = xasprintf("/sys/fs/cgroup/%s%s", controller,
				                 strcmp(where, "/") == 0 ? "" : where);
	}
	return path;
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
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	for (char *save = NULL, *w = strtok_r(text, " \n", &save); w;
	     w = strtok_r(NULL, " \n", &save))
		if (strcmp(w, word) == 0)
			return true;
	return false;
}

/*
 * The launcher's cgroup in the unified (v2) hierarchy, when CONTROLLER can
 * limit its children there: it is available, and enabled for them (ENABLE:
 * enable it if need be, which the kernel allows only at the root, where a
 * process may sit beside enabled controllers). NULL where v2 cannot serve.
 */
static char *own_cgroup_v2(const char *controller, bool enable)
{
	char line[4096], mount[PATH_MAX] = "", path[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0)
			snprintf(path, sizeof(path), "%.*s", (int)strcspn(line + 3, "\n"),
			         line + 3);
	fclose(f);
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return NULL;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - cgroup2 SOURCE SUPER" */
	while (mount[0] == '\0' && fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], point[PATH_MAX];
		const char *dash = strstr(line, " - cgroup2 ");
		if (dash != NULL && sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) == 2 &&
		    strcmp(root, "/") == 0)
			snprintf(mount, sizeof(mount), "%s", point);
	}
	fclose(f);
	if (mount[0] == '\0' || path[0] != '/')
		return NULL;
	char *base = xasprintf("%s%s", mount, strcmp(path, "/") == 0 ? "" : path);
	char *ctl = xasprintf("+%s", controller);
	bool ok = read_words(base, "cgroup.controllers", controller) &&
	          (read_words(base, "cgroup.subtree_control", controller) ||
	           (enable && write_text(base, "cgroup.subtree_control", ctl) == 0));
	free(ctl);
	if (!ok) {
		free(base);
		return NULL;
	}
	return base;
}

void limits_cgroups_remove(struct native_child *c)
{
	for (size_t i = 0; i < c->ncgroups; i++) {
		if (!c->cgroups_kept)
			rmdir(c->cgroups[i]);
		free(c->cgroups[i]);
	}
	c->ncgroups = 0;
}

static const char *const cgroup_controllers[] = { "pids", "memory", "cpu" };

/* The launcher's cgroup for CONTROLLER: its v1 hierarchy's, else the unified one's. */
static char *own_cgroup_any(const char *controller, bool enable, bool *v2)
{
	char *base = own_cgroup(controller);

	*v2 = base == NULL;
	return base ? base : own_cgroup_v2(controller, enable);
}

int native_cgroups_remove(const char *name)
{
	int rc = 0;
	bool v2;

	for (size_t i = 0; i < NELEM(cgroup_controllers); i++) {
		char *base = own_cgroup_any(cgroup_controllers[i], false, &v2);
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

/* The cgroup this run's CONTROLLER limits go in, made if need be (v2: one for all). */
static const char *cgroup_dir(const struct native_spec *s, struct native_child *c,
                              const char *controller, bool *v2)
{
	char *base = own_cgroup_any(controller, true, v2);

	if (base == NULL)
		return NULL;
	char *dir = s->cgroup_name ? xasprintf("%s/claw.%s", base, s->cgroup_name)
	                           : xasprintf("%s/claw.%d.%u", base, (int)getpid(), cgroup_serial);
	free(base);
	for (size_t i = 0; i < c->ncgroups; i++)
		if (strcmp(c->cgroups[i], dir) == 0) {
			free(dir);
			return c->cgroups[i]; /* v2: the same directory for every controller */
		}
	if (c->ncgroups == NELEM(c->cgroups) ||
	    (mkdir(dir, 0700) < 0 && (errno != EEXIST || s->cgroup_name == NULL))) {
		free(dir);
		return NULL;
	}
	c->cgroups[c->ncgroups++] = dir;
	return dir;
}

/*
 * Fork bombs and memory hogs (15): limits in a cgroup under the launcher's,
 * while the launcher is still root. With a name (the scope's slug) the cgroup
 * is the scope's and is kept between runs, as a container's limits cover all
 * its execs (and a memory cgroup costs most of a millisecond to make and
 * remove); without, each run gets one of its own. A controller's v1
 * hierarchy is used where it has one, else the unified (v2) hierarchy where
 * the controller can be enabled for the launcher's children (which the
 * kernel allows only at its root: a cgroup holding a process cannot). Where
 * neither can be done (not root, no controller), the rlimits of
 * apply_limits() stand in.
 */
bool limits_cgroups_create(const struct native_spec *s, struct native_child *c)
{
	struct cgroup_plan plan[4];
	size_t n = 0;

	if (s->pids_max > 0) {
		plan[n] = (struct cgroup_plan){ .controller = "pids", "pids.max", "pids.max" };
		snprintf(plan[n].value, 32, "%ld", s->pids_max);
		snprintf(plan[n++].v2_value, 32, "%ld", s->pids_max);
	}
	if (s->memory_max > 0) {
		long long swap = s->memswap_max > s->memory_max ? s->memswap_max : s->memory_max;
		plan[n] = (struct cgroup_plan){ .controller = "memory",
			                        "memory.limit_in_bytes",
			                        "memory.max" };
		snprintf(plan[n].value, 32, "%lld", s->memory_max);
		snprintf(plan[n++].v2_value, 32, "%lld", s->memory_max);
		/* v1 counts memory and swap together; v2 counts swap alone. */
		plan[n] = (struct cgroup_plan){ .controller = "memory",
			                        "memory.memsw.limit_in_bytes",
			                        "memory.swap.max" };
		snprintf(plan[n].value, 32, "%lld", swap);
		snprintf(plan[n++].v2_value, 32, "%lld", swap - s->memory_max);
	}
	if (s->cpus > 0) {
		plan[n] =
		    (struct cgroup_plan){ .controller = "cpu", "cpu.cfs_quota_us", "cpu.max" };
		snprintf(plan[n].value, 32, "%ld", (long)(s->cpus * 100000));
		snprintf(plan[n++].v2_value, 32, "%ld 100000", (long)(s->cpus * 100000));
	}
	if (n == 0 || geteuid() != 0)
		return false;
	c->cgroups_kept = s->cgroup_name != NULL;
	for (size_t i = 0; i < n; i++) {
		bool v2;
		const char *dir = cgroup_dir(s, c, plan[i].controller, &v2);
		if (dir == NULL)
			goto fail;
		const char *file = v2 ? plan[i].v2_file : plan[i].v1_file;
		const char *value = v2 ? plan[i].v2_value : plan[i].value;
		/* Swap is accounted only where the kernel counts it: without, memory alone
		 * is the limit. A kept v1 cgroup's memory limit may only rise above memsw
		 * after memsw does. */
		bool swap = strstr(file, "swap") != NULL;
		if (write_text(dir, file, value) < 0 && !swap &&
		    !(!v2 && i + 1 < n &&
		      write_text(dir, plan[i + 1].v1_file, plan[i + 1].value) == 0 &&
		      write_text(dir, file, value) == 0))
			goto fail;
	}
	cgroup_serial++;
	return true;
fail:
	limits_cgroups_remove(c);
	return false;
}

/*
 * The launcher steps into the run's cgroups for the clone, so init is born
 * inside them. In a v1 hierarchy only the calling thread moves ("0" to
 * tasks): moving a whole process (cgroup.procs) takes the kernel's global
 * threadgroup lock for writing, which waits out an RCU grace period, about
 * 10 ms on an otherwise idle machine; one thread moving itself needs no such
 * lock. The clone's child takes this thread's cgroups. v2 has no tasks file.
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
		if (rc < 0 && errno == ENOENT)
			rc = write_text(dir, "cgroup.procs", pid);
		free(dir);
		if (rc < 0)
			return -1;
	}
	return 0;
}

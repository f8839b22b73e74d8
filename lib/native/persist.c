/*
 * persist.c: persistence paths that do not exist yet (peers.md 10,
 * CVE-2026-25725's class).
 *
 * A persistence path that exists in a writable tree (.git, .bashrc, .envrc,
 * .openclaw, ...) is bound read-only over itself (nsroot.c). One that does
 * not exist cannot be covered that way: a mount needs a mount point, and a
 * placeholder made for it would be left in the user's tree (an empty .git
 * breaks git there), while removing it on the host lifts the mount inside.
 * No Landlock or seccomp rule can refuse a name that does not exist yet
 * either. So the rule is enforced after the run instead: the launcher notes
 * which protected names are missing from each writable tree before the
 * sandbox starts, and once every process of the sandbox is gone it moves
 * each one that appeared aside, to NAME.claw-quarantine-<UTC time>, where
 * neither git, nor a shell, nor direnv, nor an editor looks. Every lookup
 * and rename is relative to the tree's descriptor and never follows a
 * symlink.
 *
 * What remains: while the sandbox runs, the host could act on what it made
 * (a git checkout in the workspace during the run would run a new hook); a
 * launcher killed with SIGKILL never does its check; and a name the user
 * makes in the tree during a run is moved aside too (and reported).
 */
#include "native/persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "native/nsroot.h"
#include "core/util.h"

static bool missing(int dir, const char *name)
{
	struct stat st;

	return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
}

int persist_watch_start(const struct native_spec *s, struct persist_watch *w)
{
	struct nsroot_source *src = xcalloc(s->nbinds + 2, sizeof(*src));
	size_t n = nsroot_sources(s, src);
	struct stat st;

	memset(w, 0, sizeof(*w));
	w->names = s->protect;
	w->nnames = s->nprotect;
	w->roots = xcalloc(n + 1, sizeof(*w->roots));
	for (size_t i = 0; i < n; i++) {
		if (src[i].ro)
			continue;
		int fd = nsroot_open_source(src[i].src, src[i].real);
		if (fd < 0) {
			free(src);
			persist_watch_close(w);
			return -1;
		}
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
			close(fd);
			continue;
		}
		struct persist_root *r = &w->roots[w->n++];
		*r = (struct persist_root){ fd, xstrdup(src[i].src), 0 };
		for (size_t j = 0; j < s->nprotect; j++)
			if (missing(fd, s->protect[j]))
				r->missing |= UINT32_C(1) << j;
	}
	free(src);
	return 0;
}

uint32_t persist_missing(const struct persist_watch *w, const char *host)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (strcmp(w->roots[i].host, host) == 0)
			return w->roots[i].missing;
	return 0;
}

/* Moves NAME of DIR aside under a name nothing runs: NAME.claw-quarantine-STAMP[-N]. */
static void move_aside(const struct persist_root *r, const char *name, const char *stamp,
                       struct native_moved *m)
{
	char to[256];
	int rc = -1;

	m->path = xasprintf("%s/%s", r->host, name);
	for (int i = 1; i < 100 && rc < 0; i++) {
		if (i == 1)
			snprintf(to, sizeof(to), "%s.claw-quarantine-%s", name, stamp);
		else
			snprintf(to, sizeof(to), "%s.claw-quarantine-%s-%d", name, stamp, i);
		/* rename never follows a symlink: a link is moved, not its target. */
		rc = renameat2(r->fd, name, r->fd, to, RENAME_NOREPLACE);
		if (rc < 0 && errno != EEXIST)
			break;
	}
	if (rc == 0)
		m->moved_to = xasprintf("%s/%s", r->host, to);
	else
		m->error = xstrdup(strerror(errno));
}

size_t persist_watch_finish(struct persist_watch *w, struct native_moved **out)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0;

	*out = NULL;
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	for (size_t i = 0; i < w->n; i++) {
		const struct persist_root *r = &w->roots[i];
		for (size_t j = 0; j < w->nnames; j++) {
			const char *name = w->names[j];
			if (!(r->missing & (UINT32_C(1) << j)) || missing(r->fd, name))
				continue;
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n] = (struct native_moved){ NULL, NULL, NULL };
			move_aside(r, name, stamp, &(*out)[n]);
			/* Gone meanwhile (another run's check moved it): nothing to report. */
			if ((*out)[n].error && missing(r->fd, name))
				native_moved_free(&(*out)[n], 1);
			else
				n++;
		}
	}
	persist_watch_close(w);
	return n;
}

void persist_watch_close(struct persist_watch *w)
{
	for (size_t i = 0; i < w->n; i++) {
		close(w->roots[i].fd);
		free(w->roots[i].host);
	}
	free(w->roots);
	memset(w, 0, sizeof(*w));
}

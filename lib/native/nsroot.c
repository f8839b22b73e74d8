/*
 * nsroot.c: the sandbox's file system.
 *
 * A fresh tmpfs becomes the root; onto it go the host's system directories
 * read-only, an allow-list of /etc, a minimal /dev, fresh tmpfs scratch
 * space and the user's trees. Everything is done relative to the root's
 * mount fd, so the same code builds the tree attached (init, without root)
 * or detached (the launcher as root, on the other CPU while init sets up
 * its namespaces). The comments name the threat each step answers, by its
 * row in claw-sandbox(1)'s table THREATS AND WHAT STOPS THEM ("threat 8").
 */
#include "native/nsroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/execpath.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "native/journal.h"
#include "native/limits.h"
#include "native/persist.h"
#include "native/sources.h"
#include "core/util.h"

#ifndef MOUNT_ATTR_NOSUID
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV  0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif

/* Host directories shown read-only: the programs and libraries a command needs. */
static const char *const system_dirs[] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
};

/*
 * /etc entries shown: never the whole of /etc (no shadow, no ssh host keys,
 * no sudoers, no machine-id). passwd and group are written fresh, naming only
 * the sandbox's user, so the host's accounts are not revealed.
 */
static const char *const etc_allowed[] = {
	"hosts",         /* localhost resolution */
	"nsswitch.conf", /* where libc looks names up */
	"protocols",     /* getprotobyname */
	"services",      /* getservbyname */
	"ld.so.cache",   /* the dynamic loader's library index (multiarch paths) */
	"localtime",     /* time zone (a symlink into /usr/share/zoneinfo) */
	"ssl",           /* CA bundle and OpenSSL defaults */
	"alternatives",  /* Debian's links for awk, editor, pager, ... */
};

/* Only with a network: the resolver configuration. Without one, DNS is a way out (threat 8). */
static const char *const etc_network[] = { "resolv.conf", "gai.conf" };

/* The only device nodes inside (threats 9, 13): harmless ones, with their numbers for
 * mknod; the last, tty, only with native.pts (build_pts). */
static const struct {
	const char *name;
	unsigned major, minor;
} dev_nodes[] = {
	{ "null", 1, 3 },   { "zero", 1, 5 },    { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

/* /dev's own tmpfs: device nodes and links take no more. */
#define DEV_BYTES (64LL * 1024)

/* Regular /etc files smaller than this are copied in; larger ones are bound read-only. */
#define ETC_COPY_MAX 65536

/* How a tree is shown inside. */
enum {
	TREE_RO = 1 << 0,    /* read-only */
	TREE_DEV = 1 << 1,   /* a device node of the host's /dev: it must stay usable (no nodev) */
	TREE_GUARD = 1 << 2, /* a persistence path (nsroot_tree.guard) */
	TREE_OWN = 1 << 3,   /* FD is a detached clone already, the tree's own from now */
};

/*
 * Clones the mount tree at FD (an O_PATH descriptor) for DST: never setuid,
 * never device nodes (threats 9, 13) unless TREE_DEV, read-only with TREE_RO. The
 * clone is made from the descriptor, not from a path, so what is mounted is
 * what was opened and checked (threat 11). With TREE_OWN, FD is that clone
 * already, and taken (closed on failure). WHAT names the source in messages.
 */
static int capture_fd(int fd, const char *what, const char *dst, unsigned flags,
                      struct nsroot_tree *t)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	struct stat st;
	const char *step = "open_tree (Linux 5.2)";

	int tree =
	    flags & TREE_OWN
	        ? fd
	        : (int)syscall(SYS_open_tree, fd, "",
	                       AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0)
		return claw_fail("%s: %s: %s", what, step, strerror(errno));
	if (flags & TREE_RO)
		attr.attr_set |= MOUNT_ATTR_RDONLY;
	if (flags & TREE_DEV)
		attr.attr_set &= ~(unsigned long long)MOUNT_ATTR_NODEV;
	step = "mount_setattr (Linux 5.12)";
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
	            sizeof(attr)) < 0 ||
	    (step = "fstat", fstat(tree, &st) < 0)) {
		int e = errno;
		close(tree);
		return claw_fail("%s: %s: %s", what, step, strerror(e));
	}
	*t = (struct nsroot_tree){ tree, xstrdup(dst), S_ISDIR(st.st_mode), false,
		                   flags & TREE_GUARD };
	return 0;
}

/* The host's SRC (a system directory, an /etc entry, a device node), symlinks followed. */
static int capture(const char *src, const char *dst, unsigned flags, struct nsroot_tree *t)
{
	int fd = open(src, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return claw_fail("%s: %s", src, strerror(errno));
	int rc = capture_fd(fd, src, dst, flags, t);
	close(fd);
	return rc;
}

void nsroot_trees_close(struct nsroot_tree *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].fd >= 0)
			close(t[i].fd);
		free(t[i].dst);
		t[i].fd = -1;
		t[i].dst = NULL;
	}
}

static int push_tree(struct nsroot_tree *out, size_t *n, size_t max, int fd, const char *what,
                     const char *dst, unsigned flags)
{
	if (*n == max) {
		if (flags & TREE_OWN)
			close(fd);
		return claw_fail("too many mounts");
	}
	if (capture_fd(fd, what, dst, flags, &out[*n]) < 0)
		return -1;
	(*n)++;
	return 0;
}

/*
 * Persistence paths (.git, rc files, ...; persist.c) of the writable tree R,
 * read-only over themselves (threat 10): each exists (persist.c made a placeholder
 * where one did not), and whatever it is (a file, a directory, a symlink) it
 * can be neither changed nor replaced, removed or renamed. Each is looked up
 * once, a name in the tree's descriptor (one component: nothing to climb out
 * by), never through a symlink, and cloned as it is found: a name swapped for
 * a symlink by another sandbox's rename loop cannot bring the host's target
 * in (threat 11). It goes wherever the tree shows inside: that clone at its
 * own place, a clone of it where the tree lies within another writable tree
 * (a bind inside the workspace).
 */
static int protect_entry(const struct persist_watch *w, const int *fds, size_t i, const char *name,
                         struct nsroot_tree *out, size_t *n, size_t max)
{
	const struct persist_root *r = &w->roots[i];
	char what[PATH_MAX], dst[PATH_MAX];
	struct statvfs fs;
	int rc = 0;

	snprintf(what, sizeof(what), "%s/%s", r->host, name);
	if (strchr(name, '/') != NULL || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return claw_fail("%s: not an entry of the tree's top; nothing ran", what);
	int fd =
	    (int)syscall(SYS_open_tree, fds[i], name,
	                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);
	/* Missing only where nothing can be made: a read-only file system. */
	if (fd < 0 && errno == ENOENT && fstatvfs(fds[i], &fs) == 0 && (fs.f_flag & ST_RDONLY))
		return 0;
	if (fd < 0)
		return claw_fail("%s (a persistence path): %s; nothing ran", what, strerror(errno));
	unsigned own = TREE_OWN;
	for (size_t k = 0; k < w->n && rc == 0; k++) {
		const struct persist_root *in = &w->roots[k];
		size_t len = strlen(in->real);
		if (k == i)
			snprintf(dst, sizeof(dst), "%s/%s", r->dst, name);
		else if (strncmp(r->real, in->real, len) == 0 && r->real[len] == '/')
			snprintf(dst, sizeof(dst), "%s%s/%s", in->dst, r->real + len, name);
		else
			continue;
		rc = push_tree(out, n, max, fd, what, dst, TREE_RO | TREE_GUARD | own);
		own = 0; /* the first place has it; the others a clone of it */
	}
	if (own)
		close(fd);
	return rc;
}

/*
 * A writable tree that lies inside another one shows there as a mount of its
 * own, not as a plain directory of the outer tree: the run can neither
 * rename it nor put another directory in its place (*Device or resource
 * busy*), so the host's next git or shell there finds the tree it bound,
 * with its persistence paths, and not one the run made (threat 10). Trees
 * under the undo journal are left as they are: their part of the overlay
 * (journal.c), where a directory cannot be renamed (overlayfs answers
 * EXDEV) and its persistence paths cannot be removed.
 */
static int add_nested(const struct native_spec *s, const struct persist_watch *w, const int *fds,
                      struct nsroot_tree *out, size_t *n, size_t max)
{
	char dst[PATH_MAX];

	for (size_t i = 0; w && i < w->n; i++) {
		const struct persist_root *r = &w->roots[i];
		if (journal_overlay_of(s, r->host) != NULL)
			continue;
		for (size_t k = 0; k < w->n; k++) {
			const struct persist_root *in = &w->roots[k];
			size_t len = strlen(in->real);
			if (k == i || strncmp(r->real, in->real, len) != 0 || r->real[len] != '/' ||
			    journal_overlay_of(s, in->host) != NULL)
				continue;
			snprintf(dst, sizeof(dst), "%s%s", in->dst, r->real + len);
			if (push_tree(out, n, max, fds[i], r->host, dst, 0) < 0)
				return -1;
		}
	}
	return 0;
}

/* Every tree first, then what is read-only inside them: a tree may show inside another.
 * FDS: each root's tree as opened in this mount namespace. */
static int add_protected(const struct persist_watch *w, const int *fds, struct nsroot_tree *out,
                         size_t *n, size_t max)
{
	for (size_t i = 0; w && i < w->n; i++) {
		const struct persist_root *r = &w->roots[i];
		for (size_t j = 0; j < w->nnames; j++)
			if (!(r->by_mode & (UINT64_C(1) << j)) &&
			    protect_entry(w, fds, i, w->names[j].name, out, n, max) < 0)
				return -1;
		for (size_t j = 0; j < r->extra.n; j++)
			if (protect_entry(w, fds, i, r->extra.v[j], out, n, max) < 0)
				return -1;
	}
	return 0;
}

/*
 * The part of the overlay mounted at SAME that a tree lying in its tree
 * shows, at SUB inside it: a clone of that directory of the overlay, so the
 * run sees one tree at both places and its writes there are journaled once.
 * SUB is resolved beneath the overlay, never through a symlink.
 */
static int overlay_part(int same, const char *sub)
{
	int dir = sub != NULL ? openat_beneath(same, sub, O_PATH | O_DIRECTORY, 0) : same;

	if (dir < 0)
		return -1;
	int mnt = (int)syscall(SYS_open_tree, dir, "",
	                       AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (dir != same) {
		int e = errno;
		close(dir);
		errno = e;
	}
	return mnt;
}

/*
 * A writable tree the run sees through an overlay of its own (journal.h):
 * what it writes stays out of the tree until claw-sandbox merges it, and
 * what the merge replaces is kept, so the run can be undone.
 */
static int push_overlay(struct nsroot_tree *out, size_t *n, size_t max, int fd, const char *dst,
                        const struct native_overlay *ov, const int *idmap_ns, int same)
{
	if (*n == max)
		return claw_fail("too many mounts");
	/* The same tree shown again, or a tree in it: the same overlay (two would each keep
	 * their own writes, and neither place would show the other's). */
	int mnt =
	    same >= 0 ? overlay_part(same, ov->sub) : journal_overlay(fd, ov->layers, idmap_ns);
	if (same >= 0 && mnt < 0)
		return claw_fail("%s: open_tree of its overlay: %s", dst, strerror(errno));
	if (mnt < 0)
		return -1;
	out[(*n)++] = (struct nsroot_tree){ mnt, xstrdup(dst), true, true, false };
	return 0;
}

/*
 * One of the user's trees, opened (and, for a bind, checked to still lead
 * where the bind check said) and mounted from that descriptor (through an
 * overlay when S journals it). A writable
 * directory must be the very one its guard protected (persist.c): it was
 * opened in the launcher's mount namespace, this may be init's copy, where
 * a tree is cloned only from what is opened there. Its descriptor goes to
 * *KEPT (else -1), for its persistence paths.
 */

static int add_user_tree(const struct native_spec *s, const struct persist_watch *w,
                         const struct nsroot_source *src, size_t i, struct nsroot_tree *out,
                         size_t *n, size_t max, const int *idmap_ns, int same, int *kept)
{
	const struct persist_root *r = persist_root_of(w, i);
	struct stat now, guarded;
	int fd = nsroot_open_source(src->src, src->real);
	const struct native_overlay *ov = src->ro ? NULL : journal_overlay_of(s, src->src);

	*kept = -1;
	if (fd < 0)
		return -1;
	if (r && (fstat(fd, &now) < 0 || fstat(r->fd, &guarded) < 0 ||
	          now.st_dev != guarded.st_dev || now.st_ino != guarded.st_ino)) {
		close(fd);
		return claw_fail("%s changed while the sandbox started: nothing was mounted",
		                 src->src);
	}
	int rc = ov != NULL ? push_overlay(out, n, max, fd, src->dst, ov, idmap_ns, same)
	                    : push_tree(out, n, max, fd, src->src, src->dst, src->ro ? TREE_RO : 0);
	if (rc == 0 && r)
		*kept = fd;
	else
		close(fd);
	return rc;
}

/*
 * The overlay made already for an earlier source of the same layers that is
 * its tree itself (not a tree in it), or -1. Sources before I each hold one
 * entry of OUT, in order.
 */
static int same_overlay(const struct native_spec *s, const struct nsroot_source *src, size_t i,
                        const struct nsroot_tree *out, size_t n)
{
	const struct native_overlay *ov = src[i].ro ? NULL : journal_overlay_of(s, src[i].src);

	for (size_t j = 0; ov != NULL && j < i && j < n; j++) {
		const struct native_overlay *o =
		    src[j].ro ? NULL : journal_overlay_of(s, src[j].src);
		if (out[j].overlay && o != NULL && o->layers == ov->layers && o->sub == NULL)
			return out[j].fd;
	}
	return -1;
}

int nsroot_user_trees(const struct native_spec *s, const struct persist_watch *w,
                      struct nsroot_tree *out, size_t max, const int *idmap_ns)
{
	struct nsroot_source *src = xcalloc(s->nbinds + 2, sizeof(*src));
	size_t nsrc = nsroot_sources(s, src), n = 0;
	int rc = 0;

	int *kept = xcalloc(nsrc + 1, sizeof(*kept)), *fds = xcalloc(nsrc + 1, sizeof(*fds));
	for (size_t i = 0; i < nsrc; i++)
		kept[i] = -1;
	for (size_t i = 0; i < nsrc && rc == 0; i++)
		rc = add_user_tree(s, w, &src[i], i, out, &n, max, idmap_ns,
		                   same_overlay(s, src, i, out, n), &kept[i]);
	/* The roots' trees by the roots' order. */
	for (size_t k = 0; w && k < w->n; k++)
		fds[k] = kept[w->roots[k].source];
	if (rc == 0)
		rc = add_nested(s, w, fds, out, &n, max);
	if (rc == 0)
		rc = add_protected(w, fds, out, &n, max);
	for (size_t i = 0; i < nsrc; i++)
		if (kept[i] >= 0)
			close(kept[i]);
	free(kept);
	free(fds);
	free(src);
	if (rc < 0) {
		nsroot_trees_close(out, n);
		return -1;
	}
	return (int)n;
}

/* ---- relative to the root's fd ---- */

static const char *rel(const char *inside)
{
	while (*inside == '/')
		inside++;
	return *inside ? inside : ".";
}

static int mkdirs_at(int root, const char *inside, mode_t mode)
{
	char buf[PATH_MAX];
	const char *r = rel(inside);

	if (mkdirat(root, r, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || snprintf(buf, sizeof(buf), "%s", r) >= (int)sizeof(buf))
		return claw_fail("mkdir %s: %s", inside, strerror(errno));
	for (char *p = buf; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdirat(root, buf, 0755) < 0 && errno != EEXIST)
				return claw_fail("mkdir %s: %s", buf, strerror(errno));
			*p = '/';
		}
	if (mkdirat(root, buf, mode) < 0 && errno != EEXIST)
		return claw_fail("mkdir %s: %s", inside, strerror(errno));
	return 0;
}

/* A mount point for a directory or a file, unless one is there already. */
static int mountpoint_at(int root, const char *inside, bool is_dir)
{
	struct stat st;
	char parent[PATH_MAX];

	if (fstatat(root, rel(inside), &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (is_dir)
		return mkdirs_at(root, inside, 0755);
	snprintf(parent, sizeof(parent), "%s", inside);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdirs_at(root, parent, 0755) < 0)
			return -1;
	}
	int fd = openat(root, rel(inside), O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
	if (fd < 0)
		return claw_fail("%s: %s", inside, strerror(errno));
	close(fd);
	return 0;
}

/*
 * Whether the place of INSIDE is out of the caller's reach for good: a
 * directory on the way it may not search and cannot make searchable, not
 * being its owner (a chmod to the mode it has already says: the owner of a
 * host directory shows as nobody here, as the sandbox's user may be). A
 * persistence path there needs no guard: the command can make nothing there
 * (a workdir it cannot enter is reported as such after).
 */
static bool out_of_reach(int root, const char *inside)
{
	char path[PATH_MAX];
	struct stat st;
	char *last = NULL;

	if (fstatat(root, rel(inside), &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != EACCES ||
	    snprintf(path, sizeof(path), "%s", rel(inside)) >= (int)sizeof(path))
		return false;
	/* The deepest directory on the way that can be found is the one not searchable. */
	for (char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int rc = fstatat(root, path, &st, AT_SYMLINK_NOFOLLOW), e = errno;
		*p = '/';
		if (rc < 0 && e != EACCES)
			return false;
		if (rc < 0)
			break;
		last = p;
	}
	if (last == NULL)
		return false;
	*last = '\0';
	if (fstatat(root, path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
		return false;
	return fchmodat(root, path, st.st_mode & 07777, 0) < 0 &&
	       (errno == EPERM || errno == EROFS);
}

static int attach(int root, struct nsroot_tree *t)
{
	struct stat st;

	if (t->dst == NULL || t->fd < 0)
		return claw_fail("no tree to mount");
	/* One look at the place: there already (a persistence path always is), else made. */
	if (fstatat(root, rel(t->dst), &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (t->guard && errno == EACCES && out_of_reach(root, t->dst))
			return 0;
		if (mountpoint_at(root, t->dst, t->is_dir) < 0)
			return -1;
	}
	if (syscall(SYS_move_mount, t->fd, "", root, rel(t->dst), MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		int e = errno;
		claw_fail("mount %s: %s", t->dst, strerror(e));
		errno = e;
		return -1;
	}
	close(t->fd);
	t->fd = -1;
	return 0;
}

/* A fresh tmpfs as a detached mount: private scratch space, nothing of the host's
 * (threats 9, 10). */
static int new_tmpfs(const char *mode, long long size, unsigned long long attrs)
{
	char sz[32];
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);

	if (fs < 0)
		return claw_fail("fsopen tmpfs: %s (the new mount API, Linux 5.2)",
		                 strerror(errno));
	snprintf(sz, sizeof(sz), "%lld", size);
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", mode, 0) < 0 ||
	    (size > 0 && syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", sz, 0) < 0) ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;
		close(fs);
		return claw_fail("tmpfs: %s", strerror(e));
	}
	int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs);
	int e = errno;
	close(fs);
	return mnt < 0 ? claw_fail("fsmount: %s", strerror(e)) : mnt;
}

/* Mirrors a host system directory: a symlink stays a symlink (merged /usr), a dir is bound. */
static int system_dir(int root, const char *dir)
{
	char target[PATH_MAX];
	ssize_t n = readlink(dir, target, sizeof(target) - 1);
	struct stat st;
	struct nsroot_tree t;

	if (n > 0) {
		target[n] = '\0';
		return symlinkat(target, root, rel(dir)) < 0 && errno != EEXIST
		           ? claw_fail("symlink %s: %s", dir, strerror(errno))
		           : 0;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	t = (struct nsroot_tree){ -1, NULL, false, false, false };
	/* Read-only: nothing inside can replace a program or a library (threat 10). */
	if (capture(dir, dir, TREE_RO, &t) < 0)
		return -1;
	int rc = attach(root, &t);
	nsroot_trees_close(&t, 1);
	return rc;
}

static int write_at(int root, const char *inside, const void *data, size_t len, mode_t mode)
{
	int fd = openat(root, rel(inside), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return claw_fail("%s: %s", inside, strerror(e));
	}
	close(fd);
	return 0;
}

/* A small host file copied into the new root, by the kernel: no buffer to touch here. */
static int copy_file(int root, const char *src)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return 0;
	int out = openat(root, rel(src), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ssize_t n = out < 0 ? -1 : 1;
	while (n > 0)
		n = sendfile(out, in, NULL, ETC_COPY_MAX);
	int e = errno;
	close(in);
	if (out >= 0)
		close(out);
	return n < 0 ? claw_fail("%s: %s", src, strerror(e)) : 0;
}

/* One /etc entry: symlinks recreated, small files copied, directories bound read-only. */
static int etc_entry(int root, const char *name)
{
	char src[PATH_MAX], target[PATH_MAX];
	struct stat st;

	if (strchr(name, '/') || name[0] == '.' || name[0] == '\0')
		return 0;
	snprintf(src, sizeof(src), "/etc/%s", name);
	if (lstat(src, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(src, target, sizeof(target) - 1);
		if (n <= 0)
			return 0;
		target[n] = '\0';
		return symlinkat(target, root, rel(src)) < 0 && errno != EEXIST
		           ? claw_fail("symlink %s: %s", src, strerror(errno))
		           : 0;
	}
	if (S_ISREG(st.st_mode) && st.st_size < ETC_COPY_MAX)
		return copy_file(root, src);
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return 0;
	struct nsroot_tree t = { -1, NULL, false, false, false };
	if (capture(src, src, TREE_RO, &t) < 0)
		return -1;
	int rc = attach(root, &t);
	nsroot_trees_close(&t, 1);
	return rc;
}

/* NAME:x:ID:... of the host's passwd or group, read directly (no NSS modules loaded). */
static void lookup_name(const char *file, unsigned id, char *out, size_t size)
{
	FILE *f = fopen(file, "re");
	char line[1024];

	snprintf(out, size, "user");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '\n') && !feof(f)) {
			/* Longer than any name needs: skip the rest, never read it as a line. */
			int ch;
			while ((ch = getc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 && c2[1] != ':' && strtoul(c2 + 1, NULL, 10) == id) {
			size_t len = (size_t)(c1 - line);
			if (len < size) /* else longer than a name can be here: "user" */
				memcpy(out, line, len), out[len] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
}

/* passwd and group naming only root, the sandbox's user and nobody: host accounts stay private. */
static int identity(int root, uid_t uid, gid_t gid)
{
	char user[64], group[64], text[512];
	int n;

	lookup_name("/etc/passwd", (unsigned)uid, user, sizeof(user));
	lookup_name("/etc/group", (unsigned)gid, group, sizeof(group));
	n = snprintf(text, sizeof(text), "root:x:0:0:root:/root:/usr/sbin/nologin\n");
	if (uid != 65534)
		n +=
		    snprintf(text + n, sizeof(text) - (size_t)n, "%s:x:%u:%u::/workspace:/bin/sh\n",
		             user, (unsigned)uid, (unsigned)gid);
	n += snprintf(text + n, sizeof(text) - (size_t)n,
	              "nobody:x:65534:65534:nobody:/workspace:/usr/sbin/nologin\n");
	if (write_at(root, "/etc/passwd", text, (size_t)n, 0644) < 0)
		return -1;
	n = snprintf(text, sizeof(text), "root:x:0:\n");
	if (gid != 65534)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s:x:%u:\n", group,
		              (unsigned)gid);
	n += snprintf(text + n, sizeof(text) - (size_t)n, "nogroup:x:65534:\n");
	return write_at(root, "/etc/group", text, (size_t)n, 0644);
}

static int build_etc(const struct native_spec *s, int root, uid_t uid, gid_t gid)
{
	if (mkdirs_at(root, "/etc", 0755) < 0 || identity(root, uid, gid) < 0)
		return -1;
	for (size_t i = 0; i < NELEM(etc_allowed); i++)
		if (etc_entry(root, etc_allowed[i]) < 0)
			return -1;
	for (size_t i = 0; s->network && i < NELEM(etc_network); i++)
		if (etc_entry(root, etc_network[i]) < 0)
			return -1;
	for (size_t i = 0; i < s->netc; i++)
		if (etc_entry(root, s->etc[i]) < 0)
			return -1;
	return 0;
}

/* A device node: made (the launcher as root) or the host's bound (without root). */
static int dev_node(int dev, size_t i, bool privileged)
{
	char host[64];

	if (privileged) {
		if (mknodat(dev, dev_nodes[i].name, S_IFCHR | 0666,
		            makedev(dev_nodes[i].major, dev_nodes[i].minor)) < 0 ||
		    fchmodat(dev, dev_nodes[i].name, 0666, 0) < 0)
			return claw_fail("mknod /dev/%s: %s", dev_nodes[i].name, strerror(errno));
		return 0;
	}
	snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i].name);
	struct nsroot_tree t = { -1, NULL, false, false, false };
	if (capture(host, dev_nodes[i].name, TREE_DEV, &t) < 0)
		return -1;
	int rc = attach(dev, &t);
	nsroot_trees_close(&t, 1);
	return rc;
}

/*
 * native.pts (only when asked): terminals of the sandbox's own. A fresh
 * devpts instance, so the host's terminals (/dev/pts/N of other sessions)
 * are not there to open (threat 1); /dev/ptmx into it, and /dev/tty, which opens
 * only a terminal a process made its own inside (setsid left it none).
 * TIOCSTI and TIOCLINUX stay refused by the seccomp filter.
 */
static int mount_pts(int dev)
{
	int fs = (int)syscall(SYS_fsopen, "devpts", FSOPEN_CLOEXEC);

	if (fs < 0)
		return claw_fail("fsopen devpts: %s", strerror(errno));
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "ptmxmode", "0666", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0620", 0) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;
		close(fs);
		return claw_fail("devpts: %s", strerror(e));
	}
	int mnt =
	    (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	int e = errno;
	close(fs);
	if (mnt < 0)
		return claw_fail("fsmount devpts: %s", strerror(e));
	struct nsroot_tree t = { mnt, "/pts", true, false, false };
	int rc = attach(dev, &t);
	if (t.fd >= 0)
		close(t.fd);
	return rc;
}

static int pts_links(int dev, bool privileged)
{
	if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
		return claw_fail("symlink /dev/ptmx: %s", strerror(errno));
	return dev_node(dev, NELEM(dev_nodes) - 1, privileged);
}

/* Read-only: nothing written outside the writable mounts (threats 7, 10). */
static int read_only(int mnt)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	if (syscall(SYS_mount_setattr, mnt, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return claw_fail("read-only root: %s", strerror(errno));
	return 0;
}

/*
 * A minimal /dev: five harmless nodes, the fd links, a private shm
 * (threats 9, 12, 13). KEPT (a skeleton's): read-only, with mount points where each run
 * mounts its own shm and devpts.
 */
static int build_dev(const struct native_spec *s, int root, bool privileged, bool kept)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	/* Nodes and links only: /dev/shm is scratch space of its own (nsroot_scratch). */
	int dev = new_tmpfs("0755", DEV_BYTES, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	int rc = -1;

	if (dev < 0)
		return -1;
	/* On the root first, then filled through it: a kernel before Linux 6.15 mounts the
	 * nodes into a tree that is attached, as the root is when init builds it, and not
	 * into the detached tmpfs itself. */
	struct nsroot_tree t = { dev, "/dev", true, false, false };
	if (attach(root, &t) < 0) {
		close(t.fd);
		return -1;
	}
	if ((dev = openat(root, "dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return claw_fail("/dev: %s", strerror(errno));
	/* The last node, /dev/tty, only with native.pts. */
	for (size_t i = 0; i + 1 < NELEM(dev_nodes); i++)
		if (dev_node(dev, i, privileged) < 0)
			goto out;
	if (s->pts && ((kept ? mkdirat(dev, "pts", 0755) : mount_pts(dev)) < 0 ||
	               pts_links(dev, privileged) < 0))
		goto out;
	for (size_t i = 0; i < NELEM(links); i++)
		if (symlinkat(links[i][0], dev, links[i][1]) < 0) {
			claw_fail("symlink /dev/%s: %s", links[i][1], strerror(errno));
			goto out;
		}
	/* shm: where the scratch space's /dev/shm goes; Landlock lets writes land there and
	 * nowhere else in /dev. */
	if (mkdirat(dev, "shm", 01777) < 0 || fchmodat(dev, "shm", 01777, 0) < 0) {
		claw_fail("mkdir /dev/shm: %s", strerror(errno));
		goto out;
	}
	rc = kept ? read_only(dev) : 0;
out:
	if (dev >= 0)
		close(dev);
	return rc;
}

/* What every run shows alike: /usr & co, /etc, /dev, the mount point for /proc. */
static int build_skeleton(const struct native_spec *s, int root, uid_t uid, gid_t gid,
                          bool privileged, bool kept)
{
	for (size_t i = 0; i < NELEM(system_dirs); i++)
		if (system_dir(root, system_dirs[i]) < 0)
			return -1;
	if (build_etc(s, root, uid, gid) < 0 || build_dev(s, root, privileged, kept) < 0 ||
	    mkdirs_at(root, "/proc", 0555) < 0)
		return -1;
	return 0;
}

size_t nsroot_nscratch(const struct native_spec *s, bool shm)
{
	return s->ntmpfs + (shm ? 1 : 0);
}

const char *nsroot_scratch_dst(const struct native_spec *s, size_t i)
{
	return i < s->ntmpfs ? s->tmpfs[i] : "/dev/shm";
}

/* Bytes of scratch space: the run's budget, or half of it where the root is writable (the
 * root's tmpfs has the other half). */
static long long scratch_bytes(const struct native_spec *s)
{
	long long budget = limits_scratch_budget(s);

	return s->read_only_root ? budget : budget / 2;
}

/* The Ith scratch tree, a directory of the one tmpfs SCRATCH, cloned as a mount of its own. */
static int scratch_dir(int scratch, size_t i, struct nsroot_tree *t)
{
	char name[24];

	snprintf(name, sizeof(name), "%zu", i);
	if (mkdirat(scratch, name, 01777) < 0 || fchmodat(scratch, name, 01777, 0) < 0)
		return claw_fail("scratch space: mkdir: %s", strerror(errno));
	t->fd = (int)syscall(SYS_open_tree, scratch, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (t->fd < 0 && errno != EINVAL)
		return claw_fail("scratch space: open_tree: %s", strerror(errno));
	return t->fd < 0 ? -1 : 0;
}

/*
 * One tmpfs of the run's budget, shared by every scratch tree as a directory
 * of it: /tmp, /var/tmp, /run and /dev/shm together hold at most the budget,
 * not the budget each (threat 23). A kernel that cannot clone from a detached mount
 * (before Linux 6.15) gets a tmpfs each, the budget divided among them.
 */
int nsroot_scratch(const struct native_spec *s, bool shm, struct nsroot_tree *out, int *shared_fd)
{
	size_t n = nsroot_nscratch(s, shm);
	long long budget = scratch_bytes(s);
	int scratch = new_tmpfs("0755", budget, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	bool shared = scratch >= 0;

	for (size_t i = 0; i < n; i++) {
		out[i] = (struct nsroot_tree){ -1, xstrdup(nsroot_scratch_dst(s, i)), true, false,
			                       false };
		if (shared && scratch_dir(scratch, i, &out[i]) == 0)
			continue;
		if (shared && errno != EINVAL) {
			nsroot_trees_close(out, i + 1);
			close(scratch);
			return -1;
		}
		shared = false;
		out[i].fd =
		    new_tmpfs("1777", budget / (long long)n, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		if (out[i].fd < 0) {
			nsroot_trees_close(out, i + 1);
			if (scratch >= 0)
				close(scratch);
			return -1;
		}
	}
	if (shared_fd != NULL)
		*shared_fd = scratch;
	else if (scratch >= 0)
		close(scratch);
	return 0;
}

/* What each run has of its own: its scratch space, then the user's trees. */
static int build_runtime(int root, struct nsroot_tree *scratch, size_t nscratch,
                         struct nsroot_tree *user, size_t nuser)
{
	for (size_t i = 0; i < nscratch; i++)
		if (attach(root, &scratch[i]) < 0)
			return -1;
	/* The user's trees last: a bind may land inside a tmpfs entry. */
	for (size_t i = 0; i < nuser; i++)
		if (attach(root, &user[i]) < 0)
			return -1;
	return 0;
}

static int build_tree(const struct native_spec *s, int root, uid_t uid, gid_t gid,
                      struct nsroot_tree *user, size_t nuser, bool privileged)
{
	size_t n = nsroot_nscratch(s, true);
	struct nsroot_tree *scratch = xcalloc(n + 1, sizeof(*scratch));
	int rc = build_skeleton(s, root, uid, gid, privileged, false);

	if (rc == 0 && (rc = nsroot_scratch(s, true, scratch, NULL)) == 0) {
		rc = build_runtime(root, scratch, n, user, nuser);
		int e = errno; /* EINVAL: no mounts into detached trees (nsroot_build) */
		nsroot_trees_close(scratch, n);
		errno = e;
	}
	free(scratch);
	if (rc < 0)
		return -1;
	return s->read_only_root ? read_only(root) : 0;
}

/* A user's tree that lands inside an earlier one (.git in the workspace): its mount point
 * is that tree's, not the root's. */
static bool inside_another(const struct nsroot_tree *user, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (user[j].is_dir && path_within(user[i].dst, user[j].dst))
			return true;
	return false;
}

/* A skeleton's: every mount point a run needs, made now, as the root is read-only. */
static int kept_tree(const struct native_spec *s, int root, uid_t uid, gid_t gid,
                     const struct nsroot_tree *user, size_t nuser)
{
	if (build_skeleton(s, root, uid, gid, true, true) < 0)
		return -1;
	for (size_t i = 0; i < s->ntmpfs; i++)
		if (mkdirs_at(root, s->tmpfs[i], 0755) < 0)
			return -1;
	for (size_t i = 0; i < nuser; i++)
		if (!inside_another(user, i) &&
		    mountpoint_at(root, user[i].dst, user[i].is_dir) < 0)
			return -1;
	return read_only(root);
}

/* How a host path looks now: a kept root made from it is stale when this changes. */
static void stamp(struct buf *b, const char *path)
{
	struct stat st;
	long long f[8]; /* no padding: the digest sees exactly these */

	memset(f, 0, sizeof(f));
	if (lstat(path, &st) == 0) {
		f[0] = (long long)st.st_dev, f[1] = (long long)st.st_ino, f[2] = st.st_size;
		f[3] = st.st_mtim.tv_sec, f[4] = st.st_mtim.tv_nsec;
		f[5] = st.st_ctim.tv_sec, f[6] = st.st_ctim.tv_nsec, f[7] = st.st_mode;
	}
	buf_puts(b, path);
	buf_put(b, f, sizeof(f));
}

void nsroot_kept_key(const struct native_spec *s, uid_t uid, gid_t gid,
                     const struct nsroot_tree *user, size_t nuser, char out[SHA256_HEX])
{
	struct buf b = { 0 };
	char path[PATH_MAX];

	buf_printf(&b, "claw kept root 2\nuid %u gid %u pts %d\n", (unsigned)uid, (unsigned)gid,
	           (int)s->pts);
	for (size_t i = 0; i < NELEM(system_dirs); i++)
		stamp(&b, system_dirs[i]);
	stamp(&b, "/etc/passwd");
	stamp(&b, "/etc/group");
	for (size_t i = 0; i < NELEM(etc_allowed); i++)
		snprintf(path, sizeof(path), "/etc/%s", etc_allowed[i]), stamp(&b, path);
	for (size_t i = 0; s->network && i < NELEM(etc_network); i++)
		snprintf(path, sizeof(path), "/etc/%s", etc_network[i]), stamp(&b, path);
	for (size_t i = 0; i < s->netc; i++)
		snprintf(path, sizeof(path), "/etc/%s", s->etc[i]), stamp(&b, path);
	for (size_t i = 0; i < s->ntmpfs; i++)
		buf_printf(&b, "tmpfs %s\n", s->tmpfs[i]);
	for (size_t i = 0; i < nuser; i++)
		if (!inside_another(user, i))
			buf_printf(&b, "tree %s %d\n", user[i].dst, (int)user[i].is_dir);
	sha256_hex(b.p, b.len, out);
	buf_free(&b);
}

int nsroot_build_kept(const struct native_spec *s, uid_t uid, gid_t gid,
                      const struct nsroot_tree *user, size_t nuser, const char *at)
{
	int root = new_tmpfs("0755", 0, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);

	if (root < 0)
		return -1;
	int rc = syscall(SYS_move_mount, root, "", AT_FDCWD, at, MOVE_MOUNT_F_EMPTY_PATH) < 0
	             ? claw_fail("mount the new root: %s", strerror(errno))
	             : kept_tree(s, root, uid, gid, user, nuser);
	close(root);
	return rc;
}

int nsroot_dress(const struct native_spec *s, int root, struct nsroot_tree *scratch,
                 size_t nscratch, struct nsroot_tree *user, size_t nuser)
{
	int dev = -1, rc = -1;

	/* The skeleton's /dev is read-only: devpts, as shm, is this run's own. */
	if (s->pts) {
		if ((dev = openat(root, "dev", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return claw_fail("/dev: %s", strerror(errno));
		rc = mount_pts(dev);
		close(dev);
		if (rc < 0)
			return -1;
	}
	return build_runtime(root, scratch, nscratch, user, nuser);
}

bool nsroot_detached_mounts(void)
{
	int outer = new_tmpfs("0755", 0, 0), inner = -1;
	bool ok = outer >= 0 && mkdirat(outer, "d", 0755) == 0 &&
	          (inner = new_tmpfs("0755", 0, 0)) >= 0 &&
	          syscall(SYS_move_mount, inner, "", outer, "d", MOVE_MOUNT_F_EMPTY_PATH) == 0;

	if (inner >= 0)
		close(inner);
	if (outer >= 0)
		close(outer);
	return ok;
}

int nsroot_build(const struct native_spec *s, uid_t uid, gid_t gid, struct nsroot_tree *user,
                 size_t nuser, bool privileged, const char *attach_at, int *rootfd)
{
	/* The new root: an empty tmpfs: no /sys (threat 13), no host /run, no home, no
	 * docker.sock (threat 9). Writable (docker.readOnlyRoot false), it holds half the
	 * scratch budget (threat 23). */
	long long size = s->read_only_root ? 0 : limits_scratch_budget(s) - scratch_bytes(s);
	int root = new_tmpfs("0755", size, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);

	if (root < 0)
		return -1;
	if (attach_at &&
	    syscall(SYS_move_mount, root, "", AT_FDCWD, attach_at, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		int e = errno;
		close(root);
		return claw_fail("mount the new root: %s", strerror(e));
	}
	if (build_tree(s, root, uid, gid, user, nuser, privileged) < 0) {
		int e = errno;
		close(root);
		errno = e;
		return -1;
	}
	*rootfd = root;
	return 0;
}

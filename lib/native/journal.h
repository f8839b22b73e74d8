/*
 * journal.h: sandboxed runs that can be undone.
 *
 * A run's writable trees (the workspace, read-write binds) are shown to it
 * through an overlay: the tree itself is the lower layer, untouched while
 * the run lasts, and everything the run writes, replaces or deletes lands in
 * an upper layer (<state>/journal/layers/<hash of the tree>/upper, reused by
 * the tree's next run). When the run ends, claw-sandbox merges the upper
 * layer into the tree, and whatever that replaces or deletes is moved, not
 * lost, into the run's journal, <state>/journal/<id>/tN/old. Its
 * changes.jsonl says what changed, so `claw undo` can put every tree back as
 * it was before the run. A run that writes nothing leaves no journal. A run
 * cut short (claw-sandbox killed) leaves its writes in the layers: the next
 * run of the tree sees them and merges them.
 *
 * Why an overlay (measured in t/bench/trash): the run pays nothing for what
 * it leaves alone, and what it changes is copied once, on its first write;
 * the merge is a rename per changed name. Reflink copies would need btrfs
 * or xfs under the workspace, and a copy of the whole tree otherwise.
 *
 * Ownership: one struct journal_run per run, from journal_begin() to
 * journal_merge() or journal_discard(); journal_summary_free() frees what
 * merge reported.
 */
#ifndef CLAW_JOURNAL_H
#define CLAW_JOURNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define JOURNAL_MAX_TREES 16

struct journal_tree {
	char host[PATH_MAX];   /* the writable tree on the host */
	char layers[PATH_MAX]; /* its upper and work, for journal_overlay(): <root>/layers/<hash> */
	char upper[PATH_MAX];  /* where the run's writes land */
	char work[PATH_MAX];   /* overlayfs's work directory, beside it */
	int lock;              /* held on the layers while the run lasts */
	bool own;              /* layers of this run's own (another run held the tree's) */
};

struct journal_run {
	char id[48];         /* "<ms since 1970, 13 digits>-<8 hex>": sorts as the runs started */
	char root[PATH_MAX]; /* <state>/journal */
	char dir[PATH_MAX];  /* <state>/journal/<id>, made once the run changed something */
	char agent[64];
	struct journal_tree tree[JOURNAL_MAX_TREES];
	size_t ntrees;
};

/* One change a merge made to a tree. */
struct journal_change {
	char *path;         /* on the host */
	const char *change; /* "created", "replaced", "deleted", "quarantined" */
	bool dir;
	uint64_t bytes; /* of what is kept (the old), or of what was created */
};

struct journal_summary {
	struct journal_change *c;
	size_t n, cap;
	uint64_t kept;   /* bytes kept in the journal */
	bool incomplete; /* something could not be merged: it is still in the upper layer */
};

/*
 * Makes the journal of a new run of AGENT for the writable trees TREES
 * (host paths) under STATE_DIR. Returns 0, or -1 with claw_error() (the run
 * must not start: it would not be undoable).
 */
int journal_begin(const char *state_dir, const char *agent, const char *const *trees, size_t n,
                  struct journal_run *r);

/*
 * The run ended: its upper layers merged into the trees (see above). A name
 * of PROTECT (persistence paths: .git, .bashrc, ...) that the run made at
 * the top of a tree is not merged: it stays in the journal, "quarantined",
 * as the sandbox's persistence guard would have moved it aside. 0, or -1
 * (claw_error, SUM->incomplete). Either way SUM says what changed.
 */
struct native_protect;
int journal_merge(struct journal_run *r, const struct native_protect *protect, size_t nprotect,
                  struct journal_summary *sum);

/* The run never started (or its merge is done): its layers are let go. */
void journal_discard(struct journal_run *r);

void journal_summary_free(struct journal_summary *sum);

/* The result member's ,"journal":{"id","kept","changes":[{"path","change","dir","bytes"}]}. */
struct buf;
void journal_render(const struct journal_run *r, const struct journal_summary *sum, struct buf *b);

/* ---- the overlay (in the sandbox's set-up) ---- */

/*
 * The overlay a run sees instead of the tree LOWER (an O_PATH descriptor of
 * it): its upper and work directories are those in LAYERS (a journal_tree's
 * parent, tN). With IDMAP_NS (two user namespaces from journal_idmap_ns(),
 * or NULL) the tree is idmapped with the first, without root, and the layers
 * with the second, with root, first: what only root owns in the tree (the
 * persistence placeholders) stays out of the sandbox user's reach by
 * ownership (persist.c), as it is where the tree is shown as it is, while
 * overlayfs, as root, can still write its layers. Mounted detached, nosuid and nodev, with
 * overlayfs's userxattr (it works in a user namespace) and volatile (no sync
 * of the whole file system when the run's mounts go: the merge renames what
 * the run wrote, and a crash loses no more than it would without claw).
 * Returns the mount's descriptor, or -1 with claw_error().
 */
int journal_overlay(int lower, const char *layers, const int *idmap_ns);

/*
 * As root, where the sandbox runs as host ids of its own (limits.c): a user
 * namespace that maps the operator's INSIDE ids to the sandbox's HOST ids
 * (and with ROOT root to root), so that the overlay (whose copies up are
 * root's) and the run (as HOST) both write files the operator owns on disk.
 * With PIN_DIR (the installation's kept namespaces, nspin.h) it is kept
 * there between runs. Returns its descriptor, or -1 with claw_error().
 */
int journal_idmap_ns(uid_t inside, uid_t host, gid_t ginside, gid_t ghost, bool root,
                     const char *pin_dir);

/* TREE's (host path) entry in S's overlays, or NULL: the tree is shown as it is. */
struct native_spec;
const struct native_overlay *journal_overlay_of(const struct native_spec *s, const char *tree);

/* ---- later: undo and prune ---- */

enum journal_state {
	JOURNAL_GONE,     /* no such journal (pruned, or never made) */
	JOURNAL_UNDOABLE, /* merged, and kept */
	JOURNAL_UNDONE,   /* undone already */
	JOURNAL_OPEN,     /* not merged: its run still runs, or was cut short */
};

enum journal_state journal_state(const char *state_dir, const char *id);

/*
 * Puts the trees of run ID back as they were before it. Refused, with every
 * reason in OUT (one line each), where a later run changed the same paths or
 * a path is no longer as the run left it; FORCE goes ahead (what is in the
 * way is kept in the journal, not lost). What the run created is kept in the
 * journal too. Returns 0 (OUT: what was done), 1 (refused), or -1
 * (claw_error()).
 */
int journal_undo(const char *state_dir, const char *id, bool force, struct buf *out);

/*
 * Removes the journals of AGENT older than MAX_AGE_S (0: no age limit), then
 * the oldest until what they keep fits in BUDGET bytes. Their runs can no
 * longer be undone. Returns how many went, or -1.
 */
int journal_prune(const char *state_dir, const char *agent, uint64_t budget, double max_age_s);

#endif

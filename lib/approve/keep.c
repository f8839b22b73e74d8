/* keep.c: what the trash keeps of a host run (see keep.h). */
#include "approve/keep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "approve/analyse.h"
#include "approve/approve-types.h"
#include "core/alloc.h"
#include "core/util.h"
#include "core/trash.h"

static const char *const how_names[] = {
	[KEEP_MOVE] = "move",
	[KEEP_COPY] = "copy",
	[KEEP_GIT_CLEAN] = "git-clean",
	[KEEP_GIT_CHANGES] = "git-changes",
};

const char *keep_how_name(enum keep_how how)
{
	return how_names[how];
}

bool keep_how_parse(const char *name, enum keep_how *how)
{
	for (size_t i = 0; i < NELEM(how_names); i++)
		if (strcmp(name, how_names[i]) == 0) {
			*how = (enum keep_how)i;
			return true;
		}
	return false;
}

/* ---- the plan ---- */

static void fail(struct approve_result *res, struct keep_plan *plan, int seg, const char *why)
{
	struct seg_report *s = &res->segs[seg];

	if (plan->unrecoverable == NULL) {
		snprintf(plan->why, sizeof(plan->why), "%s", why);
		plan->unrecoverable = plan->why;
		plan->unrecoverable_seg = seg;
	}
	/* Whatever the allow list said: a person must see what cannot be brought back. */
	s->need = NEED_HUMAN;
	s->why = plan->why;
	s->asked = "not recoverable";
	s->satisfied = SAT_NONE;
	s->match = NULL;
}

static struct keep_step *add_step(struct keep_plan *plan, enum keep_how how, int seg,
                                  const char *path, bool watch)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->steps[i].how == how && plan->steps[i].watch == watch &&
		    strcmp(plan->steps[i].path, path) == 0)
			return &plan->steps[i];
	ALLOC_GROW(plan->steps, plan->n + 1, plan->cap);
	struct keep_step *k = &plan->steps[plan->n++];
	k->how = how;
	k->seg = seg;
	k->watch = watch;
	snprintf(k->path, sizeof(k->path), "%s", path);
	return k;
}

/* "A/B", or "" when it does not fit (which names nothing, so nothing is kept there). */
static void join(char *out, size_t size, const char *a, const char *b)
{
	if (snprintf(out, size, "%s/%s", a, b) >= (int)size)
		out[0] = '\0';
}

/* The directory a segment's relative path is relative to: the working directory, or -C's. */
static void path_dir(const struct approve_result *res, const struct model_path *p, char *out,
                     size_t size)
{
	if (p->base == NULL)
		snprintf(out, size, "%s", res->cwd);
	else if (p->base[0] == '/')
		snprintf(out, size, "%s", p->base);
	else
		join(out, size, res->cwd, p->base);
}

static bool unknown_place(const struct seg_report *s, const struct model_path *p)
{
	return s->after_cd && p->path[0] != '/' && (p->base == NULL || p->base[0] != '/');
}

/* Where a path of a segment leads, for comparing: as trash_victim() finds it, or as written. */
static void where_of(const struct approve_result *res, const struct model_path *p,
                     char out[PATH_MAX])
{
	char dir[PATH_MAX];

	path_dir(res, p, dir, sizeof(dir));
	out[0] = '\0';
	if (trash_victim(dir, p->path, out) < 0 || out[0] == '\0')
		join(out, PATH_MAX, dir, p->path);
}

static bool within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/' || strcmp(b, "/") == 0);
}

static bool overlap(const char *a, const char *b)
{
	return within(a, b) || within(b, a);
}

/* ---- what may run before a segment ---- */

static int parent_of(const struct approve_result *res, int i)
{
	return res->segs[i].parent;
}

static bool ancestor(const struct approve_result *res, int a, int of)
{
	for (int p = parent_of(res, of); p >= 0; p = parent_of(res, p))
		if (p == a)
			return true;
	return false;
}

/* True when segment J (after I) may run before I ends: it shares I's pipeline. */
static bool concurrent_after(const struct approve_result *res, int i, int j)
{
	int a = i, b = j;

	while (res->segs[a].depth > res->segs[b].depth)
		a = parent_of(res, a);
	while (res->segs[b].depth > res->segs[a].depth)
		b = parent_of(res, b);
	while (parent_of(res, a) != parent_of(res, b)) {
		a = parent_of(res, a);
		b = parent_of(res, b);
	}
	if (a == b)
		return true; /* one runs inside the other's shell */
	for (int k = a; k < b; k++)
		if (parent_of(res, k) == parent_of(res, a) && res->segs[k].op != SHELL_PIPE)
			return false;
	return true;
}

static bool may_run_first(const struct approve_result *res, int j, int i)
{
	if (j == i || ancestor(res, j, i))
		return false;
	return j < i || concurrent_after(res, i, j);
}

static bool has_children(const struct approve_result *res, int j)
{
	for (int k = j + 1; k < res->nsegs; k++)
		if (res->segs[k].parent == j)
			return true;
	return false;
}

/*
 * Programs that write no file whatever their arguments say (the analyser
 * lets no redirection through), when they are the system's own: a file of
 * that name in a system directory, root's, writable by nobody else.
 */
static const char *const readers[] = {
	"ls",  "cat",    "echo",  "printf",   "pwd",     "true",     "false",     "test",
	"[",   "head",   "tail",  "wc",       "stat",    "du",       "df",        "which",
	"id",  "whoami", "uname", "basename", "dirname", "realpath", "readlink",  "file",
	"cmp", "diff",   "nproc", "sleep",    "md5sum",  "sha1sum",  "sha256sum", "tree",
};

static bool system_reader(const struct seg_report *s)
{
	static const char *const dirs[] = { "/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/" };
	const char *real = s->file.real[0] ? s->file.real : s->file.path;
	const char *name = NULL;

	if (!s->file.found || s->file.st.st_uid != 0 || (s->file.st.st_mode & 022) != 0)
		return false;
	for (size_t i = 0; i < NELEM(dirs); i++)
		if (strncmp(real, dirs[i], strlen(dirs[i])) == 0 &&
		    strchr(real + strlen(dirs[i]), '/') == NULL)
			name = real + strlen(dirs[i]);
	for (size_t i = 0; name != NULL && i < NELEM(readers); i++)
		if (strcmp(name, readers[i]) == 0)
			return true;
	return false;
}

static bool moved_by_plan(const struct keep_plan *plan, const char *where)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->steps[i].how == KEEP_MOVE && !plan->steps[i].watch &&
		    within(where, plan->steps[i].path))
			return true;
	return false;
}

/*
 * NULL when segment J writes nothing at or below TARGET (or above it): then
 * what the plan keeps of TARGET is what was there before the command.
 * Otherwise why not.
 */
static const char *writes_into(const struct approve_result *res, const struct keep_plan *plan,
                               int j, const char *target)
{
	const struct seg_report *s = &res->segs[j];
	char where[PATH_MAX];

	if (has_children(res, j))
		return NULL; /* a shell whose script is judged segment by segment */
	if (s->satisfied == SAT_SAFE_BINS || s->satisfied == SAT_SAFE_BUILTINS ||
	    (s->model.verdict == MODEL_NONE && system_reader(s)))
		return NULL; /* a filter of its input, a builtin, a reader: no file is written */
	if (s->model.verdict == MODEL_NONE || !s->model.complete)
		return "a program claw has no model of runs before it and may write anything there";
	for (int k = 0; k < s->model.npaths; k++) {
		const struct model_path *p = &s->model.paths[k];
		switch (p->use) {
		case MODEL_READ:
			continue;
		case MODEL_SCRIPT:
		case MODEL_MODULE:
		case MODEL_STDIN:
			return "code that runs before it may write anything there";
		default:
			break;
		}
		if (unknown_place(s, p))
			return "a program before it writes relative to a directory a cd changed";
		where_of(res, p, where);
		if (!overlap(where, target))
			continue;
		if (p->use == MODEL_DELETE && moved_by_plan(plan, where))
			continue;
		return "a program before it writes there first (what it puts there would be lost)";
	}
	return NULL;
}

static void check_order(struct approve_result *res, struct keep_plan *plan)
{
	for (size_t k = 0; k < plan->n; k++) {
		const struct keep_step *step = &plan->steps[k];
		for (int j = 0; j < res->nsegs; j++) {
			if (!may_run_first(res, j, step->seg))
				continue;
			const char *why = writes_into(res, plan, j, step->path);
			if (why != NULL) {
				char text[PATH_MAX + 128];
				snprintf(text, sizeof(text), "%s: %s", step->path, why);
				fail(res, plan, step->seg, text);
				break;
			}
		}
	}
}

/* ---- one destroyed path ---- */

static void plan_named(struct approve_result *res, struct keep_plan *plan, int i,
                       const struct model_path *p, const struct keep_row *row)
{
	char dir[PATH_MAX], victim[PATH_MAX];
	struct trash_dir td;
	struct stat st;

	path_dir(res, p, dir, sizeof(dir));
	victim[0] = '\0';
	int rc = trash_victim(dir, p->path, victim);
	if (rc < 0 && row->how == KEEP_MOVE && strstr(claw_error(), "refuses") != NULL)
		return; /* . and ..: the program removes nothing */
	if (rc == 1) {
		/* Nothing there now; but what runs first must not put anything there. */
		if (victim[0] == '\0')
			join(victim, sizeof(victim), dir, p->path);
		add_step(plan, (enum keep_how)row->how, i, victim, true);
		return;
	}
	if (rc < 0) {
		fail(res, plan, i, claw_error());
		return;
	}
	/* rmdir, rm -d, unlink of a directory: only an empty one goes, or none. */
	if (row->how == KEEP_MOVE && !p->tree && lstat(victim, &st) == 0 && S_ISDIR(st.st_mode))
		return;
	if (trash_find(victim, &td) < 0) {
		fail(res, plan, i, claw_error());
		return;
	}
	add_step(plan, (enum keep_how)row->how, i, victim, false);
}

static void plan_git(struct approve_result *res, struct keep_plan *plan, int i,
                     const struct model_path *p, const struct keep_row *row)
{
	const struct seg_report *s = &res->segs[i];
	char dir[PATH_MAX];
	const char *name = strrchr(seg_argv(s)[0], '/');

	name = name != NULL ? name + 1 : seg_argv(s)[0];
	if (strcmp(name, "git") != 0 || s->model.sub_end < 2 || !s->file.found) {
		fail(res, plan, i,
		     "claw asks git what it loses only when the command is git itself");
		return;
	}
	path_dir(res, p, dir, sizeof(dir));
	add_step(plan, (enum keep_how)row->how, i, dir, false);
}

static void plan_path(struct approve_result *res, struct keep_plan *plan, int i,
                      const struct model_path *p)
{
	const struct seg_report *s = &res->segs[i];
	const struct keep_row *row =
	    keep_row_find(s->model.name, s->model.sub, p->use, p->implied, p->tree);

	char why[PATH_MAX + 128];

	if (p->recover == RECOVER_NEVER) {
		snprintf(why, sizeof(why), "%s (%s)", p->what, p->path);
		fail(res, plan, i, why);
		return;
	}
	if (row == NULL) {
		snprintf(why, sizeof(why), "claw cannot keep what %s removes or replaces (%s)",
		         s->model.name ? s->model.name : seg_argv(s)[0], p->path);
		fail(res, plan, i, why);
		return;
	}
	if (unknown_place(s, p)) {
		snprintf(why, sizeof(why), "%s is relative to a directory a cd changed", p->path);
		fail(res, plan, i, why);
		return;
	}
	if (row->how == KEEP_GIT_CLEAN || row->how == KEEP_GIT_CHANGES)
		plan_git(res, plan, i, p, row);
	else
		plan_named(res, plan, i, p, row);
}

void keep_plan(struct approve_result *res, struct keep_plan *plan)
{
	plan->n = 0;
	plan->unrecoverable = NULL;
	plan->unrecoverable_seg = -1;
	plan->why[0] = '\0';
	if (!plan->on || !res->analysis_ok)
		return;
	for (int i = 0; i < res->nsegs; i++) {
		const struct seg_report *s = &res->segs[i];
		for (int k = 0; k < s->model.npaths; k++) {
			const struct model_path *p = &s->model.paths[k];
			if (p->use == MODEL_DELETE || p->use == MODEL_OVERWRITE)
				plan_path(res, plan, i, p);
		}
	}
	check_order(res, plan);
}

void keep_plan_free(struct keep_plan *plan)
{
	free(plan->steps);
	plan->steps = NULL;
	plan->n = plan->cap = 0;
}

static void render_git(const struct seg_report *s, struct buf *b)
{
	char *const *argv = seg_argv(s);

	buf_puts(b, ",\"program\":");
	buf_json_str(b, s->file.path);
	buf_printf(b, ",\"subEnd\":%d,\"argv\":[", s->model.sub_end);
	for (int w = 0; w < seg_argc(s); w++) {
		if (w > 0)
			buf_putc(b, ',');
		buf_json_str(b, argv[w]);
	}
	buf_putc(b, ']');
}

void keep_plan_render(const struct approve_result *res, const struct keep_plan *plan, struct buf *b)
{
	bool first = true;

	buf_puts(b, ",\"trash\":{\"keep\":[");
	for (size_t i = 0; i < plan->n; i++) {
		const struct keep_step *k = &plan->steps[i];
		if (k->watch)
			continue;
		buf_puts(b, first ? "{\"how\":" : ",{\"how\":");
		first = false;
		buf_json_str(b, keep_how_name(k->how));
		buf_puts(b, ",\"path\":");
		buf_json_str(b, k->path);
		buf_printf(b, ",\"segment\":%d", k->seg);
		if (k->how == KEEP_GIT_CLEAN || k->how == KEEP_GIT_CHANGES)
			render_git(&res->segs[k->seg], b);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	if (plan->unrecoverable != NULL) {
		buf_puts(b, ",\"unrecoverable\":");
		buf_json_str(b, plan->unrecoverable);
	}
	buf_putc(b, '}');
}

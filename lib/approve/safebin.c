/* safebin.c: safe-bin profiles and their check (see safebin.h). */
#include "approve/safebin.h"

#include <stdlib.h>
#include <string.h>

#include "approve/risk.h"
#include "core/alloc.h"
#include "core/util.h"

/* OpenClaw 2026.9.6's SAFE_BIN_PROFILES. */
static const struct safebin_profile builtin_profiles[] = {
	{ "cut", -1, 0,
	  (const char *const[]){ "--bytes", "--characters", "--fields", "--delimiter",
	                         "--output-delimiter", "-b", "-c", "-f", "-d", NULL },
	  (const char *const[]){ "--complement", "--only-delimited", "--zero-terminated", "-n",
	                         "-s", "-z", NULL },
	  NULL },
	{ "uniq", -1, 0,
	  (const char *const[]){ "--skip-fields", "--skip-chars", "--check-chars", "--group", "-f",
	                         "-s", "-w", NULL },
	  (const char *const[]){ "--count", "--repeated", "--unique", "--ignore-case",
	                         "--zero-terminated", "-c", "-d", "-u", "-i", "-z", NULL },
	  NULL },
	{ "head", -1, 0, (const char *const[]){ "--lines", "--bytes", "-n", "-c", NULL },
	  (const char *const[]){ "--quiet", "--silent", "--verbose", "--zero-terminated", "-q",
	                         "-v", "-z", NULL },
	  NULL },
	/* tail -f never ends and follows files by name. */
	{ "tail", -1, 0,
	  (const char *const[]){ "--lines", "--bytes", "--sleep-interval", "--max-unchanged-stats",
	                         "--pid", "-n", "-c", NULL },
	  (const char *const[]){ "--quiet", "--silent", "--verbose", "--zero-terminated", "-q",
	                         "-v", "-z", NULL },
	  (const char *const[]){ "--follow", "--retry", "-F", "-f", NULL } },
	{ "tr", 1, 2, NULL,
	  (const char *const[]){ "--complement", "--delete", "--squeeze-repeats", "--truncate-set1",
	                         "-C", "-c", "-d", "-s", "-t", NULL },
	  NULL },
	/* wc --files0-from reads the names of files to open from a file. */
	{ "wc", -1, 0, NULL,
	  (const char *const[]){ "--bytes", "--chars", "--lines", "--max-line-length", "--words",
	                         "-L", "-c", "-l", "-m", "-w", NULL },
	  (const char *const[]){ "--files0-from", NULL } },
	/* Not in the default set. grep -r reads the whole tree, -f reads a file. */
	{ "grep", -1, 0,
	  (const char *const[]){ "--regexp", "--max-count", "--after-context", "--before-context",
	                         "--context", "--devices", "--binary-files", "--exclude",
	                         "--include", "--label", "-e", "-m", "-A", "-B", "-C", "-D", NULL },
	  NULL,
	  (const char *const[]){ "--file", "--exclude-from", "--dereference-recursive",
	                         "--directories", "--recursive", "-f", "-d", "-r", "-R", NULL } },
	/* Not in the default set. sort -o writes a file, --compress-program runs one. */
	{ "sort", -1, 0,
	  (const char *const[]){ "--key", "--field-separator", "--buffer-size", "--parallel",
	                         "--batch-size", "-k", "-t", "-S", NULL },
	  NULL,
	  (const char *const[]){ "--compress-program", "--files0-from", "--output",
	                         "--random-source", "--temporary-directory", "-T", "-o", NULL } },
};

/* Never safe bins, whatever the config says: their argument is a program. */
static const struct {
	const char *name, *reason;
} never_safe[] = {
	{ "jq", "jq programs read files and the environment (jq -n env)" },
	{ "awk", "awk programs run commands and write files" },
	{ "gawk", "awk programs run commands and write files" },
	{ "mawk", "awk programs run commands and write files" },
	{ "nawk", "awk programs run commands and write files" },
	{ "sed", "sed scripts run commands and write files" },
	{ "gsed", "sed scripts run commands and write files" },
};

/* OpenClaw's safe bins when tools.exec.safeBins is unset (catalog 3.3), and
 * where a safe bin must live unless safeBinTrustedDirs adds more. */
const char *const safebin_defaults[] = { "cut", "uniq", "head", "tail", "tr", "wc", NULL };
const char *const safebin_default_trusted[] = { "/bin", "/usr/bin", NULL };

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (; list != NULL && *list != NULL; list++)
		if (strlen(*list) == n && strncmp(*list, s, n) == 0)
			return true;
	return false;
}

/* ---- loading ---- */

static int string_array(const struct config *cfg, const cJSON *node, const char *what,
                        struct strvec *out)
{
	const cJSON *item;

	if (!cJSON_IsArray(node))
		return cfg_error(cfg, node, "%s must be an array of strings", what);
	cJSON_ArrayForEach(item, node)
	{
		if (!cJSON_IsString(item))
			return cfg_error(cfg, item, "%s must be an array of strings", what);
		strvec_push(out, item->valuestring);
	}
	return 0;
}

static int flag_list(const struct config *cfg, const cJSON *prof, const char *key,
                     const char *const **out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(prof, key);
	struct strvec v = { 0 };

	if (node == NULL)
		return 0;
	if (string_array(cfg, node, key, &v) < 0) {
		strvec_clear(&v);
		return -1;
	}
	*out = (const char *const *)strvec_detach(&v); /* even when empty, a list to free */
	return 0;
}

static void flag_list_free(const char *const *list)
{
	for (const char *const *s = list; s != NULL && *s != NULL; s++)
		free((void *)*s);
	free((void *)list);
}

static int bound(const struct config *cfg, const cJSON *prof, const char *key, int *out)
{
	double d;
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(prof, key);

	*out = -1;
	if (node == NULL)
		return 0;
	if (cfg_num(cfg, node, key, &d) < 0)
		return -1;
	if (d < 0 || d > 1000 || d != (double)(int)d)
		return cfg_error(cfg, node, "%s must be a whole number from 0 to 1000", key);
	*out = (int)d;
	return 0;
}

static int load_profiles(struct safebins *sb, const struct config *cfg, const cJSON *profiles)
{
	const cJSON *p;

	if (!cJSON_IsObject(profiles))
		return cfg_error(cfg, profiles, "tools.exec.safeBinProfiles must be an object");
	cJSON_ArrayForEach(p, profiles)
	{
		if (!cJSON_IsObject(p))
			return cfg_error(cfg, p, "a safe-bin profile must be an object");
		ALLOC_GROW(sb->custom, sb->ncustom + 1, sb->capcustom);
		struct safebin_profile *pr = &sb->custom[sb->ncustom++];
		memset(pr, 0, sizeof(*pr));
		pr->name = str_lower(xstrdup(p->string));
		if (bound(cfg, p, "minPositional", &pr->min_pos) < 0 ||
		    bound(cfg, p, "maxPositional", &pr->max_pos) < 0 ||
		    flag_list(cfg, p, "allowedValueFlags", &pr->value_flags) < 0 ||
		    flag_list(cfg, p, "allowedBooleanFlags", &pr->bool_flags) < 0 ||
		    flag_list(cfg, p, "deniedFlags", &pr->denied_flags) < 0)
			return -1;
	}
	return 0;
}

static const cJSON *pick(const cJSON *agent_exec, const cJSON *exec, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(agent_exec, key);
	return v != NULL ? v : cJSON_GetObjectItemCaseSensitive(exec, key);
}

static int load_trusted(struct safebins *sb, const struct config *cfg, const cJSON *dirs)
{
	struct strvec v = { 0 };

	for (const char *const *d = safebin_default_trusted; *d != NULL; d++)
		strvec_push(&sb->trusted, *d);
	if (dirs == NULL)
		return 0;
	if (string_array(cfg, dirs, "tools.exec.safeBinTrustedDirs", &v) < 0) {
		strvec_clear(&v);
		return -1;
	}
	for (size_t i = 0; i < v.n; i++) {
		char norm[PATH_MAX];
		if (v.v[i][0] != '/' || path_join("/", v.v[i], norm, sizeof(norm)) < 0) {
			cfg_warn(cfg, dirs,
			         "safeBinTrustedDirs: \"%s\" is not an absolute path; ignored",
			         v.v[i]);
			continue;
		}
		strvec_push(&sb->trusted, norm);
	}
	strvec_clear(&v);
	return 0;
}

int safebins_load(struct safebins *sb, const struct config *cfg, const cJSON *agent_exec,
                  const cJSON *exec)
{
	const cJSON *bins = pick(agent_exec, exec, "safeBins");
	const cJSON *profiles = pick(agent_exec, exec, "safeBinProfiles");

	memset(sb, 0, sizeof(*sb));
	if (bins == NULL) {
		for (const char *const *b = safebin_defaults; *b != NULL; b++)
			strvec_push(&sb->names, *b);
	} else {
		struct strvec v = { 0 };
		if (string_array(cfg, bins, "tools.exec.safeBins", &v) < 0) {
			strvec_clear(&v);
			return -1;
		}
		for (size_t i = 0; i < v.n; i++)
			strvec_push_nodup(&sb->names, str_lower(str_trim_dup(v.v[i])));
		strvec_clear(&v);
	}
	if (profiles != NULL && load_profiles(sb, cfg, profiles) < 0)
		return -1;
	return load_trusted(sb, cfg, pick(agent_exec, exec, "safeBinTrustedDirs"));
}

void safebins_free(struct safebins *sb)
{
	strvec_clear(&sb->names);
	strvec_clear(&sb->trusted);
	for (size_t i = 0; i < sb->ncustom; i++) {
		free((void *)sb->custom[i].name);
		flag_list_free(sb->custom[i].value_flags);
		flag_list_free(sb->custom[i].bool_flags);
		flag_list_free(sb->custom[i].denied_flags);
	}
	free(sb->custom);
	memset(sb, 0, sizeof(*sb));
}

/* ---- the check ---- */

static const struct safebin_profile *custom_of(const struct safebins *sb, const char *name)
{
	for (size_t i = 0; i < sb->ncustom; i++)
		if (strcmp(sb->custom[i].name, name) == 0)
			return &sb->custom[i];
	return NULL;
}

static const struct safebin_profile *profile_of(const struct safebins *sb, const char *name)
{
	if (custom_of(sb, name) != NULL)
		return custom_of(sb, name);
	for (size_t i = 0; i < NELEM(builtin_profiles); i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

bool safebin_trusted_dir(const struct safebins *sb, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash == path ? 1 : (size_t)(slash - path);

	for (size_t i = 0; i < sb->trusted.n; i++)
		if (strlen(sb->trusted.v[i]) == n && strncmp(sb->trusted.v[i], path, n) == 0)
			return true;
	return false;
}

/* An operand that names a file, or that a shell or the program might expand. */
static bool path_or_pattern(const char *a)
{
	return strchr(a, '/') != NULL || a[0] == '~' || strcmp(a, ".") == 0 ||
	       strcmp(a, "..") == 0 || strpbrk(a, "*?[") != NULL;
}

/* A long option: *i moves past its value. NULL when allowed. */
static const char *long_flag(const struct safebin_profile *p, char *const *argv, int argc, int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);

	if (in_list(p->denied_flags, a, n))
		return "a denied option";
	if (in_list(p->value_flags, a, n)) {
		if (eq == NULL && ++*i >= argc)
			return "an option without its value";
		return NULL;
	}
	if (eq == NULL && in_list(p->bool_flags, a, n))
		return NULL;
	return "a long option the profile does not list";
}

static const char *short_flags(const struct safebin_profile *p, char *const *argv, int argc, int *i)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k] != '\0'; k++) {
		char f[3] = { '-', a[k], '\0' };
		if (in_list(p->denied_flags, f, 2))
			return "a denied option";
		if (in_list(p->value_flags, f, 2)) {
			if (a[k + 1] == '\0' && ++*i >= argc)
				return "an option without its value";
			return NULL;
		}
		if (!in_list(p->bool_flags, f, 2))
			return "an option the profile does not list";
	}
	return NULL;
}

static const char *check_argv(const struct safebin_profile *p, char *const *argv, int argc)
{
	int operands = 0;
	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *why = NULL;
		if (options && strcmp(a, "--") == 0) {
			options = false;
			continue;
		}
		if (options && a[0] == '-' && a[1] != '\0')
			why = a[1] == '-' ? long_flag(p, argv, argc, &i)
			                  : short_flags(p, argv, argc, &i);
		else if (path_or_pattern(a))
			why = "an operand that looks like a path or a pattern";
		else
			operands++;
		if (why != NULL)
			return why;
	}
	if (p->max_pos >= 0 && operands > p->max_pos)
		return "more operands than the profile allows (files are not read, only input)";
	if (p->min_pos >= 0 && operands < p->min_pos)
		return "fewer operands than the profile needs";
	return NULL;
}

const char *safebin_never_safe(const char *name)
{
	for (size_t i = 0; i < NELEM(never_safe); i++)
		if (strcmp(never_safe[i].name, name) == 0)
			return never_safe[i].reason;
	return NULL;
}

bool safebin_has_custom_profile(const struct safebins *sb, const char *name)
{
	return custom_of(sb, name) != NULL;
}

const char *safebin_check(const struct safebins *sb, const char *name, const struct exec_file *f,
                          char *const *argv, int argc)
{
	if (!strvec_has(&sb->names, name))
		return "not a safe bin";
	const char *never = safebin_never_safe(name);
	if (never != NULL)
		return never;
	if (risk_interpreter(name))
		return "an interpreter is never a safe bin";
	if (!f->found || !safebin_trusted_dir(sb, f->path))
		return "safe bin outside the trusted directories (a same-named program on PATH?)";
	const struct safebin_profile *p = profile_of(sb, name);
	if (p == NULL)
		return "safe bin without a profile (tools.exec.safeBinProfiles)";
	return check_argv(p, argv, argc);
}

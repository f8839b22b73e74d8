/*
 * t/fakedocker: a recording stand-in for docker and podman, for the tests.
 *
 * Every call is appended to $FAKEDOCKER_LOG as one JSON array (the argv, argv[0]
 * as invoked: "docker" or "podman"), and when $FAKEDOCKER_ENVLOG is set, its
 * DOCKER_HOST and CONTAINER_HOST to that file. The engine's state is the JSON file
 * $FAKEDOCKER_STATE, which a test writes as its fixture and which create, start
 * and rm change as a real engine would:
 *
 *     {"images": ["openclaw-sandbox:bookworm-slim"],
 *      "containers": {"NAME": {"running": true, "image": "...", "labels": {...},
 *                              "mounts": [["host", "container"], ...]}},
 *      "down": false,                 every call fails: the engine is unreachable
 *      "fail": {"create": "message"}} that subcommand fails with this message
 *
 * exec runs the command on the host (there is no container), with only the -e
 * variables and a default PATH, in the host directory mounted at -w when there
 * is one, and exits as docker exec does: the command's status, 128+N when a
 * signal N ended it. The options each subcommand takes are the real ones, and an
 * unknown option is refused as docker refuses it, so an argv that would not
 * parse fails here too.
 *
 * It is C because the docker tests call it a few hundred times: an interpreter's
 * start-up was most of their time.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *prog;
static const char *state_path;

static void fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static char *env_or_die(const char *name)
{
	char *v = getenv(name);
	if (!v)
		fail(125, "fakedocker: %s is not set", name);
	return v;
}

static void append_line(const char *path, const char *line)
{
	FILE *f = fopen(path, "a");
	if (!f)
		fail(125, "fakedocker: %s: %s", path, strerror(errno));
	fprintf(f, "%s\n", line);
	fclose(f);
}

/* One JSON string, as Python's json.dumps writes it for these tests. */
static void put_json_string(FILE *f, const char *s)
{
	char *q = cJSON_PrintUnformatted(cJSON_CreateString(s));
	fputs(q, f);
	free(q);
}

static void log_call(int argc, char **argv)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString(prog));
	for (int i = 1; i < argc; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
	char *line = cJSON_PrintUnformatted(a);
	append_line(env_or_die("FAKEDOCKER_LOG"), line);
	free(line);
	cJSON_Delete(a);

	/* Where the client was told to find the engine, one line a call, when a test asks. */
	const char *envlog = getenv("FAKEDOCKER_ENVLOG");
	if (envlog && *envlog) {
		FILE *f = fopen(envlog, "a");
		if (!f)
			fail(125, "fakedocker: %s: %s", envlog, strerror(errno));
		const char *names[] = { "DOCKER_HOST", "CONTAINER_HOST" };
		fputc('{', f);
		for (int i = 0; i < 2; i++) {
			const char *v = getenv(names[i]);
			fprintf(f, "%s\"%s\": ", i ? ", " : "", names[i]);
			if (v)
				put_json_string(f, v);
			else
				fputs("null", f);
		}
		fputs("}\n", f);
		fclose(f);
	}
}

static cJSON *load(void)
{
	FILE *f = fopen(state_path, "r");
	if (!f)
		fail(125, "fakedocker: %s: %s", state_path, strerror(errno));
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	cJSON *state = cJSON_Parse(text);
	free(text);
	if (!state)
		fail(125, "fakedocker: %s is not JSON", state_path);
	return state;
}

static void save(cJSON *state)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", state_path);
	char *text = cJSON_Print(state);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
		fail(125, "fakedocker: cannot write %s", tmp);
	free(text);
	if (rename(tmp, state_path) != 0)
		fail(125, "fakedocker: rename %s: %s", tmp, strerror(errno));
}

static bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

/* An option as docker's parser leaves it: the name and its value (NULL for a flag). */
struct opt {
	const char *name, *value;
};

/* Splits leading options from the rest, as docker's parser does: returns the
 * index of the first argument that is not an option. */
static int options(int argc, char **argv, const char *const *with_value, const char *const *flags,
                   const char *what, struct opt *opts, int *nopts)
{
	int i = 0;
	*nopts = 0;
	while (i < argc && argv[i][0] == '-') {
		if (in_list(argv[i], flags)) {
			opts[(*nopts)++] = (struct opt){ argv[i], NULL };
			i++;
		} else if (in_list(argv[i], with_value) && i + 1 < argc) {
			opts[(*nopts)++] = (struct opt){ argv[i], argv[i + 1] };
			i += 2;
		} else {
			fail(125, "unknown flag: %s\nSee '%s %s --help'.", argv[i], prog, what);
		}
	}
	return i;
}

static cJSON *containers(cJSON *state)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(state, "containers");
	if (!cJSON_IsObject(c))
		fail(125, "fakedocker: the state has no containers object");
	return c;
}

static bool has_image(cJSON *state, const char *image)
{
	const cJSON *i;
	cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(state, "images"))
	{
		if (cJSON_IsString(i) && strcmp(i->valuestring, image) == 0)
			return true;
	}
	return false;
}

static bool running(const cJSON *c)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "running"));
}

static void cmd_inspect(cJSON *state, int argc, char **argv)
{
	static const char *const value[] = { "--type", "-f", "--format", NULL };
	static const char *const none[] = { NULL };
	struct opt opts[64];
	int nopts;
	int i = options(argc, argv, value, none, "inspect", opts, &nopts);
	cJSON *out = cJSON_CreateArray();
	for (; i < argc; i++) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(containers(state), argv[i]);
		if (!c) {
			puts("[]");
			fail(1, "Error: No such container: %s", argv[i]);
		}
		char name[4096];
		snprintf(name, sizeof name, "%s%s", strcmp(prog, "podman") == 0 ? "" : "/",
		         argv[i]);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(
		    e, "Id", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
		cJSON_AddStringToObject(e, "Name", name);
		cJSON *st = cJSON_AddObjectToObject(e, "State");
		cJSON_AddBoolToObject(st, "Running", running(c));
		cJSON_AddStringToObject(st, "Status", running(c) ? "running" : "exited");
		cJSON *cfg = cJSON_AddObjectToObject(e, "Config");
		const cJSON *image = cJSON_GetObjectItemCaseSensitive(c, "image");
		cJSON_AddStringToObject(cfg, "Image",
		                        cJSON_IsString(image) ? image->valuestring : "");
		const cJSON *labels = cJSON_GetObjectItemCaseSensitive(c, "labels");
		if (cJSON_IsObject(labels) && labels->child)
			cJSON_AddItemToObject(cfg, "Labels", cJSON_Duplicate(labels, true));
		else
			cJSON_AddNullToObject(cfg, "Labels");
		cJSON_AddItemToArray(out, e);
	}
	char *text = cJSON_Print(out);
	puts(text);
	free(text);
}

static void cmd_image(cJSON *state, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "inspect") != 0)
		fail(125, "fakedocker: unexpected image call");
	if (!has_image(state, argv[1])) {
		puts("[]");
		fail(1, "Error response from daemon: No such image: %s", argv[1]);
	}
	printf("[{\"Id\": \"sha256:%s\", \"RepoTags\": [",
	       "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
	put_json_string(stdout, argv[1]);
	puts("]}]");
}

/* A --filter label=K=V holds for C. */
static bool filter_holds(const cJSON *c, const char *f)
{
	if (strncmp(f, "label=", 6) != 0 || !strchr(f + 6, '='))
		return false;
	const char *eq = strchr(f + 6, '=');
	char key[4096];
	snprintf(key, sizeof key, "%.*s", (int)(eq - f - 6), f + 6);
	const cJSON *v =
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "labels"), key);
	return cJSON_IsString(v) && strcmp(v->valuestring, eq + 1) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void cmd_ps(cJSON *state, int argc, char **argv)
{
	static const char *const value[] = { "--filter", "--format", NULL };
	static const char *const flags[] = { "-a", NULL };
	struct opt opts[64];
	int nopts;
	options(argc, argv, value, flags, "ps", opts, &nopts);
	const char *names[1024];
	size_t n = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, containers(state))
	{
		bool all = true;
		for (int i = 0; i < nopts; i++)
			if (strcmp(opts[i].name, "--filter") == 0 &&
			    !filter_holds(c, opts[i].value))
				all = false;
		if (all && n < 1024)
			names[n++] = c->string;
	}
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++)
		puts(names[i]);
}

static bool valid_name(const char *s)
{
	static const char tail[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
	if (!*s || !strchr(tail, *s) || *s == '_' || *s == '.' || *s == '-')
		return false;
	return strspn(s, tail) == strlen(s);
}

static void cmd_create(cJSON *state, int argc, char **argv)
{
	static const char *const value[] = { "--name",
		                             "--label",
		                             "--tmpfs",
		                             "--network",
		                             "--user",
		                             "--env",
		                             "--cap-drop",
		                             "--security-opt",
		                             "--dns",
		                             "--add-host",
		                             "--pids-limit",
		                             "--memory",
		                             "--memory-swap",
		                             "--cpus",
		                             "--ulimit",
		                             "--workdir",
		                             "-v",
		                             NULL };
	static const char *const flags[] = { "--read-only", NULL };
	struct opt opts[256];
	int nopts;
	int rest = options(argc, argv, value, flags, "create", opts, &nopts);
	const char *name = NULL;
	for (int i = 0; i < nopts; i++)
		if (strcmp(opts[i].name, "--name") == 0)
			name = opts[i].value;
	if (!name)
		fail(125, "fakedocker: create without --name");
	if (!valid_name(name))
		fail(125, "Error response from daemon: Invalid container name (%s)", name);
	if (cJSON_GetObjectItemCaseSensitive(containers(state), name))
		fail(125,
		     "Error response from daemon: Conflict. The container name \"/%s\" is already "
		     "in use",
		     name);
	if (rest >= argc || !has_image(state, argv[rest]))
		fail(125, "Unable to find image '%s' locally", rest < argc ? argv[rest] : "");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddFalseToObject(c, "running");
	cJSON_AddStringToObject(c, "image", argv[rest]);
	cJSON *labels = cJSON_AddObjectToObject(c, "labels");
	cJSON *mounts = cJSON_AddArrayToObject(c, "mounts");
	for (int i = 0; i < nopts; i++) {
		const char *v = opts[i].value;
		if (strcmp(opts[i].name, "--label") == 0) {
			const char *eq = strchr(v, '=');
			if (!eq)
				fail(125, "fakedocker: --label %s has no '='", v);
			char key[4096];
			snprintf(key, sizeof key, "%.*s", (int)(eq - v), v);
			cJSON_DeleteItemFromObjectCaseSensitive(labels, key);
			cJSON_AddStringToObject(labels, key, eq + 1);
		} else if (strcmp(opts[i].name, "-v") == 0) {
			/* host:container[:mode]: the first two parts. */
			const char *c1 = strchr(v, ':');
			cJSON *pair = cJSON_CreateArray();
			if (c1) {
				const char *c2 = strchr(c1 + 1, ':');
				char *host = strndup(v, (size_t)(c1 - v));
				char *dst =
				    c2 ? strndup(c1 + 1, (size_t)(c2 - c1 - 1)) : strdup(c1 + 1);
				cJSON_AddItemToArray(pair, cJSON_CreateString(host));
				cJSON_AddItemToArray(pair, cJSON_CreateString(dst));
				free(host);
				free(dst);
			} else {
				cJSON_AddItemToArray(pair, cJSON_CreateString(v));
			}
			cJSON_AddItemToArray(mounts, pair);
		}
	}
	cJSON_AddItemToObject(containers(state), name, c);
	save(state);
	puts("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
}

static void cmd_start(cJSON *state, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		cJSON *c = cJSON_GetObjectItemCaseSensitive(containers(state), argv[i]);
		if (!c)
			fail(1, "Error response from daemon: No such container: %s", argv[i]);
		cJSON_ReplaceItemInObjectCaseSensitive(c, "running", cJSON_CreateTrue());
	}
	save(state);
	for (int i = 0; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? "\n" : "");
	putchar('\n');
}

static void cmd_rm(cJSON *state, int argc, char **argv)
{
	static const char *const none[] = { NULL };
	static const char *const flags[] = { "-f", NULL };
	struct opt opts[64];
	int nopts;
	int i0 = options(argc, argv, none, flags, "rm", opts, &nopts);
	for (int i = i0; i < argc; i++) {
		if (!cJSON_GetObjectItemCaseSensitive(containers(state), argv[i]))
			fail(1, "Error response from daemon: No such container: %s", argv[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(containers(state), argv[i]);
	}
	save(state);
	for (int i = i0; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? "\n" : "");
	putchar('\n');
}

/* The host directory mounted at WORKDIR in container C, if any. */
static char *host_dir(const cJSON *c, const char *workdir)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "mounts"))
	{
		const cJSON *src = cJSON_GetArrayItem(m, 0), *dst = cJSON_GetArrayItem(m, 1);
		if (!cJSON_IsString(src) || !cJSON_IsString(dst))
			continue;
		size_t n = strlen(dst->valuestring);
		while (n > 0 && dst->valuestring[n - 1] == '/')
			n--;
		bool same = strcmp(workdir, dst->valuestring) == 0;
		bool under = strncmp(workdir, dst->valuestring, n) == 0 && workdir[n] == '/';
		if (!same && !under)
			continue;
		size_t skip = same ? strlen(dst->valuestring) : n;
		char *path = NULL;
		if (asprintf(&path, "%s%s", src->valuestring, workdir + skip) < 0)
			fail(125, "fakedocker: out of memory");
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return path;
		free(path);
	}
	return NULL;
}

static void cmd_exec(cJSON *state, int argc, char **argv)
{
	static const char *const value[] = { "-w", "-e", "-u", NULL };
	static const char *const flags[] = { "-i", "-t", "-d", NULL };
	struct opt opts[256];
	int nopts;
	int rest = options(argc, argv, value, flags, "exec", opts, &nopts);
	if (argc - rest < 2)
		fail(1, "\"%s exec\" requires at least 2 arguments.", prog);
	const char *name = argv[rest];
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(containers(state), name);
	if (!c)
		fail(1, "Error response from daemon: No such container: %s", name);
	if (!running(c))
		fail(1, "Error response from daemon: container %s is not running", name);
	/* Only the -e variables and a default PATH; a later -e of a name wins. */
	char **env = calloc((size_t)nopts + 2, sizeof *env);
	size_t nenv = 0;
	env[nenv++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	const char *workdir = NULL;
	for (int i = 0; i < nopts; i++) {
		if (strcmp(opts[i].name, "-w") == 0)
			workdir = opts[i].value;
		if (strcmp(opts[i].name, "-e") != 0)
			continue;
		const char *eq = strchr(opts[i].value, '=');
		if (!eq)
			fail(125, "fakedocker: -e %s would copy the client's variable",
			     opts[i].value);
		size_t klen = (size_t)(eq - opts[i].value) + 1;
		size_t j = 0;
		while (j < nenv && strncmp(env[j], opts[i].value, klen) != 0)
			j++;
		env[j] = (char *)opts[i].value;
		if (j == nenv)
			nenv++;
	}
	char *cwd = workdir ? host_dir(c, workdir) : NULL;
	const char *dir = cwd ? cwd : getenv("BATS_TEST_TMPDIR") ? getenv("BATS_TEST_TMPDIR") : "/";
	char **cmd = argv + rest + 1;
	pid_t pid = fork();
	if (pid < 0)
		fail(125, "fakedocker: fork: %s", strerror(errno));
	if (pid == 0) {
		if (chdir(dir) != 0)
			fail(125, "fakedocker: chdir %s: %s", dir, strerror(errno));
		/* argv[0] is looked up on the container's PATH, not the test's. */
		setenv("PATH", env[0] + 5, 1);
		execvpe(cmd[0], cmd, env);
		fail(127,
		     "OCI runtime exec failed: exec failed: unable to start container process: "
		     "exec: \"%s\": executable file not found in $PATH: unknown",
		     cmd[0]);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail(125, "fakedocker: waitpid: %s", strerror(errno));
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

struct command {
	const char *name;
	void (*fn)(cJSON *state, int argc, char **argv);
};

static const struct command commands[] = {
	{ "inspect", cmd_inspect }, { "image", cmd_image }, { "ps", cmd_ps },
	{ "create", cmd_create },   { "start", cmd_start }, { "rm", cmd_rm },
	{ "exec", cmd_exec },
};

int main(int argc, char **argv)
{
	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	state_path = env_or_die("FAKEDOCKER_STATE");
	log_call(argc, argv);
	const struct command *cmd = NULL;
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		cJSON *a = cJSON_CreateArray();
		for (int i = 1; i < argc; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
		fail(125, "fakedocker: unexpected call %s", cJSON_PrintUnformatted(a));
	}
	char lockpath[4096];
	snprintf(lockpath, sizeof lockpath, "%s.lock", state_path);
	int lock = open(lockpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) != 0)
		fail(125, "fakedocker: %s: %s", lockpath, strerror(errno));
	cJSON *state = load();
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(state, "down")))
		fail(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
		        "Is the docker daemon running?");
	const cJSON *message = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(state, "fail"), argv[1]);
	if (cJSON_IsString(message) && *message->valuestring)
		fail(125, "%s", message->valuestring);
	if (cmd->fn != cmd_exec) {
		cmd->fn(state, argc - 2, argv + 2);
		return 0;
	}
	close(lock); /* without the lock: a command may run for long */
	cmd_exec(state, argc - 2, argv + 2);
}

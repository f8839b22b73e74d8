/*
 * record.c: the record loop every filter shares.
 *
 * Read JSON Lines, check each line strictly (UTF-8, JSON, an object, no
 * duplicate members, no NUL hidden in a string), hand it to the stage, and
 * write it out with the stage's members added. The input bytes are copied
 * through as they came: a stage adds members, it never re-serialises what
 * others wrote (numbers, spacing, member order all survive). Only when the
 * input already carries a member the stage owns (a forged "approval", say) is
 * that member cut out.
 *
 * Memory per record is bounded by the record: cJSON allocates from an arena
 * that is reset after each line, and lines longer than the limit are skipped
 * without being held.
 */
#include "core/record.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jsonparse.h"

const char *record_stage_name = "claw";

/* ---- arena for cJSON ---- */

#define ARENA_CHUNK ((size_t)1024 * 1024)

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

static struct chunk *arena_head;

static void *arena_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (arena_head == NULL || arena_head->size - arena_head->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct chunk *c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->next = arena_head;
		c->size = size;
		c->used = 0;
		arena_head = c;
	}
	void *p = arena_head->data + arena_head->used;
	arena_head->used += n;
	return p;
}

static bool in_arena(const void *p)
{
	for (const struct chunk *c = arena_head; c != NULL; c = c->next)
		if ((const unsigned char *)p >= c->data &&
		    (const unsigned char *)p < c->data + c->size)
			return true;
	return false;
}

/* Arena memory goes at once in arena_reset(); anything else is a real free. */
static void arena_free(void *p)
{
	if (p != NULL && !in_arena(p))
		free(p);
}

/* Keeps one chunk, so a steady stream allocates nothing. */
static void arena_reset(void)
{
	while (arena_head != NULL && arena_head->next != NULL) {
		struct chunk *c = arena_head;
		arena_head = c->next;
		free(c);
	}
	if (arena_head != NULL)
		arena_head->used = 0;
}

static void arena_on(void)
{
	cJSON_Hooks hooks = { arena_alloc, arena_free };
	cJSON_InitHooks(&hooks);
}

static void arena_off(void)
{
	cJSON_InitHooks(NULL);
	arena_reset();
	free(arena_head);
	arena_head = NULL;
}

static void *heap_alloc(size_t n)
{
	return malloc(n);
}

void record_arena_pause(void)
{
	cJSON_Hooks hooks = { heap_alloc, arena_free };
	cJSON_InitHooks(&hooks);
}

void record_arena_resume(void)
{
	arena_on();
}

/* ---- output ---- */

struct out {
	int fd;
	bool drain; /* record_opts.drain */
	struct buf b;
};

bool record_output_closed;

static void out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->b.len && !record_output_closed) {
		ssize_t n = write(o->fd, o->b.p + off, o->b.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE && o->drain)
			record_output_closed = true; /* the reader is gone; the input goes on */
		else if (n < 0)
			err(2, "write");
		else
			off += (size_t)n;
	}
	buf_reset(&o->b);
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* End of the JSON value at p (already validated by cJSON). */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;
	bool in_string = false;

	for (; p < end; p++) {
		char c = *p;
		if (in_string) {
			if (c == '\\')
				p++;
			else if (c == '"') {
				in_string = false;
				if (depth == 0)
					return p + 1;
			}
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 &&
		           (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
			return p;
		}
	}
	return p;
}

static bool is_added(const struct record *rec, const char *name)
{
	for (unsigned i = 0; i < rec->nadd; i++)
		if (str_eq(rec->add[i].name, name))
			return true;
	return false;
}

static bool needs_cut(const struct record *rec)
{
	for (const cJSON *c = rec->root->child; c != NULL; c = c->next)
		if (is_added(rec, c->string))
			return true;
	return false;
}

static void put_added(const struct record *rec, struct buf *b, bool comma)
{
	for (unsigned i = 0; i < rec->nadd; i++) {
		if (comma || i > 0)
			buf_putc(b, ',');
		buf_json_str(b, rec->add[i].name);
		buf_putc(b, ':');
		buf_put(b, rec->vals.p + rec->add[i].off, rec->add[i].len);
	}
}

/* Slow path: rebuild the object from the members kept, in their own bytes.
 * The scanner walks members in document order, as cJSON's children are. */
static void render_cut(const struct record *rec, struct buf *b)
{
	const char *p = rec->raw, *end = rec->raw + rec->rawlen;
	const cJSON *child = rec->root->child;
	bool any = false;

	p = skip_ws(p, end) + 1; /* '{' */
	buf_putc(b, '{');
	for (; child != NULL; child = child->next) {
		p = skip_ws(p, end);
		if (*p == ',')
			p = skip_ws(p + 1, end);
		const char *start = p;
		p = skip_value(p, end);  /* the key */
		p = skip_ws(p, end) + 1; /* ':' */
		p = skip_value(skip_ws(p, end), end);
		if (is_added(rec, child->string))
			continue;
		if (any)
			buf_putc(b, ',');
		buf_put(b, start, (size_t)(p - start));
		any = true;
	}
	put_added(rec, b, any);
	buf_putc(b, '}');
}

void record_render(const struct record *rec, struct buf *b)
{
	if (rec->nadd == 0) {
		buf_put(b, rec->raw, rec->rawlen);
		return;
	}
	if (needs_cut(rec)) {
		render_cut(rec, b);
		return;
	}
	/* Fast path: the line up to its closing brace, the new members, the brace. */
	const char *close = rec->raw + rec->rawlen;
	while (close > rec->raw && close[-1] != '}')
		close--;
	buf_put(b, rec->raw, (size_t)(close - 1 - rec->raw));
	put_added(rec, b, rec->root->child != NULL);
	buf_putc(b, '}');
}

/* ---- members ---- */

static void add_member(struct record *rec, const char *name, const char *json, size_t len)
{
	for (unsigned i = 0; i < rec->nadd; i++) {
		if (strcmp(rec->add[i].name, name) == 0) {
			/* Replacing: the old text stays in vals, unreferenced. */
			rec->add[i].off = rec->vals.len;
			rec->add[i].len = len;
			buf_put(&rec->vals, json, len);
			return;
		}
	}
	if (rec->nadd == RECORD_MAX_MEMBERS)
		errx(2, "internal error: too many members added to one record");
	rec->add[rec->nadd].name = name;
	rec->add[rec->nadd].off = rec->vals.len;
	rec->add[rec->nadd].len = len;
	rec->nadd++;
	buf_put(&rec->vals, json, len);
}

void record_add_raw(struct record *rec, const char *name, const char *json, size_t len)
{
	add_member(rec, name, json, len);
}

void record_add(struct record *rec, const char *name, const cJSON *value)
{
	char *text = cJSON_PrintUnformatted(value);

	if (text == NULL)
		errx(125, "out of memory");
	add_member(rec, name, text, strlen(text));
	cJSON_free(text);
}

void record_add_string(struct record *rec, const char *name, const char *s)
{
	struct buf b = { 0 };

	buf_json_str(&b, s);
	add_member(rec, name, b.p, b.len);
	buf_free(&b);
}

void record_deny(struct record *rec, const char *reason)
{
	struct buf b = { 0 };

	buf_puts(&b, "{\"by\":");
	buf_json_str(&b, record_stage_name);
	buf_puts(&b, ",\"reason\":");
	buf_json_str(&b, reason);
	buf_putc(&b, '}');
	add_member(rec, "deny", b.p, b.len);
	buf_free(&b);
	rec->denied = true;
}

/* ---- typed access ---- */

static int wrong_type(const char *name, const char *type)
{
	return claw_fail("member \"%s\" must be %s", name, type);
}

void rec_pick(const cJSON *obj, const char *const *names, const cJSON **out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	for (const cJSON *c = obj ? obj->child : NULL; c != NULL; c = c->next)
		for (size_t i = 0; i < n; i++)
			if (str_eq(c->string, names[i])) {
				out[i] = c;
				break;
			}
}

/* cJSON's type tests and lookups, inline: they are calls into the shared
 * library otherwise, a dozen a record. A record has each name once. */
static inline int type_of(const cJSON *v)
{
	return v->type & 0xff;
}

static const cJSON *member(const cJSON *obj, const char *name)
{
	for (const cJSON *c = obj != NULL ? obj->child : NULL; c != NULL; c = c->next)
		if (c->string != NULL && str_eq(c->string, name))
			return c;
	return NULL;
}

int rec_str(const cJSON *v, const char *name, const char **out)
{
	if (v == NULL || type_of(v) == cJSON_NULL)
		return 0;
	if (type_of(v) != cJSON_String)
		return wrong_type(name, "a string");
	*out = v->valuestring;
	return 0;
}

int rec_obj(const cJSON *v, const char *name, const cJSON **out)
{
	if (v == NULL || type_of(v) == cJSON_NULL)
		return 0;
	if (type_of(v) != cJSON_Object)
		return wrong_type(name, "an object");
	*out = v;
	return 0;
}

int rec_bool(const cJSON *v, const char *name, int *out)
{
	if (v == NULL || type_of(v) == cJSON_NULL)
		return 0;
	if (type_of(v) != cJSON_True && type_of(v) != cJSON_False)
		return wrong_type(name, "true or false");
	*out = type_of(v) == cJSON_True;
	return 0;
}

int rec_id(const cJSON *v, const char *name, char *buf, size_t size, const char **out)
{
	if (v == NULL || type_of(v) == cJSON_NULL)
		return 0;
	if (type_of(v) == cJSON_String) {
		*out = v->valuestring;
		return 0;
	}
	/* Chat ids arrive as numbers from some APIs; only whole ones are ids. */
	if (type_of(v) == cJSON_Number && v->valuedouble == (double)(long long)v->valuedouble &&
	    v->valuedouble < 9007199254740992.0 && v->valuedouble > -9007199254740992.0) {
		snprintf(buf, size, "%lld", (long long)v->valuedouble);
		*out = buf;
		return 0;
	}
	return wrong_type(name, "a string or a whole number");
}

int rec_get_str(const cJSON *obj, const char *name, const char **out)
{
	return rec_str(member(obj, name), name, out);
}

int rec_get_obj(const cJSON *obj, const char *name, const cJSON **out)
{
	return rec_obj(member(obj, name), name, out);
}

int rec_get_bool(const cJSON *obj, const char *name, int *out)
{
	return rec_bool(member(obj, name), name, out);
}

const char *rec_str_member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int rec_get_id(const cJSON *obj, const char *name, char *buf, size_t size, const char **out)
{
	return rec_id(member(obj, name), name, buf, size, out);
}

/* ---- the loop ---- */

struct loop {
	const struct stage *stage;
	struct out out;
	struct record rec;
	int status;
	bool in_error; /* handling an error record the loop made */
};

static void one_line(struct loop *l, char *line, size_t len, unsigned long lineno);

static void write_error(struct loop *l, unsigned long line, const char *id, const char *message)
{
	struct buf b = { 0 };

	warnx("line %lu: %s", line, message);
	buf_puts(&b, "{");
	if (id != NULL) {
		buf_puts(&b, "\"id\":");
		buf_json_str(&b, id);
		buf_putc(&b, ',');
	}
	buf_puts(&b, "\"error\":{\"by\":");
	buf_json_str(&b, record_stage_name);
	buf_printf(&b, ",\"line\":%lu,\"message\":", line);
	buf_json_str(&b, message);
	buf_puts(&b, "},\"deny\":{\"by\":");
	buf_json_str(&b, record_stage_name);
	buf_puts(&b, ",\"reason\":");
	char *reason = xasprintf("invalid record: %s", message);
	buf_json_str(&b, reason);
	free(reason);
	buf_puts(&b, "}}");
	l->status = 1;
	if (l->stage->handle_denied && !l->in_error) {
		/* The error record is a record like any other for a stage that
		 * sees denials (the decision log): it goes through handle(). */
		l->in_error = true;
		one_line(l, b.p, b.len, line);
		l->in_error = false;
	} else {
		buf_put(&l->out.b, b.p, b.len);
		buf_putc(&l->out.b, '\n');
	}
	buf_free(&b);
}

static void too_long(struct loop *l, unsigned long line, size_t max)
{
	char *msg = xasprintf("record is longer than %zu bytes", max);

	write_error(l, line, NULL, msg);
	free(msg);
}

/* The line as a record: one strict pass (UTF-8, JSON, no member named twice,
 * no NUL hidden in a string), into the arena (see jsonparse.h). */
static cJSON *parse_line(const char *line, size_t len)
{
	struct json_result r;
	cJSON *root = json_parse(line, len, arena_alloc, &r);

	if (root == NULL) {
		if (r.fault == JSON_DUPLICATE)
			claw_fail("duplicate member \"%s\"", r.name);
		else if (r.fault == JSON_SYNTAX)
			claw_fail("not valid JSON (at byte %zu)", r.end + 1);
		else
			claw_fail("%s at byte %zu", json_fault_text(r.fault), r.end + 1);
		return NULL;
	}
	const char *rest = skip_ws(line + r.end, line + len);
	if (rest != line + len) {
		if (*rest == '\0')
			claw_fail("NUL byte at byte %zu", (size_t)(rest - line) + 1);
		else
			claw_fail("text after the JSON value (at byte %zu)", r.end + 1);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		claw_fail("a record must be a JSON object");
		return NULL;
	}
	return root;
}

static bool blank(const char *s, size_t n)
{
	return skip_ws(s, s + n) == s + n;
}

static void one_line(struct loop *l, char *line, size_t len, unsigned long lineno)
{
	struct record *rec = &l->rec;
	const char *id = NULL;

	if (blank(line, len))
		return;
	cJSON *root = parse_line(line, len);
	if (root == NULL) {
		write_error(l, lineno, NULL, claw_error());
		arena_reset();
		return;
	}
	rec->root = root;
	rec->raw = line;
	rec->rawlen = len;
	rec->line = lineno;
	rec->nadd = 0;
	buf_reset(&rec->vals);
	rec->denied = member(root, "deny") != NULL;
	if (rec->denied && !l->stage->handle_denied) {
		/* Refused upstream: passed on exactly as it came. */
		buf_put(&l->out.b, line, len);
		buf_putc(&l->out.b, '\n');
	} else if (l->stage->handle(rec, l->stage->ctx) < 0) {
		const cJSON *idn = member(root, "id");
		char *msg = xstrdup(claw_error());
		if (cJSON_IsString(idn))
			id = idn->valuestring;
		write_error(l, lineno, id, msg);
		free(msg);
	} else {
		record_render(rec, &l->out.b);
		buf_putc(&l->out.b, '\n');
	}
	rec->root = NULL;
	arena_reset();
}

static bool input_waiting(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) > 0;
}

static void flush(struct loop *l)
{
	if (l->stage->flush != NULL)
		l->stage->flush(l->stage->ctx);
	out_flush(&l->out);
}

static volatile sig_atomic_t held_signal;
static void (*held_also)(int sig);

static void on_held_signal(int sig)
{
	if (sig == SIGPIPE)
		return;
	held_signal = sig;
	if (held_also != NULL)
		held_also(sig);
}

void record_hold_signals(int in_fd, void (*also)(int sig))
{
	held_also = also;
	static const int held[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_held_signal, .sa_flags = SA_RESTART }, old;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	if (isatty(in_fd))
		return;
	for (size_t i = 0; i < NELEM(held); i++)
		if (sigaction(held[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(held[i], &sa, NULL);
}

int record_held_signal(void)
{
	return held_signal;
}

void record_die_of(int sig)
{
	if (sig > 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static struct loop *running_loop;

void record_flush(void)
{
	if (running_loop != NULL)
		flush(running_loop);
}

/* Records first, then the stage's batched work: nothing it does delays a record. */
static void go_idle(struct loop *l)
{
	flush(l);
	if (l->stage->idle != NULL)
		l->stage->idle(l->stage->ctx);
}

/*
 * At the end of input the reader is told so at once: OUT_FD becomes
 * /dev/null (still open, so no file opened later can take its number), and
 * the stage's last batched work (an allow-list write, the log's fsync) no
 * longer holds up the rest of a pipeline.
 */
static void end_output(int out_fd)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (null < 0 || dup2(null, out_fd) < 0)
		close(out_fd);
	if (null >= 0 && null != out_fd)
		close(null);
}

int record_loop(const struct stage *stage, const struct record_opts *opts)
{
	struct loop l = { .stage = stage, .out = { .fd = opts->out_fd, .drain = opts->drain } };
	size_t max = opts->max_record ? opts->max_record : RECORD_MAX_DEFAULT;
	size_t cap = (size_t)256 * 1024, len = 0;
	size_t out_batch = opts->out_batch ? opts->out_batch : RECORD_OUT_BATCH;
	char *in = xmalloc(cap + 1);
	unsigned long lineno = 0;
	bool skipping = false, eof = false;

	record_stage_name = stage->name;
	running_loop = &l;
	arena_on();
	while (!eof) {
		/* Flush before a read that would wait: a record typed by hand
		 * comes out at once, a bulk stream still moves in large writes. */
		if ((l.out.b.len > 0 || stage->idle != NULL || stage->flush != NULL) &&
		    !input_waiting(opts->in_fd))
			go_idle(&l);
		if (len == cap) {
			cap *= 2;
			in = xrealloc(in, cap + 1);
		}
		ssize_t n = read(opts->in_fd, in + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(2, "read");
		eof = n == 0;
		len += (size_t)n;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(in + start, '\n', len - start);
			if (nl == NULL && !(eof && start < len))
				break;
			size_t end = nl ? (size_t)(nl - in) : len;
			in[end] = '\0';
			if (skipping) {
				skipping =
				    false; /* the tail of an over-long line, already reported */
			} else if (end - start > max) {
				too_long(&l, ++lineno, max);
			} else {
				one_line(&l, in + start, end - start, ++lineno);
			}
			start = nl ? end + 1 : len;
			if (l.out.b.len >= out_batch)
				flush(&l);
		}
		memmove(in, in + start, len - start);
		len -= start;
		if (len > max && !skipping) {
			/* Too long already: report it now and drop it as it arrives,
			 * so memory stays bounded whatever the line's length. */
			too_long(&l, ++lineno, max);
			skipping = true;
		}
		if (skipping)
			len = 0;
	}
	flush(&l);
	running_loop = NULL;
	end_output(opts->out_fd);
	if (stage->idle != NULL)
		stage->idle(stage->ctx);
	arena_off();
	buf_free(&l.out.b);
	buf_free(&l.rec.vals);
	free(in);
	return l.status;
}

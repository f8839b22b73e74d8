/*
 * http.c: HTTP requests in flight together over libcurl's multi interface.
 *
 * libcurl is loaded (dlopen) the first time a chat or webhook target needs
 * it, not at start: it brings some thirty libraries (TLS, Kerberos, LDAP,
 * IDN, ...) whose loading costs claw-approve 2.6 ms of start-up, more than
 * the rest of its work on a command. A filter with no chat target never
 * loads it. Without requests in flight, http_wait() is a plain poll(2).
 */
#include "ask/http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIBCURL_SONAME "libcurl.so.4"

/* The libcurl functions claw uses, found in the library when it is loaded. */
static struct {
	void *dl;
	unsigned users; /* http_global_init() calls not yet cleaned up */
	__typeof__(&curl_global_init) global_init;
	__typeof__(&curl_global_cleanup) global_cleanup;
	__typeof__(&curl_easy_init) easy_init;
	__typeof__(&curl_easy_setopt) easy_setopt;
	__typeof__(&curl_easy_getinfo) easy_getinfo;
	__typeof__(&curl_easy_cleanup) easy_cleanup;
	__typeof__(&curl_easy_strerror) easy_strerror;
	__typeof__(&curl_slist_append) slist_append;
	__typeof__(&curl_slist_free_all) slist_free_all;
	__typeof__(&curl_multi_init) multi_init;
	__typeof__(&curl_multi_add_handle) multi_add_handle;
	__typeof__(&curl_multi_remove_handle) multi_remove_handle;
	__typeof__(&curl_multi_info_read) multi_info_read;
	__typeof__(&curl_multi_poll) multi_poll;
	__typeof__(&curl_multi_perform) multi_perform;
	__typeof__(&curl_multi_strerror) multi_strerror;
	__typeof__(&curl_multi_cleanup) multi_cleanup;
} lc;

static const struct {
	const char *name;
	size_t offset;
} curl_symbols[] = {
#define SYM(field, name)                                                                           \
	{                                                                                          \
		name, offsetof(__typeof__(lc), field)                                              \
	}
	SYM(global_init, "curl_global_init"),
	SYM(global_cleanup, "curl_global_cleanup"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
	SYM(multi_init, "curl_multi_init"),
	SYM(multi_add_handle, "curl_multi_add_handle"),
	SYM(multi_remove_handle, "curl_multi_remove_handle"),
	SYM(multi_info_read, "curl_multi_info_read"),
	SYM(multi_poll, "curl_multi_poll"),
	SYM(multi_perform, "curl_multi_perform"),
	SYM(multi_strerror, "curl_multi_strerror"),
	SYM(multi_cleanup, "curl_multi_cleanup"),
#undef SYM
};

static int load_curl(void)
{
	void *dl = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (dl == NULL)
		return claw_fail("cannot load %s (%s): install libcurl4", LIBCURL_SONAME,
		                 dlerror());
	for (size_t i = 0; i < NELEM(curl_symbols); i++) {
		void *fn = dlsym(dl, curl_symbols[i].name);
		if (fn == NULL) {
			dlclose(dl);
			return claw_fail("%s has no %s: a libcurl of 7.66 or later is needed",
			                 LIBCURL_SONAME, curl_symbols[i].name);
		}
		memcpy((char *)&lc + curl_symbols[i].offset, &fn, sizeof(fn));
	}
	lc.dl = dl;
	return 0;
}

struct http_req {
	struct http_req *next;
	CURL *easy;
	struct curl_slist *headers;
	char *body_out;
	struct buf in;
	bool too_big, finished;
	CURLcode code;
	long status;
	char errbuf[CURL_ERROR_SIZE];
	http_done_fn done;
	void *arg;
};

struct http {
	CURLM *multi;
	struct http_req *list; /* in flight, then finished until dispatched */
	size_t active;
};

int http_global_init(void)
{
	if (lc.users > 0) {
		lc.users++;
		return 0;
	}
	if (lc.dl == NULL && load_curl() < 0)
		return -1;
	CURLcode rc = lc.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		return claw_fail("libcurl: %s", lc.easy_strerror(rc));
	lc.users = 1;
	return 0;
}

void http_global_cleanup(void)
{
	if (lc.users > 0 && --lc.users == 0)
		lc.global_cleanup();
}

struct http *http_new(void)
{
	struct http *h = xcalloc(1, sizeof(*h));

	if (lc.users > 0 && (h->multi = lc.multi_init()) == NULL) {
		fprintf(stderr, "%s: libcurl: out of memory\n", program_invocation_short_name);
		exit(125);
	}
	return h;
}

static void req_free(struct http *h, struct http_req *r)
{
	if (!r->finished) {
		lc.multi_remove_handle(h->multi, r->easy);
		h->active--;
	}
	lc.easy_cleanup(r->easy);
	lc.slist_free_all(r->headers);
	free(r->body_out);
	buf_free(&r->in);
	free(r);
}

static void unlink_req(struct http *h, struct http_req *r)
{
	for (struct http_req **p = &h->list; *p != NULL; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			return;
		}
}

void http_free(struct http *h)
{
	if (h == NULL)
		return;
	while (h->list != NULL) {
		struct http_req *r = h->list;
		h->list = r->next;
		req_free(h, r);
	}
	if (h->multi != NULL)
		lc.multi_cleanup(h->multi);
	free(h);
}

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;

	if (r->in.len + len > HTTP_BODY_MAX) {
		r->too_big = true;
		return 0; /* ends the transfer */
	}
	buf_put(&r->in, data, len);
	return len;
}

static void must(CURLcode rc)
{
	if (rc != CURLE_OK) {
		fprintf(stderr, "%s: libcurl: %s\n", program_invocation_short_name,
		        lc.easy_strerror(rc));
		exit(125);
	}
}

struct http_req *http_post_json(struct http *h, const char *url, const char *json, long timeout_ms,
                                http_done_fn done, void *arg)
{
	struct http_req *r = xcalloc(1, sizeof(*r));

	if ((r->easy = lc.easy_init()) == NULL)
		must(CURLE_OUT_OF_MEMORY);
	r->body_out = xstrdup(json);
	r->done = done;
	r->arg = arg;
	r->headers = lc.slist_append(NULL, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip: these bodies are small. */
	r->headers = lc.slist_append(r->headers, "Expect:");
	if (r->headers == NULL)
		must(CURLE_OUT_OF_MEMORY);
	if (timeout_ms < 1)
		timeout_ms = 1;
	must(lc.easy_setopt(r->easy, CURLOPT_URL, url));
	must(lc.easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body_out));
	must(lc.easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json)));
	must(lc.easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers));
	must(lc.easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, timeout_ms));
	must(lc.easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	                    timeout_ms < 10000 ? timeout_ms : 10000L));
	must(lc.easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L));
	/* Tokens travel in URLs: never to another scheme, never after a redirect. */
	must(lc.easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https"));
	must(lc.easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L));
	must(lc.easy_setopt(r->easy, CURLOPT_USERAGENT, "claw/" CLAW_VERSION));
	must(lc.easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf));
	must(lc.easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_data));
	must(lc.easy_setopt(r->easy, CURLOPT_WRITEDATA, r));
	must(lc.easy_setopt(r->easy, CURLOPT_PRIVATE, r));
	if (lc.multi_add_handle(h->multi, r->easy) != CURLM_OK)
		must(CURLE_OUT_OF_MEMORY);
	r->next = h->list;
	h->list = r;
	h->active++;
	return r;
}

void http_cancel(struct http *h, struct http_req *rq)
{
	if (rq == NULL)
		return;
	unlink_req(h, rq);
	req_free(h, rq);
}

size_t http_active(const struct http *h)
{
	return h->active;
}

/* Moves what libcurl has finished out of the multi handle, results kept. */
static void collect(struct http *h)
{
	CURLMsg *m;
	int left;

	while ((m = lc.multi_info_read(h->multi, &left)) != NULL) {
		struct http_req *r = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		lc.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		r->code = m->data.result;
		lc.easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
		lc.multi_remove_handle(h->multi, r->easy);
		r->finished = true;
		h->active--;
	}
}

static void reply_of(struct http_req *r, struct http_reply *rep, char *err, size_t size)
{
	memset(rep, 0, sizeof(*rep));
	rep->body = r->in.p ? r->in.p : "";
	rep->len = r->in.len;
	if (r->too_big) {
		snprintf(err, size, "the answer is larger than %zu bytes", HTTP_BODY_MAX);
		rep->error = err;
	} else if (r->code != CURLE_OK) {
		snprintf(err, size, "%s", r->errbuf[0] ? r->errbuf : lc.easy_strerror(r->code));
		rep->error = err;
	} else {
		rep->status = r->status;
	}
}

/* Calls DONE for finished requests, one at a time: a callback may start or cancel others. */
static void dispatch(struct http *h)
{
	for (;;) {
		struct http_req *r = h->list;
		while (r != NULL && !r->finished)
			r = r->next;
		if (r == NULL)
			return;
		unlink_req(h, r);
		struct http_reply rep;
		char err[CURL_ERROR_SIZE + 64];
		reply_of(r, &rep, err, sizeof(err));
		r->done(&rep, r->arg);
		req_free(h, r);
	}
}

static short to_curl(short events)
{
	return (short)(((events & POLLIN) ? CURL_WAIT_POLLIN : 0) |
	               ((events & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
	               ((events & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
}

static short from_curl(short revents)
{
	return (short)(((revents & CURL_WAIT_POLLIN) ? POLLIN : 0) |
	               ((revents & CURL_WAIT_POLLPRI) ? POLLPRI : 0) |
	               ((revents & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
}

int http_wait(struct http *h, struct pollfd *fds, size_t nfds, int timeout_ms)
{
	struct curl_waitfd w[8];
	int running, numfds;

	if (h->multi == NULL) { /* libcurl never loaded: nothing can be in flight */
		if (poll(fds, nfds, timeout_ms < 0 ? 0 : timeout_ms) < 0 && errno != EINTR)
			return claw_fail("waiting: %s", strerror(errno));
		return 0;
	}
	if (nfds > NELEM(w))
		return claw_fail("http_wait: too many descriptors");
	for (size_t i = 0; i < nfds; i++) {
		w[i].fd = fds[i].fd;
		w[i].events = to_curl(fds[i].events);
		w[i].revents = 0;
	}
	CURLMcode mc =
	    lc.multi_poll(h->multi, w, (unsigned)nfds, timeout_ms < 0 ? 0 : timeout_ms, &numfds);
	if (mc != CURLM_OK)
		return claw_fail("waiting: %s", lc.multi_strerror(mc));
	for (size_t i = 0; i < nfds; i++)
		fds[i].revents = from_curl(w[i].revents);
	if ((mc = lc.multi_perform(h->multi, &running)) != CURLM_OK)
		return claw_fail("HTTP: %s", lc.multi_strerror(mc));
	collect(h);
	dispatch(h);
	return 0;
}

/*
 * "scheme://[user@]host[:port]/..." -> "host[:port]", for messages only: it
 * never decides where a request goes (libcurl parses the URL for that).
 */
void http_host(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");

	snprintf(out, size, "?");
	if (p == NULL)
		return;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at != NULL) { /* credentials are never shown */
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (n > 0)
		snprintf(out, size, "%.*s", (int)n, p);
}

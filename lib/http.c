/* http.c: HTTP requests in flight together over libcurl's multi interface. */
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	return rc == CURLE_OK ? 0 : claw_fail("libcurl: %s", curl_easy_strerror(rc));
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

struct http *http_new(void)
{
	struct http *h = xcalloc(1, sizeof(*h));

	if ((h->multi = curl_multi_init()) == NULL) {
		fprintf(stderr, "%s: libcurl: out of memory\n", program_invocation_short_name);
		exit(125);
	}
	return h;
}

static void req_free(struct http *h, struct http_req *r)
{
	if (!r->finished) {
		curl_multi_remove_handle(h->multi, r->easy);
		h->active--;
	}
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
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
	curl_multi_cleanup(h->multi);
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
		        curl_easy_strerror(rc));
		exit(125);
	}
}

struct http_req *http_post_json(struct http *h, const char *url, const char *json, long timeout_ms,
                                http_done_fn done, void *arg)
{
	struct http_req *r = xcalloc(1, sizeof(*r));

	if ((r->easy = curl_easy_init()) == NULL)
		must(CURLE_OUT_OF_MEMORY);
	r->body_out = xstrdup(json);
	r->done = done;
	r->arg = arg;
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip: these bodies are small. */
	r->headers = curl_slist_append(r->headers, "Expect:");
	if (r->headers == NULL)
		must(CURLE_OUT_OF_MEMORY);
	if (timeout_ms < 1)
		timeout_ms = 1;
	must(curl_easy_setopt(r->easy, CURLOPT_URL, url));
	must(curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body_out));
	must(curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json)));
	must(curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers));
	must(curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, timeout_ms));
	must(curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	                      timeout_ms < 10000 ? timeout_ms : 10000L));
	must(curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L));
	/* Tokens travel in URLs: never to another scheme, never after a redirect. */
	must(curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https"));
	must(curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L));
	must(curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "claw/" CLAW_VERSION));
	must(curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf));
	must(curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_data));
	must(curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r));
	must(curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r));
	if (curl_multi_add_handle(h->multi, r->easy) != CURLM_OK)
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

	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct http_req *r = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		r->code = m->data.result;
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
		curl_multi_remove_handle(h->multi, r->easy);
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
		snprintf(err, size, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->code));
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

	if (nfds > NELEM(w))
		return claw_fail("http_wait: too many descriptors");
	for (size_t i = 0; i < nfds; i++) {
		w[i].fd = fds[i].fd;
		w[i].events = to_curl(fds[i].events);
		w[i].revents = 0;
	}
	CURLMcode mc =
	    curl_multi_poll(h->multi, w, (unsigned)nfds, timeout_ms < 0 ? 0 : timeout_ms, &numfds);
	if (mc != CURLM_OK)
		return claw_fail("waiting: %s", curl_multi_strerror(mc));
	for (size_t i = 0; i < nfds; i++)
		fds[i].revents = from_curl(w[i].revents);
	if ((mc = curl_multi_perform(h->multi, &running)) != CURLM_OK)
		return claw_fail("HTTP: %s", curl_multi_strerror(mc));
	collect(h);
	dispatch(h);
	return 0;
}

void http_host(const char *url, char *out, size_t size)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;

	snprintf(out, size, "?");
	if (u == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			snprintf(out, size, "%s:%s", host, port);
		else
			snprintf(out, size, "%s", host);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

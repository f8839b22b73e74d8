/* http.h: HTTP requests in flight together (libcurl multi), waited on with other fds. */
#ifndef CLAW_HTTP_H
#define CLAW_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct http;
struct http_req;

/*
 * What a finished request reports. STATUS is the HTTP status (0 when no
 * answer came); ERROR says why there was none, and names no URL (URLs carry
 * tokens). BODY is the answer, cut at HTTP_BODY_MAX.
 */
struct http_reply {
	long status;
	const char *error; /* NULL when an HTTP answer came */
	const char *body;
	size_t len;
};

#define HTTP_BODY_MAX ((size_t)1024 * 1024)

typedef void (*http_done_fn)(const struct http_reply *reply, void *arg);

/* One-time libcurl setup; -1 (claw_error()) when libcurl cannot start. */
int http_global_init(void);
void http_global_cleanup(void);

struct http *http_new(void);
/* Cancels what is still in flight (no callbacks) and frees everything. */
void http_free(struct http *h);

/*
 * Starts a POST of JSON to URL. DONE is called once from http_wait() with the
 * outcome (never from inside this call), unless the request is cancelled.
 * TIMEOUT_MS bounds the whole exchange. Only http and https are spoken, and
 * redirects are not followed: a token in a URL goes nowhere else.
 */
struct http_req *http_post_json(struct http *h, const char *url, const char *json, long timeout_ms,
                                http_done_fn done, void *arg);
void http_cancel(struct http *h, struct http_req *rq);
/* Requests in flight. */
size_t http_active(const struct http *h);

/*
 * Waits until a request finishes, one of FDS is ready (revents set), or
 * TIMEOUT_MS pass; calls DONE for each finished request. Returns 0, or -1
 * (claw_error()) when waiting itself failed.
 */
int http_wait(struct http *h, struct pollfd *fds, size_t nfds, int timeout_ms);

/* The host part of URL ("api.telegram.org"), for messages that must not show the rest. */
void http_host(const char *url, char *out, size_t size);

#endif

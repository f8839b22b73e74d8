/* probe.h: shared by the escape probes. Each check prints "ok ..." when the
 * sandbox held, "ESCAPE ..." when it did not; a probe exits 1 on any escape. */
#ifndef PROBE_H
#define PROBE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int escapes;

__attribute__((format(printf, 2, 3))) static void check(int held, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", held ? "ok" : "ESCAPE");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	escapes += !held;
}

/* A call that must fail with errno WANT (0: any failure). */
__attribute__((unused)) static void refused(long rc, int want, const char *what)
{
	int e = errno;
	check(rc < 0 && (want == 0 || e == want), "%s: %s", what, rc < 0 ? strerror(e) : "succeeded");
}

static int done(void)
{
	return escapes ? 1 : 0;
}

#endif

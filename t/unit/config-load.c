/*
 * config-load: what loading the config costs, and how much of it the check is.
 *
 * usage: config-load N   (the config as every command finds it: $OPENCLAW_STATE_DIR,
 *                         $OPENCLAW_CONFIG_PATH, $CLAW_CONFIG_PATH)
 *
 * Loads the config N times as every command does (config_load: read, parse,
 * check, merge) and N times as claw did before the check (read and parse
 * both files), and prints the median of each in microseconds:
 *   load <us> parse <us> check <us>
 * t/bench/config runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/config.h"
#include "core/fsutil.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

/* Read and parse, as config_load did before the check. */
static void parse_only(const struct config *where)
{
	const char *paths[] = { where->exists ? where->path : NULL,
		                where->claw_exists ? where->claw_path : NULL };

	for (size_t i = 0; i < 2; i++) {
		char *text;
		size_t len;
		struct json5_doc doc;
		unsigned line, col;
		if (paths[i] == NULL || read_file(paths[i], 0, &text, &len) < 0)
			continue;
		if (json5_parse(text, len, &doc, &line, &col) == 0)
			json5_free(&doc);
		free(text);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	double *load = calloc((size_t)n, sizeof(double)), *parse = calloc((size_t)n, sizeof(double));
	struct common_opts co = { 0 };
	struct config cfg, where;

	if (n < 1 || config_load(&where, &co) < 0) {
		fprintf(stderr, "config-load: %s\n", n < 1 ? "usage: config-load N" : claw_error());
		return 2;
	}
	for (int i = 0; i < n; i++) {
		double t0 = now_us();
		if (config_load(&cfg, &co) < 0)
			return 2;
		double t1 = now_us();
		config_free(&cfg);
		double t2 = now_us();
		parse_only(&where);
		double t3 = now_us();
		load[i] = t1 - t0;
		parse[i] = t3 - t2;
	}
	double l = median(load, n), p = median(parse, n);
	printf("load %.1f parse %.1f check %.1f\n", l, p, l - p);
	config_free(&where);
	free(load);
	free(parse);
	return 0;
}

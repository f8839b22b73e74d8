/*
 * jsonparse.h: a strict JSON parser that builds cJSON trees, fast enough for
 * a million records a second.
 *
 * cJSON's own parser tries "null", "false" and "true" with strncmp before
 * every value and copies every string twice; at a million records a second
 * that is most of a filter's time. This one reads RFC 8259 JSON in one pass
 * and builds the very tree cJSON_ParseWithLengthOpts would (same types,
 * strings, numbers, child and prev links), with memory from ALLOC. The text
 * is copied once into one block and strings are decoded where they stand in
 * it, so a string costs no allocation of its own.
 *
 * It is stricter than cJSON where cJSON is lax, in the same pass: numbers
 * follow the JSON grammar (no "01", no "1."), escapes must be JSON's, a \u
 * escape may not be \u0000 or a broken surrogate, a string may not hold a raw
 * control character or bytes that are not UTF-8, and no object names a
 * member twice (cJSON would see the first, a JavaScript reader the last). A
 * byte-order mark is not JSON either.
 */
#ifndef CLAW_JSONPARSE_H
#define CLAW_JSONPARSE_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Why a parse failed. */
enum json_fault {
	JSON_SYNTAX,    /* not JSON */
	JSON_NUL,       /* a NUL byte */
	JSON_CONTROL,   /* a raw control character */
	JSON_UTF8,      /* bytes that are not UTF-8 */
	JSON_BAD_U,     /* a \u escape without four hex digits */
	JSON_U0000,     /* \u0000 */
	JSON_LONE_HIGH, /* a high surrogate escape without its low half */
	JSON_LONE_LOW,  /* a low surrogate escape on its own */
	JSON_TOO_DEEP,  /* nested deeper than cJSON allows */
	JSON_DUPLICATE, /* a member name given twice */
	JSON_NO_MEMORY, /* ALLOC returned NULL */
};

struct json_result {
	size_t end; /* just after the value; or where the input went wrong */
	enum json_fault fault;
	const char *name; /* JSON_DUPLICATE: the name (in ALLOC's memory) */
};

/*
 * Parses the JSON value at S (LEN bytes). Returns its tree, with R->end just
 * after the value; or NULL with R->fault and R->end at the byte that is wrong.
 * Every node and string comes from ALLOC. What a failed parse allocated is
 * not freed: give it an arena.
 */
cJSON *json_parse(const char *s, size_t len, void *(*alloc)(size_t), struct json_result *r);

/* A fault in words: "invalid UTF-8", ... (JSON_DUPLICATE needs the name). */
const char *json_fault_text(enum json_fault f);

#endif

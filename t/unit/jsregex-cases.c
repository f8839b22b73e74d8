/*
 * jsregex-cases: lib/core/jsregex.c answers as JavaScript does.
 *
 * Each row is a pattern (OpenClaw's schema's, and the constructs they use),
 * a subject and what `new RegExp(pattern, "u").test(subject)` answers in
 * node 26 (the expectations were computed there). t/schema.bats runs it;
 * exit 0 when every row agrees, 1 with each that does not on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "core/jsregex.h"
#include "core/util.h"

static const struct {
	const char *pattern, *subject;
	int want;
} cases[] = {
	{ "[a-z]", "1", 0 },
	{ "[a-z]", "q", 1 },
	{ "^[a-z0-9_][a-z0-9_-]{0,63}$", "work", 1 },
	{ "^[a-z0-9_][a-z0-9_-]{0,63}$", "Work", 0 },
	{ "^[a-z0-9_][a-z0-9_-]{0,63}$", "a-b_c", 1 },
	{ "^[a-z0-9_][a-z0-9_-]{0,63}$", "", 0 },
	{ "^[a-z][a-z0-9_-]{0,63}$",
	  "a0123456789012345678901234567890123456789012345678901234567890123", 0 },
	{ "^[a-z][a-z0-9_-]{0,63}$",
	  "a012345678901234567890123456789012345678901234567890123456789012", 1 },
	{ "^[A-Z][A-Z0-9_]{0,127}$", "TELEGRAM_BOT_TOKEN", 1 },
	{ "^[A-Z][A-Z0-9_]{0,127}$", "telegram", 0 },
	{ "^\\d+$", "12345", 1 },
	{ "^\\d+$", "12a", 0 },
	{ "^\\d+$", "", 0 },
	{ "\\S", "  ", 0 },
	{ "\\S", " x ", 1 },
	{ "^\\s*$",
	  "\xc2"
	  "\xa0"
	  "\xe2"
	  "\x80"
	  "\xa8"
	  " \x09"
	  "",
	  1 },
	{ "^[Hh][Tt][Tt][Pp][Ss]?:\\/\\/(?![^/?#]*@)", "https://user@host", 0 },
	{ "^[Hh][Tt][Tt][Pp][Ss]?:\\/\\/(?![^/?#]*@)", "HTTP://host/a@b", 1 },
	{ "^\\/(?!\\/)[^\\0]*[^/\\0]$", "/srv/x", 1 },
	{ "^\\/(?!\\/)[^\\0]*[^/\\0]$", "//srv", 0 },
	{ "^\\/(?!\\/)[^\\0]*[^/\\0]$", "/srv/", 0 },
	{ "^(?!(?:constructor|prototype)$)[a-z0-9][a-z0-9_-]{0,63}$", "constructor", 0 },
	{ "^(?!(?:constructor|prototype)$)[a-z0-9][a-z0-9_-]{0,63}$", "prototypes", 1 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)[^\\p{Cs}]{1,128}$",
	  "\xc3"
	  "\xa9"
	  "\xe2"
	  "\x82"
	  "\xac"
	  " ok",
	  1 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)[^\\p{Cs}]{1,128}$", "ok ", 0 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)(?![\\s\\S]*\\.\\.)[^\\p{Cc}\\p{Cs}/\\\\]{1,512}$", "a..b", 0 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)(?![\\s\\S]*\\.\\.)[^\\p{Cc}\\p{Cs}/\\\\]{1,512}$", "a\\b", 0 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)(?![\\s\\S]*\\.\\.)[^\\p{Cc}\\p{Cs}/\\\\]{1,512}$", "a.b c",
	  1 },
	{ "^(?!\\s)(?![\\s\\S]*\\s$)(?![\\s\\S]*\\.\\.)[^\\p{Cc}\\p{Cs}/\\\\]{1,512}$",
	  "a\x07"
	  "b",
	  0 },
	{ "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89aAbB][0-9a-fA-F]{3}-[0-9a-fA-F]{"
	  "12}$",
	  "0F1E2D3C-4B5A-4000-8000-00112233aabb", 1 },
	{ "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89aAbB][0-9a-fA-F]{3}-[0-9a-fA-F]{"
	  "12}$",
	  "0F1E2D3C-4B5A-6000-8000-00112233aabb", 0 },
	{ "^(?:[a-zA-Z][a-zA-Z0-9+\\-.]*:)(?:\\/?\\/)?[^\\s]*$", "1http://x", 0 },
	{ "^(?:[a-zA-Z][a-zA-Z0-9+\\-.]*:)(?:\\/?\\/)?[^\\s]*$", "x-y.z+w:rest", 1 },
	{ "^(?:[a-zA-Z][a-zA-Z0-9+\\-.]*:)(?:\\/?\\/)?[^\\s]*$", "http://a b", 0 },
	{ "^openai:[^\\s:/][^\\s/]*$", "openai:pro", 1 },
	{ "^openai:[^\\s:/][^\\s/]*$", "openai::x", 0 },
	{ "^\\s*[^a-z0-9]*[a-z0-9]+(?:[^a-z0-9]+[a-z0-9]+)?[^a-z0-9]*\\s*$", "hey claw", 1 },
	{ "^\\s*[^a-z0-9]*[a-z0-9]+(?:[^a-z0-9]+[a-z0-9]+)?[^a-z0-9]*\\s*$", "a b c", 0 },
	{ "a|b|c", "xxcxx", 1 },
	{ "^(?:ab|cd)+$", "abcdab", 1 },
	{ "^(?:ab|cd)+$", "abc", 0 },
	{ "^a{2,3}$", "aaaa", 0 },
	{ "^a{2,}$", "aaaa", 1 },
	{ "^a{2}$", "a", 0 },
	{ "^.$",
	  "\x0a"
	  "",
	  0 },
	{ "^.$",
	  "\xc3"
	  "\xa9"
	  "",
	  1 },
	{ "^.$",
	  "\xf0"
	  "\x9f"
	  "\x98"
	  "\x80"
	  "",
	  1 },
	{ "^[^x]$",
	  "\xf0"
	  "\x9f"
	  "\x98"
	  "\x80"
	  "",
	  1 },
	{ "^\\u00e9$",
	  "\xc3"
	  "\xa9"
	  "",
	  1 },
	{ "^\\x41$", "A", 1 },
	{ "b(?=c)", "abd", 0 },
	{ "b(?=c)", "abc", 1 },
};

int main(void)
{
	int failures = 0;

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct jsre *re = jsre_compile(cases[i].pattern);
		int got = re ? jsre_test(re, cases[i].subject, strlen(cases[i].subject)) : -2;
		if (got != cases[i].want) {
			fprintf(stderr, "/%s/ on \"%s\": %d, JavaScript says %d\n",
			        cases[i].pattern, cases[i].subject, got, cases[i].want);
			failures++;
		}
		jsre_free(re);
	}
	printf("%zu cases, %d failures\n", NELEM(cases), failures);
	return failures ? 1 : 0;
}

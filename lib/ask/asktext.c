/* asktext.c: the words and texts of an approval, as OpenClaw words them. */
#include "ask/asktext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strvec.h"

/* OpenClaw's words for each decision (exec approvals, /approve); the first is canonical. */
static const struct {
	enum ask_decision d;
	const char *words[5];
} decision_words[] = {
	{ ASK_ALLOW_ONCE, { "allow-once", "allow", "once", "allowonce", NULL } },
	{ ASK_ALLOW_ALWAYS, { "allow-always", "always", "allowalways", NULL } },
	{ ASK_DENY, { "deny", "reject", "block", NULL } },
};

int decision_parse(const char *word, enum ask_decision *d)
{
	for (size_t i = 0; i < NELEM(decision_words); i++)
		for (const char *const *w = decision_words[i].words; *w != NULL; w++)
			if (strcasecmp(word, *w) == 0) {
				*d = decision_words[i].d;
				return 0;
			}
	return -1;
}

const char *decision_word(enum ask_decision d)
{
	switch (d) {
	case ASK_ALLOW_ONCE:
		return "allow-once";
	case ASK_ALLOW_ALWAYS:
		return "allow-always";
	case ASK_DENY:
		return "deny";
	case ASK_TIMEOUT:
		return "timeout";
	case ASK_DEFERRED:
		return "deferred";
	case ASK_UNAVAILABLE:
		break;
	}
	return "unavailable";
}

int decision_from_word(const char *word, enum ask_decision *d)
{
	static const enum ask_decision all[] = { ASK_ALLOW_ONCE, ASK_ALLOW_ALWAYS, ASK_DENY,
		                                 ASK_TIMEOUT,    ASK_UNAVAILABLE,  ASK_DEFERRED };

	for (size_t i = 0; i < NELEM(all); i++)
		if (strcmp(word, decision_word(all[i])) == 0) {
			*d = all[i];
			return 0;
		}
	return -1;
}

/* ---- /approve ---- */

/* The next white-space separated word of *P: its start and length, or 0. */
static size_t next_word(const char **p, const char **start)
{
	const char *s = *p;

	while (ascii_space(*s))
		s++;
	*start = s;
	while (*s != '\0' && !ascii_space(*s))
		s++;
	*p = s;
	return (size_t)(s - *start);
}

/*
 * Whether W is the command word: "/approve" or "approve" (OpenClaw makes the
 * slash optional), any case, or "/approve@BOT" when BOT is this bot (Telegram
 * names the bot a command is for in a group). A command for another bot is
 * none of ours.
 */
static bool word_is_command(const char *w, size_t n, const char *bot)
{
	static const char cmd[] = "approve";
	size_t len = sizeof(cmd) - 1;

	if (n > 0 && w[0] == '/') {
		w++;
		n--;
	} else if (memchr(w, '@', n) != NULL) {
		return false;
	}
	if (n < len || strncasecmp(w, cmd, len) != 0)
		return false;
	if (n == len)
		return true;
	if (w[len] != '@' || bot == NULL || bot[0] == '\0')
		return false;
	return n - len - 1 == strlen(bot) && strncasecmp(w + len + 1, bot, n - len - 1) == 0;
}

static int word_decision(const char *w, size_t n, enum ask_decision *d)
{
	char word[32];

	if (n >= sizeof(word))
		return -1;
	memcpy(word, w, n);
	word[n] = '\0';
	return decision_parse(word, d);
}

static void copy_id(char *id, size_t idsize, const char *w, size_t n, struct buf *joined)
{
	const char *src = joined ? joined->p : w;
	size_t len = joined ? joined->len : n;

	if (len > idsize - 1)
		len = idsize - 1;
	memcpy(id, src, len);
	id[len] = '\0';
}

enum approve_cmd approve_parse(const char *text, const char *bot, char *id, size_t idsize,
                               enum ask_decision *d)
{
	const char *p = text, *w;
	size_t n;

	if (idsize == 0 || (n = next_word(&p, &w)) == 0 || !word_is_command(w, n, bot))
		return APPROVE_NONE;
	const char *w1, *w2;
	size_t n1 = next_word(&p, &w1), n2 = next_word(&p, &w2);
	if (n1 == 0 || n2 == 0)
		return APPROVE_USAGE;
	/* "/approve DECISION ID...": the first word wins, the rest is the id, one space apart. */
	if (word_decision(w1, n1, d) == 0) {
		struct buf joined = { 0 };
		buf_put(&joined, w2, n2);
		while ((n = next_word(&p, &w)) > 0) {
			buf_putc(&joined, ' ');
			buf_put(&joined, w, n);
		}
		copy_id(id, idsize, NULL, 0, &joined);
		buf_free(&joined);
		return APPROVE_OK;
	}
	/* "/approve ID DECISION [anything]". */
	if (word_decision(w2, n2, d) == 0) {
		copy_id(id, idsize, w1, n1, NULL);
		return APPROVE_OK;
	}
	return APPROVE_USAGE;
}

/* ---- showing text safely ---- */

/*
 * The length of the well-formed UTF-8 sequence at P (of at most N bytes) and
 * its code point, or 0 when it is not one (a stray byte, a cut sequence, an
 * overlong form, a surrogate): such bytes are shown escaped, one by one.
 */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned long *code)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;

	if (p[0] < 0x80) {
		*code = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	unsigned long c = p[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*code = c;
	return len;
}

/*
 * Characters a person cannot see, or that change how the rest of a line is
 * shown: C1 controls, bidirectional marks and overrides (Trojan Source,
 * CVE-2021-42574), zero-width characters, the byte-order mark.
 */
static bool invisible(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || (c >= 0x200b && c <= 0x200f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

void text_clean(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t total = strlen(s), done = 0;

	while (done < total) {
		unsigned long c = 0;
		size_t n = utf8_char(p + done, total - done, &c);
		if (max != 0 && done + (n ? n : 1) > max) {
			buf_printf(b, "… (%zu more bytes)", total - done);
			return;
		}
		if (n == 0) {
			buf_printf(b, "\\x%02x", p[done]);
			done++;
			continue;
		}
		if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02lx", c);
		else if (invisible(c))
			buf_printf(b, "\\u%04lx", c);
		else
			buf_put(b, p + done, n);
		done += n;
	}
}

/* ---- OpenClaw's texts ---- */

static void field(struct buf *b, const char *label, const char *value, size_t max)
{
	if (value == NULL || value[0] == '\0')
		return;
	buf_printf(b, "\n%s: ", label);
	text_clean(b, value, max);
}

/* "45s", "2m", "4m 59s", "1h 1m": seconds only under five minutes, as OpenClaw counts. */
void text_duration(struct buf *b, long s)
{
	long h = s / 3600, m = s % 3600 / 60, sec = s % 60;

	if (s < 60) {
		buf_printf(b, "%lds", s < 0 ? 0 : s);
		return;
	}
	const char *sep = "";
	if (h > 0) {
		buf_printf(b, "%ldh", h);
		sep = " ";
	}
	if (m > 0) {
		buf_printf(b, "%s%ldm", sep, m);
		sep = " ";
	}
	if (h == 0 && m < 5 && sec > 0)
		buf_printf(b, "%s%lds", sep, sec);
}

void text_reply_with(struct buf *b, const char *id, bool offer_always)
{
	buf_printf(b, "Reply with: /approve %s %s", id,
	           offer_always ? "allow-once|allow-always|deny" : "allow-once|deny");
}

/*
 * A tool named in approvals.tools (claw's own; OpenClaw asks only for exec):
 * the whole call, a message's text in full up to what the chat can carry.
 * Allow Always allows the tool for the rest of the session.
 */
static void tool_prompt(struct buf *b, const struct ask_request *rq, const char *id, long expires_s,
                        size_t max_call)
{
	struct buf call = { 0 };

	buf_puts(b, "🔒 Tool approval required");
	field(b, "ID", id, 0);
	field(b, "Tool", rq->tool, 128);
	field(b, "Agent", rq->agent, 256);
	field(b, "Session", rq->session_key, 256);
	text_clean(&call, rq->command ? rq->command : "", max_call);
	buf_printf(b, "\n```\n%s\n```", call.p);
	buf_free(&call);
	buf_puts(b, "\nExpires in: ");
	text_duration(b, expires_s);
	buf_putc(b, '\n');
	text_reply_with(b, id, rq->offer_always);
	if (rq->offer_always)
		buf_puts(b, "\nAllow Always allows this tool for the rest of the session.");
}

void text_prompt(struct buf *b, const struct ask_request *rq, const char *id, long expires_s,
                 size_t max_command)
{
	struct buf cmd = { 0 };

	if (rq->tool != NULL) {
		tool_prompt(b, rq, id, expires_s, max_command);
		return;
	}
	buf_puts(b, "🔒 Exec approval required");
	field(b, "ID", id, 0);
	text_clean(&cmd, rq->command ? rq->command : "", max_command);
	/* In backticks, or fenced when the command has its own backticks. */
	if (strchr(cmd.p, '`') != NULL)
		buf_printf(b, "\nCommand:\n```\n%s\n```", cmd.p);
	else
		buf_printf(b, "\nCommand: `%s`", cmd.p);
	buf_free(&cmd);
	field(b, "CWD", rq->cwd, 512);
	field(b, "Host", rq->host, 256);
	field(b, "Agent", rq->agent, 256);
	field(b, "Security", rq->security, 64);
	field(b, "Ask", rq->ask, 64);
	buf_puts(b, "\nExpires in: ");
	text_duration(b, expires_s);
	buf_putc(b, '\n');
	text_reply_with(b, id, rq->offer_always);
	if (!rq->offer_always)
		buf_puts(b, "\nAllow Always is unavailable for this command.");
}

void text_outcome(struct buf *b, enum ask_decision d, const char *by, const char *id,
                  const char *tool)
{
	const char *what, *kind = tool ? "Tool" : "Exec";

	switch (d) {
	case ASK_ALLOW_ONCE:
		what = "allowed once";
		break;
	case ASK_ALLOW_ALWAYS:
		what = "allowed always";
		break;
	case ASK_DENY:
		what = "denied";
		break;
	case ASK_TIMEOUT:
	case ASK_UNAVAILABLE:
	case ASK_DEFERRED:
	default:
		buf_printf(b, "⏱️ %s approval expired. ID: %s", kind, id);
		return;
	}
	/* OpenClaw marks every resolution with the same check mark, a denial too. */
	buf_printf(b, "✅ %s approval %s.", kind, what);
	if (by != NULL && by[0] != '\0') {
		buf_puts(b, " Resolved by ");
		text_clean(b, by, 128);
		buf_putc(b, '.');
	}
	buf_printf(b, " ID: %s", id);
}

void text_submitted(struct buf *b, enum ask_decision d, const char *id)
{
	buf_printf(b, "✅ Approval %s submitted for ", decision_word(d));
	text_clean(b, id, 64);
	buf_putc(b, '.');
}

void text_failed(struct buf *b, const char *why)
{
	buf_puts(b, "❌ Failed to submit approval: ");
	text_clean(b, why, 512);
}

void text_usage(struct buf *b)
{
	buf_puts(b, "Usage: /approve <id> <decision> (see the pending approval message for "
	            "available decisions)");
}

void text_redact(char *s, size_t size, const char *secret)
{
	static const char mark[] = "<redacted>";
	size_t slen = secret ? strlen(secret) : 0, mlen = sizeof(mark) - 1;
	char *p = s;

	if (slen == 0)
		return;
	/* Searching on after each mark: the mark itself may contain a short secret. */
	while ((p = strstr(p, secret)) != NULL) {
		size_t tail = strlen(p + slen);
		size_t room = size - (size_t)(p - s) - 1; /* bytes left for mark + tail */
		size_t m = mlen < room ? mlen : room;
		size_t t = tail < room - m ? tail : room - m;
		memmove(p + m, p + slen, t);
		memcpy(p, mark, m);
		p[m + t] = '\0';
		p += m;
	}
}

static struct strvec secrets;

void text_secret_add(const char *secret)
{
	if (secret == NULL || strlen(secret) < 4)
		return; /* too short to be a secret, and redacting it would garble every message */
	if (!strvec_has(&secrets, secret))
		strvec_push(&secrets, secret);
}

void text_secrets_clear(void)
{
	strvec_clear(&secrets);
}

void ask_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < secrets.n; i++)
		text_redact(msg, sizeof(msg), secrets.v[i]);
	/* Servers' words are quoted in these messages: no escape sequence reaches a terminal. */
	struct buf b = { 0 };
	text_clean(&b, msg, 0);
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, b.p ? b.p : "");
	buf_free(&b);
}

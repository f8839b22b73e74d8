/*
 * hash.c: SHA-256, from libcrypto.
 *
 * Linked statically (only libcrypto's digest code is pulled in) and through
 * its SHA256_* functions rather than EVP: loading the shared libcrypto costs
 * each command about 1.5 ms of start-up, and EVP's first digest another
 * 0.7 ms to start its provider, most of a pipeline stage's budget; the
 * SHA256_* functions are the same assembly (SHA instructions where the CPU
 * has them) with nothing to start. OpenSSL 3 marks them deprecated in favour
 * of EVP, for FIPS provider routing, which claw's digests (slugs, audit
 * chain, bound approvals) do not need.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Not libcrypto's one-shot SHA256(): it goes through EVP, whose provider
 * machinery would be linked in (and started) with it. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, data, len);
	SHA256_Final(out, &c);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX])
{
	unsigned char d[SHA256_LEN];

	sha256(data, len, d);
	hex_encode(d, SHA256_LEN, out);
}

void sha256_hex2(const void *a, size_t alen, const void *b, size_t blen, char out[SHA256_HEX])
{
	unsigned char d[SHA256_LEN];
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, a, alen);
	SHA256_Update(&c, b, blen);
	SHA256_Final(d, &c);
	hex_encode(d, SHA256_LEN, out);
}

int sha256_fd_hex(int fd, const char *path, char out[SHA256_HEX])
{
	unsigned char d[SHA256_LEN], chunk[65536];
	SHA256_CTX c;

	SHA256_Init(&c);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return claw_fail("%s: %s", path, strerror(errno));
		if (n == 0)
			break;
		SHA256_Update(&c, chunk, (size_t)n);
	}
	SHA256_Final(d, &c);
	hex_encode(d, SHA256_LEN, out);
	return 0;
}

int sha256_file_hex(const char *path, char out[SHA256_HEX])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return claw_fail("%s: %s", path, strerror(errno));
	int rc = sha256_fd_hex(fd, path, out);
	close(fd);
	return rc;
}

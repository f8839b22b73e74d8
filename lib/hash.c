/* hash.c: SHA-256 with one fetched digest and one reused context. */
#include "hash.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static EVP_MD_CTX *ctx;
static EVP_MD *md;

/* Fetching the algorithm once and reusing a context keeps a short digest
 * well under a microsecond; EVP_Digest() would fetch on every call. */
static void begin(void)
{
	if (ctx == NULL) {
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
		ctx = EVP_MD_CTX_new();
		if (md == NULL || ctx == NULL)
			errx(125, "libcrypto: SHA-256 is not available");
	}
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1)
		errx(125, "libcrypto: cannot start a SHA-256 digest");
}

static void update(const void *data, size_t len)
{
	if (len > 0 && EVP_DigestUpdate(ctx, data, len) != 1)
		errx(125, "libcrypto: SHA-256 update failed");
}

static void finish(unsigned char out[SHA256_LEN])
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != SHA256_LEN)
		errx(125, "libcrypto: SHA-256 failed");
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	begin();
	update(data, len);
	finish(out);
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

	begin();
	update(a, alen);
	update(b, blen);
	finish(d);
	hex_encode(d, SHA256_LEN, out);
}

int sha256_file_hex(const char *path, char out[SHA256_HEX])
{
	unsigned char d[SHA256_LEN], chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return claw_fail("%s: %s", path, strerror(errno));
	begin();
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return claw_fail("%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		update(chunk, (size_t)n);
	}
	close(fd);
	finish(d);
	hex_encode(d, SHA256_LEN, out);
	return 0;
}

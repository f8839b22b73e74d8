/* hash.h: SHA-256 through libcrypto, for slugs, bound approvals and the audit chain. */
#ifndef CLAW_HASH_H
#define CLAW_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN 32
#define SHA256_HEX (2 * SHA256_LEN + 1)

/* One-shot digests. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX]);
/* Two pieces, as one message: the audit chain hashes prev || record. */
void sha256_hex2(const void *a, size_t alen, const void *b, size_t blen, char out[SHA256_HEX]);
/* The digest of a file's contents; -1 with claw_error() when it cannot be read. */
int sha256_file_hex(const char *path, char out[SHA256_HEX]);
/* The same from an open descriptor, read to its end; PATH names it in errors. */
int sha256_fd_hex(int fd, const char *path, char out[SHA256_HEX]);
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif

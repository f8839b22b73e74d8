/*
 * Fuzz target: claw's built-in SHA-256 (both the SHA-instruction path and
 * the portable one) against libcrypto's, on the whole input and split in two
 * at a point the input chooses. Any difference aborts.
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reference(const uint8_t *data, size_t size, char out[SHA256_HEX])
{
	unsigned char d[SHA256_LEN];
	unsigned int n = 0;

	if (EVP_Digest(data, size, d, &n, EVP_sha256(), NULL) != 1 || n != SHA256_LEN)
		abort();
	hex_encode(d, SHA256_LEN, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char want[SHA256_HEX], got[SHA256_HEX];
	size_t cut = size ? data[0] % (size + 1) : 0;

	reference(data, size, want);
	for (int portable = 0; portable <= 1; portable++) {
		sha256_portable_only = portable;
		sha256_hex(data, size, got);
		if (strcmp(want, got) != 0)
			abort();
		sha256_hex2(data, cut, data + cut, size - cut, got);
		if (strcmp(want, got) != 0)
			abort();
	}
	return 0;
}

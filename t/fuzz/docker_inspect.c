/*
 * Fuzz target: the reader of docker (and podman) inspect output, which comes
 * from the engine, a program claw does not control. Whatever the bytes, it
 * returns without crashing or leaking; what it accepts has for every entry a
 * name Docker allows (it goes back to docker as an argument), an image (maybe
 * empty) and no negative creation time, and a sandbox flag only where the
 * label said exactly "1".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/docker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docker_container *c;
	size_t n;

	if (docker_inspect_parse((const char *)data, size, &c, &n) < 0) {
		if (c != NULL || n != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (c[i].name == NULL || c[i].image == NULL || c[i].created_ms < 0)
			abort();
		if (c[i].name[0] == '/' || c[i].name[0] == '-' || strchr(c[i].name, ' '))
			abort(); /* Docker's leading slash is taken off; nothing reads as an option
			          */
		if (c[i].sandbox && memmem(data, size, "\"1\"", 3) == NULL)
			abort();
	}
	docker_containers_free(c, n);
	return 0;
}

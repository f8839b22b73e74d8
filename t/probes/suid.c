/* suid: what a setuid binary gets (claw-sandbox(1) threat 2). The test makes a copy of this
 * probe setuid root and runs it inside; it prints its ids and capabilities. */
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

int main(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	printf("uid=%u euid=%u\n", (unsigned)getuid(), (unsigned)geteuid());
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0)
			printf("%s", line);
	if (f)
		fclose(f);
	return done();
}

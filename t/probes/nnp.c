/* nnp: setuid re-escalation (claw-sandbox(1) threat 2): no_new_privs set, no capabilities
 * in any set, and no way back to root. */
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

static void status_field(const char *name, const char *want)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(name);
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0) {
			char *v = line + n;
			while (*v == ':' || *v == '\t' || *v == ' ')
				v++;
			v[strcspn(v, "\n")] = '\0';
			check(strcmp(v, want) == 0, "%s is %s", name, v);
			found = 1;
		}
	if (f)
		fclose(f);
	if (!found)
		check(0, "%s not in /proc/self/status", name);
}

int main(void)
{
	status_field("NoNewPrivs", "1");
	status_field("CapEff", "0000000000000000");
	status_field("CapPrm", "0000000000000000");
	status_field("CapBnd", "0000000000000000");
	status_field("CapAmb", "0000000000000000");
	check(getuid() != 0 && geteuid() != 0, "not root (uid %u)", (unsigned)getuid());
	refused(setuid(0), 0, "setuid(0)");
	return done();
}

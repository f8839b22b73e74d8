/* pipeline.h: the stages before claw-sandbox, started and waited for (claw run, claw exec). */
#ifndef CLAW_PIPELINE_H
#define CLAW_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PIPELINE_MAX 8

struct pipeline_stage {
	char **argv; /* argv[0] is the program's name: claw-session, ... */
	pid_t pid;   /* 0: not started */
	int status;  /* as waitpid(2) gives it, once reaped */
};

struct pipeline {
	struct pipeline_stage stage[PIPELINE_MAX];
	size_t n;
};

/*
 * Starts stage[0] | stage[1] | ... | stage[n-1]: the first reads IN_FD, each
 * the one before, and the last one's output is *OUT_FD (close-on-exec). Each
 * program is found beside SELF (this executable: the commands are installed
 * together), else on PATH. The stages share this process's group, so a
 * Ctrl-C reaches them all. 0, or -1 with claw_error() (nothing left running).
 */
int pipeline_start(struct pipeline *p, int in_fd, int *out_fd);

/* Waits for every stage that was started. */
void pipeline_wait(struct pipeline *p);

/* A stage's end in words, for a message: "exited 2", "was killed by SIGKILL". */
const char *pipeline_how(int status, char *buf, size_t size);

#endif

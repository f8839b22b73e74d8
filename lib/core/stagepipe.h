/*
 * stagepipe.h: claw's stage commands run as one pipeline from C, for the
 * commands that stand in front of an agent runtime (claw-hook): in a process
 * group of their own, with a descriptor kept for one stage, ended at a
 * deadline; and for claw-sandbox pipeline (claw run, claw exec), which reads
 * the last stage's output itself and learns how every stage ended (a shell
 * pipeline tells only the last one's status). Each stage is found next to
 * the running program first, then on PATH.
 */
#ifndef CLAW_STAGEPIPE_H
#define CLAW_STAGEPIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define STAGEPIPE_MAX 8

struct stagepipe_stage {
	const char *name;        /* "claw-session" */
	const char *const *args; /* its arguments, NULL-terminated; may be NULL */
	bool quiet;              /* standard error to /dev/null */
	bool keep_fd;            /* the one stage that keeps the pipeline's KEEP fd */
};

struct stagepipe {
	pid_t pid[STAGEPIPE_MAX];
	const char *name[STAGEPIPE_MAX];
	int status[STAGEPIPE_MAX]; /* as waitpid(2) gave it, once waited for */
	size_t n;                  /* stages running; 0 once all are waited for */
	pid_t group;               /* the stages' process group: a deadline ends them all */
	int in;  /* the first stage's input, when the pipeline made it (else -1) */
	int out; /* the last stage's output, when the pipeline made it (else -1) */
};

/*
 * Starts STAGES joined by pipes, in a process group of their own when
 * NEW_GROUP (stagepipe_kill then ends them all), else in the caller's. The first
 * reads IN_FD, or a new pipe (p->in) when IN_FD is -1; the last writes
 * OUT_FD, or a new pipe (p->out) when OUT_FD is -1. KEEP, when not -1, stays
 * open in the stage marked keep_fd (claw-approve's --ask-fd) and is closed
 * in every other. Descriptors the pipeline makes are close-on-exec in this
 * process. Returns 0, or -1 (claw_error()) with nothing left running.
 */
int stagepipe_start(struct stagepipe *p, const struct stagepipe_stage *stages, size_t n, int in_fd,
                    int out_fd, int keep, bool new_group);

/* Waits for every stage. 0 when each exited 0; else -1, claw_error() naming the first. */
int stagepipe_wait(struct stagepipe *p);

/*
 * The last stage's output has ended: every stage before it is told to stop
 * (SIGTERM; one that has finished is not hurt), then all are waited for, as
 * stagepipe_wait. A stage that failed leaves those before it waiting for
 * input that can no longer go anywhere: this ends them.
 */
int stagepipe_end(struct stagepipe *p);

/* SIGKILL to the whole group (of a NEW_GROUP pipeline; else to each stage), then
 * waits: for a deadline that has passed, or a pipeline that could not be started. */
void stagepipe_kill(struct stagepipe *p);

/* A stage's end in words, for a message: "exited 2", "was killed by SIGKILL". */
const char *stagepipe_how(int status, char *buf, size_t size);

/* The path of a claw command as the pipeline would run it (allocated), or NULL. */
char *stagepipe_find(const char *name);

#endif

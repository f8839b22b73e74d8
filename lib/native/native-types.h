/*
 * native-types.h: what the native sandbox's parts hand each other: the spec
 * a run is made from, its binds, limits and moved files. At the bottom, so
 * that native.c, which drives nsroot.c, persist.c and limits.c, is the only
 * one that includes native.h.
 */
#ifndef CLAW_NATIVE_TYPES_H
#define CLAW_NATIVE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "native/ptyrelay.h"

enum landlock_mode { LANDLOCK_AUTO, LANDLOCK_REQUIRED, LANDLOCK_OFF };

/* A host path shown inside the sandbox. */
struct native_bind {
	const char *src;  /* host path, validated by binds_validate() */
	const char *real; /* its realpath when validated: it must still lead there */
	const char *dst;  /* absolute path inside */
	bool ro;
};

struct native_ulimit {
	int resource; /* RLIMIT_* */
	rlim_t soft, hard;
};

#define NATIVE_MAX_ULIMITS 16

/* A name the host runs on its own, at the top of a writable tree (persist.c). */
struct native_protect {
	const char *name;
	bool dir; /* a directory by nature (.git): its placeholder is an empty directory */
};

/* A special file found at a persistence path, moved aside before the run (persist.c). */
struct native_moved {
	char *path;     /* host path of what was there */
	char *moved_to; /* where it is now, or NULL when it could not be moved */
	char *error;    /* why not (and that it was removed instead), or NULL */
};
void native_moved_free(struct native_moved *m, size_t n);

/* The limits a run may have, and what enforces each (limits.c). */
enum { LIMIT_PIDS, LIMIT_MEMORY, LIMIT_CPU, LIMITS_N };

enum native_via {
	VIA_UNSET,          /* not configured */
	VIA_CGROUP_V1,      /* a cgroup in the controller's v1 hierarchy */
	VIA_CGROUP_V2,      /* a cgroup in the unified hierarchy */
	VIA_RLIMIT_RUN,     /* an rlimit that counts the whole run (RLIMIT_NPROC) */
	VIA_RLIMIT_PROCESS, /* an rlimit of each process (RLIMIT_DATA): N processes, N times */
	VIA_NOTHING,        /* not enforced (CPU without a cgroup) */
};

struct native_limits {
	enum native_via via[LIMITS_N];
	bool delegated;    /* the cgroups are the user's own (not root's) */
	bool systemd;      /* ... in a scope systemd made for claw-sandbox */
	bool at_start;     /* (predicted) exec and the filter would first ask systemd for one */
	bool rlimits_only; /* native.rlimitsOnly: rlimits were accepted */
	long long scratch; /* bytes the run's scratch tmpfs share */
	char why[300];     /* when a limit is not in a cgroup: why */
	/* The host ids the sandbox's user is mapped to: distinct from the operator's
	 * where they can be (per-uid kernel limits count apart), else the same. */
	uid_t host_uid;
	gid_t host_gid;
	bool distinct;
	char ids_why[200]; /* how they were chosen, or why they are the operator's */
};

/* A writable tree the run sees through an overlay, so that it can be undone (journal.h). */
struct native_overlay {
	const char *tree;   /* the host path, as the workspace or a bind names it */
	const char *layers; /* the run's directory holding upper/ and work/ */
	const char *sub;    /* NULL: TREE is the overlay's own tree; else TREE lies in an
	                       earlier one's (the same LAYERS), at this path inside it */
};

/* Everything the sandbox needs, resolved from the config by the caller. */
struct native_spec {
	uid_t uid; /* the host user the command runs as: never 0 */
	gid_t gid;
	const char *workspace; /* host dir shown at workdir */
	const char *workdir;   /* "/workspace" (docker.workdir) */
	bool workspace_rw;
	const char *agent_dir; /* host dir shown at /agent, or NULL */
	bool agent_rw;
	const struct native_bind *binds;
	size_t nbinds;
	const char *const *etc; /* /etc entries exposed besides the built-in list */
	size_t netc;
	const char *const *tmpfs; /* fresh writable dirs (docker.tmpfs): "/tmp", ... */
	size_t ntmpfs;
	const struct native_protect *protect; /* names at the top of a writable tree kept
	                                         read-only (persist.c), existing or not */
	size_t nprotect;
	const struct native_overlay *overlays; /* writable trees shown through an overlay */
	size_t noverlays;
	bool workspace_kept; /* the workspace is claw's own (the scope's): its placeholders stay */
	bool read_only_root; /* docker.readOnlyRoot */
	bool network;        /* the host's network; false: a fresh namespace with loopback */
	const char *pin_dir; /* as root: the installation's kept namespaces (nspin.h), or NULL */
	const char *netns_pin;   /* ... where the scope's network namespace is kept, or NULL */
	const char *cgroup_name; /* the scope's cgroup, kept between runs; NULL: one per run */
	enum landlock_mode landlock;
	bool pts;              /* /dev/pts, /dev/ptmx and /dev/tty: a private devpts instance */
	long pids_max;         /* 0: no limit */
	long long memory_max;  /* bytes; 0: no limit */
	long long memswap_max; /* bytes of memory + swap; 0: as memory_max */
	double cpus;           /* CPU share; 0: no limit */
	bool rlimits_only;     /* native.rlimitsOnly: run with rlimits where no cgroup can be had */
	double timeout;        /* the run's wall clock in seconds (0: none): also the CPU
	                          time each process may use */
	struct native_ulimit ulimits[NATIVE_MAX_ULIMITS];
	size_t nulimits;
	bool sync_log; /* LOG_FD, the decision log, is synced before the command may start: */
	int log_fd;    /* by the launcher, while init sets up (write-ahead) */
};

struct persist_watch;

/* A started sandbox: its init process, which waits for the command. */
struct native_child {
	pid_t pid;
	int pidfd;     /* readable when init has exited */
	int report_fd; /* setup errors and the command's status, from init */
	char *cgroups[4];
	size_t ncgroups;
	int cgroup_fd;               /* v2, not root: the run's cgroup, which init is born in */
	bool cgroups_kept;           /* the scope's: not removed after the run */
	bool refused;                /* a limit could not be enforced: the run was refused (126) */
	struct native_limits limits; /* what enforces each limit */
	int landlock_abi;
	struct persist_watch *watch; /* the writable trees' persistence paths, guarded */
	struct native_moved *moved;  /* special files found there, moved aside */
	size_t nmoved;
	struct pty_relay tty; /* the command's own terminal, when it was handed one */
	char msg[1100];       /* init's report: 'S' and the command's wait status, or */
	size_t msglen;        /* 'E', an exit code and why the command could not start */
	bool reported;        /* ... read whole, or init is gone */
	bool
	    wait_teardown; /* init's whole exit is waited for: cgroups removed, an overlay merged */
};

#endif

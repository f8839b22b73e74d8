/* nspin.h: namespaces kept between runs, each pinned by a bind mount (as root). */
#ifndef CLAW_NSPIN_H
#define CLAW_NSPIN_H

/* Where a root launcher keeps them: network and IPC namespaces per scope, base mount namespaces. */
#define NSPIN_DIR       "/run/claw"
#define NSPIN_NETNS_DIR NSPIN_DIR "/netns"
#define NSPIN_IPCNS_DIR NSPIN_DIR "/ipcns"
#define NSPIN_MNTNS_DIR NSPIN_DIR "/mntns"

/*
 * Enters the namespace of type NSTYPE (CLONE_NEWNET, CLONE_NEWIPC,
 * CLONE_NEWNS) pinned at PIN, making and pinning it first if it is not
 * there: SETUP(ARG), unless NULL, runs in a child born in a new one and
 * returns 0 when it is ready, -1 when it could not be (tried again next
 * time), 1 when it never can be on this kernel (the pin is left a plain
 * file, which later runs pass over). Returns the launcher's own namespace
 * to come back to with nspin_leave(), or -1 when it could not (nothing
 * changed).
 */
int nspin_enter(const char *pin, int nstype, int (*setup)(void *), void *arg);
void nspin_leave(int self, int nstype);

/* Unpins PIN (claw-sandbox rm and prune); its namespace ends with the last process in it.
 * 0, or -1 with claw_error(); a pin that is not there is not an error. */
int nspin_remove(const char *pin);
/* Every pin in DIR unpinned (claw-sandbox rm --all). */
int nspin_remove_all(const char *dir);

#endif

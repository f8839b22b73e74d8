/* nspin.h: namespaces kept between runs, each pinned by a bind mount (as root). */
#ifndef CLAW_NSPIN_H
#define CLAW_NSPIN_H

/*
 * Where a root launcher keeps them: a directory per installation (the state
 * dir's identity, sandbox_installation()), and in it netns/SCOPE (a scope's
 * network namespace), mntns/DIGEST (base mount namespaces with kept roots)
 * and userns/MAPS (user namespaces that only carry an id map for idmapped
 * mounts, named after their maps).
 */
#define NSPIN_DIR "/run/claw"

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

/*
 * A descriptor of the user namespace pinned at PIN, made with UID_MAP and
 * GID_MAP (text as /proc/PID/uid_map takes it) if it is not there; nothing
 * ever runs in it. -1 when it cannot be had (the caller makes one unpinned).
 */
int nspin_user(const char *pin, const char *uid_map, const char *gid_map);
/* The same, not pinned: a descriptor of a new one, or -1 with errno. */
int nspin_user_new(const char *uid_map, const char *gid_map);

/* Unpins PIN (claw-sandbox rm and prune); its namespace ends with the last process in it.
 * 0, or -1 with claw_error(); a pin that is not there is not an error. */
int nspin_remove(const char *pin);
/* Every pin in DIR unpinned, then DIR removed when empty (claw-sandbox rm --all). */
int nspin_remove_all(const char *dir);

#endif

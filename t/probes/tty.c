/* tty: what a command can do to the terminal it is handed (claw-sandbox(1)
 * threat 16): on each of its descriptors 0-2 that is a terminal it switches
 * echo and canonical mode off, undefines ^C, sets TIOCEXCL, a 1x1 window,
 * flushes the typeahead, tries another line discipline (refused by the
 * filter: ok), and last stops the terminal's output. It says what it did;
 * the test looks at the operator's terminal after the run. */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "probe.h"

static void change(int fd)
{
	struct termios t;
	struct winsize ws = { 1, 1, 0, 0 };
	int ldisc = 15; /* N_NULL */

	check(tcgetattr(fd, &t) == 0, "fd %d is a terminal", fd);
	t.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
	t.c_cc[VINTR] = _POSIX_VDISABLE;
	check(tcsetattr(fd, TCSANOW, &t) == 0, "echo and ^C off on fd %d", fd);
	check(ioctl(fd, TIOCEXCL) == 0, "TIOCEXCL on fd %d", fd);
	check(ioctl(fd, TIOCSWINSZ, &ws) == 0, "a 1x1 window on fd %d", fd);
	check(tcflush(fd, TCIFLUSH) == 0, "typeahead flushed on fd %d", fd);
	refused(ioctl(fd, TIOCSETD, &ldisc), EPERM, "TIOCSETD");
}

int main(void)
{
	int n = 0;

	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			change(fd), n++;
	check(n > 0, "a terminal to change");
	printf("changed; output stops now\n");
	fflush(stdout);
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			tcflow(fd, TCOOFF);
	return done();
}

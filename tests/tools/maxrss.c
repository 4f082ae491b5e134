/* maxrss.c: runs a command and prints its peak resident set size, CPU
 * time and wall time on standard error ("maxrss_kib=N cpu_s=F
 * wall_ms=F"), then exits with its status. For the benchmarks: a process
 * forked from a large parent (a Python script) reports that parent's
 * peak as its own, so the command must be started from this small
 * program instead; and Python's subprocess.run costs some milliseconds of
 * its own around a child (4 ms for /bin/true on the 2-core machine), so
 * wall_ms is taken here, from just before the spawn to just after wait4.
 * The command is started with posix_spawnp (glibc: clone with CLONE_VM
 * and CLONE_VFORK), as Python's subprocess does, not fork: fork copies
 * this program's page tables, and its pages are copied on the next
 * write on each side, 10 us a page fault on the 2-core virtual machine;
 * about 1 ms of that was counted as the command's. */
#include "config.h"

#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char **argv)
{
	struct rusage ru;
	struct timespec t0, t1;
	pid_t pid;
	int status, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1,
	    environ)) != 0) {
		fprintf(stderr, "maxrss: %s: %s\n", argv[1], strerror(rc));
		return 127;
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("maxrss: wait4");
		return 70;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "maxrss_kib=%ld cpu_s=%.2f wall_ms=%.2f\n",
	    ru.ru_maxrss, (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

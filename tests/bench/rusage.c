/* Runs a command with its output discarded and prints its wall seconds,
 * peak resident memory (KB), exit status (or "timeout" when it ran longer
 * than SECONDS and was killed) and CPU seconds (user and system, all its
 * threads: on a busy machine they move less than the wall time):
 *
 *   rusage [-t SECONDS] CMD [ARG...]
 *
 * A small C parent, so the child's peak is its own, not a large parent's
 * copied at fork. */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	kill(child, SIGKILL);
}

int main(int argc, char **argv)
{
	unsigned limit = 0;
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		limit = (unsigned)strtoul(argv[2], NULL, 10);
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: rusage [-t SECONDS] CMD [ARG...]\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execvp(argv[first], argv + first);
		perror(argv[first]);
		_exit(127);
	}
	if (child < 0) {
		perror("rusage");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (limit)
		alarm(limit);
	int status;
	struct rusage ru;
	while (wait4(child, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double seconds = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (timed_out)
		printf("%.6f %ld timeout %.6f\n", seconds, ru.ru_maxrss, cpu);
	else
		printf("%.6f %ld %d %.6f\n", seconds, ru.ru_maxrss,
		       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
		       cpu);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* --plot: the gnuplot script's frame, and running gnuplot (see pg_plot.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "pg_plot.h"

#define PG_PLOT_EXIT_NOEXEC 127 /* the child could not exec gnuplot */

static const char *
plot_ext(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (dot == NULL || (slash && dot < slash) || dot == path || (slash && dot == slash + 1))
		return NULL;
	if (strcmp(dot, ".svg") == 0 || strcmp(dot, ".png") == 0)
		return dot + 1;
	return NULL;
}

/* Whether an executable gnuplot is in $PATH. */
static bool
have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char dir[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n < sizeof(dir) - sizeof("/gnuplot")) {
			memcpy(dir, path, n);
			strcpy(dir + n, n ? "/gnuplot" : "gnuplot");
			if (access(dir, X_OK) == 0)
				return true;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

int
pg_plot_check(const char *path, char *err, size_t len)
{
	if (plot_ext(path) == NULL) {
		snprintf(err, len, "the plot's file name must end in .svg or .png (e.g. --plot=run.svg)");
		return -EINVAL;
	}
	{
		/* The picture and its script go in the file's directory: check it
		 * now rather than after the run. */
		const char *slash = strrchr(path, '/');
		char dir[4096];

		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + 1) : 1,
			 slash ? path : ".");
		if (access(dir, W_OK) != 0) {
			snprintf(err, len, "cannot write in '%s': %s", dir, strerror(errno));
			return -EACCES;
		}
	}
	if (!have_gnuplot()) {
		snprintf(err, len, "gnuplot is not in PATH: install it (Debian: apt-get install "
			 "gnuplot-nox) or drop --plot");
		return -ENOENT;
	}
	return 0;
}

FILE *
pg_plot_open(const char *path, unsigned int height, char *gp_path, size_t len)
{
	const char *ext = plot_ext(path);
	size_t stem = (size_t)(ext - 1 - path);
	FILE *f;

	if (ext == NULL || stem + sizeof(".gp") > len) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(gp_path, len, "%.*s.gp", (int)stem, path);
	f = fopen(gp_path, "w");
	if (f == NULL)
		return NULL;
	fprintf(f, "# Drawn by sluice-pktgen --plot; re-draw with: gnuplot %s\n", gp_path);
	/* The svg terminal needs no fonts installed; pngcairo anti-aliases. */
	if (strcmp(ext, "svg") == 0)
		fprintf(f, "set terminal svg size 900,%u dynamic enhanced font 'sans,11' "
			"background '#ffffff'\n", height);
	else
		fprintf(f, "set terminal pngcairo size 900,%u enhanced font 'sans,10'\n", height);
	fprintf(f, "set output '");
	/* gnuplot single-quoted strings: a quote is written twice. */
	for (const char *c = path; *c; c++)
		fprintf(f, *c == '\'' ? "''" : "%c", *c);
	fprintf(f, "'\n");
	return f;
}

int
pg_plot_run(FILE *f, const char *gp_path, char *err, size_t len)
{
	int status;
	pid_t pid;

	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, len, "writing '%s' failed: %s", gp_path, strerror(errno));
		return -EIO;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, len, "cannot start gnuplot: %s", strerror(errno));
		return -EIO;
	}
	if (pid == 0) {
		/* gnuplot's own messages go to our stderr; its stdout is not ours. */
		if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(PG_PLOT_EXIT_NOEXEC);
		execlp("gnuplot", "gnuplot", gp_path, (char *)NULL);
		_exit(PG_PLOT_EXIT_NOEXEC);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, len, "waiting for gnuplot: %s", strerror(errno));
			return -EIO;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == PG_PLOT_EXIT_NOEXEC) {
		snprintf(err, len, "could not run gnuplot: install it (Debian: apt-get install "
			 "gnuplot-nox); the script is in '%s'", gp_path);
		return -ENOENT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, len, "gnuplot failed on '%s' (status %d): see its messages above",
			 gp_path, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -EIO;
	}
	return 0;
}

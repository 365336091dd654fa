/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --plot: sluice-pktgen writes a gnuplot script that holds its data
 * (FILE.gp next to FILE) and runs gnuplot on it to draw FILE.svg or
 * FILE.png.  gnuplot draws far better plots than we would by hand
 * (axes, ticks, legends, log scales), and the script stays for the user
 * to re-draw or restyle.
 */
#ifndef PG_PLOT_H
#define PG_PLOT_H

#include <stddef.h>
#include <stdio.h>

/**
 * Check that @p path ends in .svg or .png, that its directory is writable
 * and that gnuplot is in $PATH, so
 * that a run is not wasted on a plot that cannot be drawn.
 * @return 0, or -EINVAL (bad extension) / -EACCES (its directory is not
 *   writable) / -ENOENT (no gnuplot) with a message in @p err.
 */
int pg_plot_check(const char *path, char *err, size_t len);

/**
 * Open the script for the plot @p path (@p path with its extension
 * replaced by .gp) and write its terminal (900 x @p height) and output lines.
 * @return the open script, or NULL with errno set (@p gp_path names it).
 */
FILE *pg_plot_open(const char *path, unsigned int height, char *gp_path, size_t len);

/**
 * Close script @p f and run gnuplot on @p gp_path (fork and exec, no
 * shell), waiting for it.
 * @return 0, or -EIO (write failed, or gnuplot failed: its messages are
 *   on stderr) / -ENOENT (gnuplot could not be run), with a message in @p err.
 */
int pg_plot_run(FILE *f, const char *gp_path, char *err, size_t len);

#endif /* PG_PLOT_H */

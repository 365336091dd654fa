/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interactive prompt: libedit for line editing, history and completion.
 *
 * The grammar is one table of command patterns.  The same table drives tab
 * completion and "help", so the two cannot drift apart.  A pattern word is
 * a '|'-separated list of keywords, or a <placeholder> that matches any
 * word (and is never offered as a completion).
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "testpmd.h"

#define PROMPT "testpmd> "
#define MAX_WORDS 8

struct cmd_pattern {
	const char *pattern;
	const char *help;
};

static const struct cmd_pattern cmds[] = {
	{ "help", "show this list" },
	{ "start", "start forwarding" },
	{ "start tx_first", "send a burst on every stream, then start forwarding" },
	{ "stop", "stop forwarding and show forwarding statistics" },
	{ "quit", "stop everything and exit" },
	{ "show port info|stats|xstats all|<port>", "port details, counters with rates, extended counters" },
	{ "clear port stats all|<port>", "zero a port's counters" },
	{ "show fwd stats all", "per-stream and per-port forwarding counters" },
	{ "show config rxtx|cores|fwd", "queues and sizes, forwarding lcores, streams" },
	{ "set fwd io|mac|macswap|rxonly|txonly|flowgen|csum|icmpecho", "forwarding mode" },
	{ "set nbcore <n>", "number of forwarding cores" },
	{ "set burst <n>", "packets per burst" },
	{ "set txpkts <x[,y]*>", "txonly/flowgen segment lengths" },
	{ "set verbose <n>", "print each packet: 1 received, 2 sent, 3 both, 0 off" },
	{ "set promisc all|<port> on|off", "promiscuous mode" },
	{ "set allmulti all|<port> on|off", "all-multicast mode" },
	{ "port start|stop|close all|<port>", "port life cycle" },
	{ "port config all rxq|txq|rxd|txd <n>", "queues / descriptors per port (ports stopped)" },
	{ "port config all rss ip|udp|tcp|all|none", "RSS hash types (ports with several RX queues)" },
	{ "show port <port> rss-hash", "RSS hash types in use" },
	{ "show port <port> rss-hash key", "RSS hash types and key" },
	{ "show port <port> rss reta", "RSS redirection table" },
	{ "port <port> rxq|txq <n> start|stop", "start or stop one queue of a started port" },
	{ "capture start all|<port> <file>", "write what the port(s) receive to a pcap file" },
	{ "capture stop", "stop every capture, close the files, show the counts" },
	{ "capture stop all|<port>", "stop capturing the port(s)" },
	{ "show capture", "running captures and their counters" },
};

static int
split(char *line, char **words, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return n;
}

/* Does pattern word @p pw (e.g. "info|stats", "<port>", "all|<port>") accept @p w? */
static bool
word_matches(const char *pw, size_t pwlen, const char *w)
{
	const char *p = pw, *end = pw + pwlen;

	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		size_t len = bar ? (size_t)(bar - p) : (size_t)(end - p);

		if (*p == '<' || (strlen(w) == len && strncmp(p, w, len) == 0))
			return true;
		p += len + 1;
	}
	return false;
}

/* Position of word @p idx of @p pattern, or NULL if it has fewer words. */
static const char *
pattern_word(const char *pattern, int idx, size_t *len)
{
	const char *p = pattern;

	for (int i = 0; i < idx; i++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return NULL;
		p++;
	}
	*len = strcspn(p, " ");
	return p;
}

/* How many of the @p n words @p pattern accepts in turn. */
static int
pattern_accepts(const char *pattern, char **words, int n)
{
	const char *pw;
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		pw = pattern_word(pattern, i, &len);
		if (pw == NULL || !word_matches(pw, len, words[i]))
			break;
	}
	return i;
}

/* ---- completion ---- */

static char *cands[64];
static int nb_cands;

static void
add_cand(const char *s, size_t len)
{
	for (int i = 0; i < nb_cands; i++)
		if (strlen(cands[i]) == len && strncmp(cands[i], s, len) == 0)
			return;
	if (nb_cands < (int)SL_DIM(cands))
		cands[nb_cands++] = strndup(s, len);
}

/* Collect the keywords that may follow the words before @p start. */
static void
collect(const char *line, int start, const char *text)
{
	char buf[512], *words[MAX_WORDS];
	int n;

	for (int i = 0; i < nb_cands; i++)
		free(cands[i]);
	nb_cands = 0;
	snprintf(buf, sizeof(buf), "%.*s", start, line);
	n = split(buf, words, MAX_WORDS);
	if (n < 0)
		return;
	for (size_t c = 0; c < SL_DIM(cmds); c++) {
		const char *pw;
		size_t len;

		if (pattern_accepts(cmds[c].pattern, words, n) < n ||
		    (pw = pattern_word(cmds[c].pattern, n, &len)) == NULL || *pw == '<')
			continue;
		for (const char *p = pw, *end = pw + len; p < end;) {
			const char *bar = memchr(p, '|', (size_t)(end - p));
			size_t l = bar ? (size_t)(bar - p) : (size_t)(end - p);

			if (*p != '<' && strncmp(p, text, strlen(text)) == 0)
				add_cand(p, l);
			p += l + 1;
		}
	}
}

static char *
generator(const char *text, int state)
{
	static int idx;

	(void)text;
	if (state == 0)
		idx = 0;
	return idx < nb_cands ? strdup(cands[idx++]) : NULL;
}

static char **
complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* never fall back to file names */
	collect(rl_line_buffer, start, text);
	if (nb_cands == 0)
		return NULL;
	return rl_completion_matches(text, generator);
}

/* ---- commands ---- */

static void
cmd_help(void)
{
	fprintf(tp_out, "Commands (Tab completes, Up/Down browse history):\n");
	for (size_t c = 0; c < SL_DIM(cmds); c++)
		fprintf(tp_out, "  %-58s %s\n", cmds[c].pattern, cmds[c].help);
}

/* Run @p fn on one port or on every port for "all". */
static void
on_ports(const char *word, void (*fn)(uint16_t))
{
	uint16_t p;

	if (strcmp(word, "all") == 0) {
		SL_ETH_FOREACH_DEV(p)
			if (!ports[p].closed)
				fn(p);
		return;
	}
	if (tp_port_is_valid(word, &p) == 0)
		fn(p);
}

static int
port_arg(const char *word)
{
	uint16_t p;

	if (strcmp(word, "all") == 0)
		return -1;
	if (tp_port_is_valid(word, &p) < 0)
		return -2;
	return p;
}

static int
usage_of(const char *first)
{
	fprintf(stderr, "Accepted forms:\n");
	for (size_t c = 0; c < SL_DIM(cmds); c++)
		if (strncmp(cmds[c].pattern, first, strlen(first)) == 0 &&
		    cmds[c].pattern[strlen(first)] <= ' ')
			fprintf(stderr, "  %s\n", cmds[c].pattern);
	return 0;
}

/* Is pattern word @p pw (@p len bytes) already in the "|"-separated @p list? */
static bool
already_listed(const char *list, const char *pw, size_t len)
{
	for (const char *p = list; *p != '\0';) {
		size_t l = strcspn(p, "|");

		if (l == len && strncmp(p, pw, len) == 0)
			return true;
		p += l + (p[l] == '|');
	}
	return false;
}

/*
 * Check the words typed against the command table before any handler runs,
 * so that every error names the word that is wrong and what would have
 * been accepted there, then lists the forms of that command.
 */
static bool
cmd_check(char **w, int n)
{
	char typed[256], expected[256];
	int best = 0, m, plen = 0;
	size_t off = 0, elen = 0, len;
	const char *pw;

	for (size_t c = 0; c < SL_DIM(cmds); c++) {
		m = pattern_accepts(cmds[c].pattern, w, n);
		if (m == n && pattern_word(cmds[c].pattern, n, &len) == NULL)
			return true;
		if (m > best)
			best = m;
	}
	if (best == 0) {
		fprintf(stderr, "Unknown command '%s': type 'help' for the list (Tab completes)\n",
			w[0]);
		return false;
	}
	for (int i = 0; i < n && off < sizeof(typed); i++) {
		if (i == best)
			plen = (int)off;
		off += (size_t)snprintf(typed + off, sizeof(typed) - off, "%s%s", i ? " " : "",
					w[i]);
	}
	/* What the closest patterns accept after the words that matched. */
	expected[0] = '\0';
	for (size_t c = 0; c < SL_DIM(cmds); c++) {
		if (pattern_accepts(cmds[c].pattern, w, n) != best ||
		    (pw = pattern_word(cmds[c].pattern, best, &len)) == NULL)
			continue;
		if (already_listed(expected, pw, len))
			continue;
		if (elen < sizeof(expected))
			elen += (size_t)snprintf(expected + elen, sizeof(expected) - elen, "%s%.*s",
						 elen ? "|" : "", (int)len, pw);
	}
	if (best < n && expected[0] != '\0')
		fprintf(stderr, "Bad command '%s': '%s' is not accepted after '%.*s' (expected %s)\n",
			typed, w[best], plen, typed, expected);
	else if (best < n)
		fprintf(stderr, "Bad command '%s': '%s' and what follows are one word too many\n",
			typed, w[best]);
	else
		fprintf(stderr, "Bad command '%s': incomplete, expected %s next\n", typed,
			expected);
	usage_of(w[0]);
	return false;
}

int
tp_cmdline_exec(char *line)
{
	char *w[MAX_WORDS];
	int n = split(line, w, MAX_WORDS);
	unsigned long v;

	if (n < 0) {
		fprintf(stderr, "Too many words: no command takes more than %d; type 'help'\n",
			MAX_WORDS);
		return 0;
	}
	if (n == 0 || w[0][0] == '#')
		return 0;
	if (!cmd_check(w, n))
		return 0;
	if (strcmp(w[0], "help") == 0 && n == 1) {
		cmd_help();
	} else if (strcmp(w[0], "quit") == 0 && n == 1) {
		return 1;
	} else if (strcmp(w[0], "start") == 0) {
		if (n == 1)
			tp_start_fwd(false);
		else if (n == 2 && strcmp(w[1], "tx_first") == 0)
			tp_start_fwd(true);
		else
			return usage_of("start");
	} else if (strcmp(w[0], "stop") == 0 && n == 1) {
		tp_stop_fwd();
	} else if (strcmp(w[0], "show") == 0) {
		if (n >= 4 && strcmp(w[1], "port") == 0 &&
		    (strcmp(w[3], "rss-hash") == 0 || strcmp(w[3], "rss") == 0)) {
			uint16_t p;

			if (tp_port_is_valid(w[2], &p) < 0)
				return 0;
			if (strcmp(w[3], "rss") == 0)
				tp_show_port_rss_reta(p);
			else
				tp_show_port_rss_hash(p, n == 5);
		} else if (n == 4 && strcmp(w[1], "port") == 0 && strcmp(w[2], "info") == 0)
			on_ports(w[3], tp_show_port_info);
		else if (n == 4 && strcmp(w[1], "port") == 0 && strcmp(w[2], "stats") == 0)
			on_ports(w[3], tp_show_port_stats);
		else if (n == 4 && strcmp(w[1], "port") == 0 && strcmp(w[2], "xstats") == 0)
			on_ports(w[3], tp_show_port_xstats);
		else if (n == 4 && strcmp(w[1], "fwd") == 0 && strcmp(w[2], "stats") == 0 &&
			 strcmp(w[3], "all") == 0)
			tp_show_fwd_stats();
		else if (n == 3 && strcmp(w[1], "config") == 0 && strcmp(w[2], "rxtx") == 0)
			tp_show_config_rxtx();
		else if (n == 3 && strcmp(w[1], "config") == 0 && strcmp(w[2], "cores") == 0)
			tp_show_config_cores();
		else if (n == 3 && strcmp(w[1], "config") == 0 && strcmp(w[2], "fwd") == 0)
			tp_show_config_fwd();
		else if (n == 2 && strcmp(w[1], "capture") == 0)
			tp_capture_show();
		else
			return usage_of("show");
	} else if (strcmp(w[0], "capture") == 0) {
		uint16_t p = 0;
		bool all = n >= 3 && strcmp(w[2], "all") == 0;

		if (n >= 3 && !all && tp_port_is_valid(w[2], &p) < 0)
			return 0;
		if (n == 4 && strcmp(w[1], "start") == 0)
			tp_capture_start(all ? -1 : p, w[3]);
		else if (n <= 3 && strcmp(w[1], "stop") == 0)
			tp_capture_stop(n == 2 || all ? -1 : p);
		else
			return usage_of("capture");
	} else if (strcmp(w[0], "clear") == 0) {
		if (n == 4 && strcmp(w[1], "port") == 0 && strcmp(w[2], "stats") == 0)
			on_ports(w[3], tp_clear_port_stats);
		else
			return usage_of("clear");
	} else if (strcmp(w[0], "set") == 0 && n == 4) {
		if (strcmp(w[1], "promisc") == 0)
			tp_set_rx_mode(w[2], false, strcmp(w[3], "on") == 0);
		else
			tp_set_rx_mode(w[2], true, strcmp(w[3], "on") == 0);
	} else if (strcmp(w[0], "set") == 0 && n == 3) {
		if (strcmp(w[1], "fwd") == 0) {
			tp_set_fwd_mode(w[2]);
		} else if (strcmp(w[1], "nbcore") == 0) {
			if (tp_parse_uint(w[2], 0, ~0UL, &v) < 0)
				fprintf(stderr, "Invalid number '%s': e.g. 'set nbcore 1'\n", w[2]);
			else
				tp_set_nb_cores(v);
		} else if (strcmp(w[1], "burst") == 0) {
			if (tp_parse_uint(w[2], 0, ~0UL, &v) < 0)
				fprintf(stderr, "Invalid number '%s': e.g. 'set burst 32'\n", w[2]);
			else
				tp_set_burst(v);
		} else if (strcmp(w[1], "txpkts") == 0) {
			tp_set_txpkts(w[2]);
		} else if (strcmp(w[1], "verbose") == 0) {
			if (tp_parse_uint(w[2], 0, 3, &v) < 0)
				fprintf(stderr, "Invalid verbose level '%s': 0 (off), 1 (received "
					"packets), 2 (sent packets) or 3 (both)\n", w[2]);
			else
				tp_set_verbose((unsigned int)v);
		} else {
			return usage_of("set");
		}
	} else if (strcmp(w[0], "port") == 0) {
		int p;

		if (n == 3 && (strcmp(w[1], "start") == 0 || strcmp(w[1], "stop") == 0 ||
			       strcmp(w[1], "close") == 0)) {
			p = port_arg(w[2]);
			if (p == -2)
				return 0;
			if (strcmp(w[1], "start") == 0)
				tp_ports_start(p);
			else if (strcmp(w[1], "stop") == 0)
				tp_ports_stop(p);
			else
				tp_ports_close(p);
		} else if (n == 5 && (strcmp(w[2], "rxq") == 0 || strcmp(w[2], "txq") == 0)) {
			tp_port_queue_start_stop(w[1], w[2], w[3], w[4]);
		} else if (n == 5 && strcmp(w[1], "config") == 0 && strcmp(w[3], "rss") == 0) {
			tp_port_config_rss(w[4]);
		} else if (n == 5 && strcmp(w[1], "config") == 0) {
			if (tp_parse_uint(w[4], 0, ~0UL, &v) < 0)
				fprintf(stderr, "Invalid number '%s': e.g. 'port config all %s 1024'\n",
					w[4], w[3]);
			else
				tp_port_config_all(w[3], v);
		} else {
			return usage_of("port");
		}
	} else {
		return usage_of(w[0]);
	}
	return 0;
}

static bool quit_requested;
static bool line_done;

/* libedit hands over each complete line (NULL on EOF / ^D). */
static void
on_line(char *line)
{
	line_done = true;
	if (line == NULL) {
		quit_requested = true;
		fputc('\n', tp_out);
		return;
	}
	if (*line)
		add_history(line);
	if (tp_cmdline_exec(line))
		quit_requested = true;
	free(line);
	fflush(tp_out);
	fflush(stderr);
}

/*
 * The terminal loop uses libedit's callback interface rather than a
 * blocking readline(): we poll stdin ourselves, so a SIGINT/SIGTERM (which
 * libedit would otherwise restart its read() after) ends the loop at once.
 */
static void
run_tty(void)
{
	rl_readline_name = "sluice-testpmd";
	rl_attempted_completion_function = complete;
	rl_catch_signals = 0; /* our handler decides what a signal means */
	using_history();
	rl_callback_handler_install(PROMPT, on_line);
	while (!quit_requested && !tp_signal) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&pfd, 1, 200);

		if (r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			line_done = false;
			rl_callback_read_char();
			/* libedit does not show the prompt again by itself. */
			if (line_done && !quit_requested) {
				rl_callback_handler_remove();
				rl_callback_handler_install(PROMPT, on_line);
			}
		}
	}
	rl_callback_handler_remove();
}

/* Not a terminal (a script or a pipe): plain lines, prompt still printed. */
static void
run_pipe(void)
{
	char *line = NULL;
	size_t cap = 0;

	while (!quit_requested && !tp_signal) {
		fputs(PROMPT, stdout);
		fflush(stdout);
		if (getline(&line, &cap, stdin) < 0)
			break;
		if (tp_cmdline_exec(line))
			break;
		fflush(tp_out);
		fflush(stderr);
	}
	free(line);
}

int
tp_cmdline_run(void)
{
	quit_requested = false;
	if (isatty(STDIN_FILENO))
		run_tty();
	else
		run_pipe();
	for (int i = 0; i < nb_cands; i++)
		free(cands[i]);
	nb_cands = 0;
	if (tp_signal)
		fprintf(tp_out, "\nSignal %d received\n", tp_signal);
	return 0;
}

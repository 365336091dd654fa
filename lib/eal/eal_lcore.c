/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lcore threads.  Each worker sleeps on its own condition variable while
 * idle (an idle worker costs no CPU: the cores are shared with whatever
 * else runs) and runs one launched function at a time.
 */
#include <errno.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "sl_lcore.h"
#include "sl_log.h"
#include "eal_private.h"

__thread unsigned int sl__per_lcore_id = SL_LCORE_ID_ANY;
__thread int sl__per_lcore_socket = SL_SOCKET_ID_ANY;

struct lcore_cfg {
	pthread_t thread;
	int cpu;
	int socket;
	int enabled;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* signalled on every state change */
	enum sl_lcore_state state;
	int quit;
	sl_lcore_function_t *f;
	void *arg;
	int ret;
};

static struct lcore_cfg lcores[SL_MAX_LCORE];
static unsigned int lcore_count;
static unsigned int main_lcore = SL_LCORE_ID_ANY;
static pthread_t main_thread;
static cpu_set_t main_saved_affinity;
static int main_affinity_saved;

/*
 * NUMA topology, read once: numa_available() is a get_mempolicy() syscall
 * and numa_node_size64() reads sysfs, far too slow for every sl_malloc().
 */
static pthread_once_t topo_once = PTHREAD_ONCE_INIT;
static int topo_numa;   /* libnuma usable */
static int topo_nsock;
static int topo_has_mem[EAL_MAX_SOCKETS];

static void
topo_init(void)
{
	topo_numa = numa_available() >= 0;
	topo_nsock = topo_numa ? SL_MIN(numa_max_node() + 1, EAL_MAX_SOCKETS) : 1;
	for (int s = 0; s < topo_nsock; s++)
		topo_has_mem[s] = topo_numa ? numa_node_size64(s, NULL) > 0 : s == 0;
}

int
eal_numa_ok(void)
{
	pthread_once(&topo_once, topo_init);
	return topo_numa;
}

int
eal_socket_count(void)
{
	pthread_once(&topo_once, topo_init);
	return topo_nsock;
}

int
eal_socket_has_memory(int socket)
{
	pthread_once(&topo_once, topo_init);
	return socket >= 0 && socket < topo_nsock && topo_has_mem[socket];
}

int
eal_cpu_socket(int cpu)
{
	int node;

	if (!eal_numa_ok())
		return 0;
	node = numa_node_of_cpu(cpu);
	return node < 0 ? 0 : node;
}

int
sl_socket_id(void)
{
	int cpu;

	if (sl__per_lcore_socket != SL_SOCKET_ID_ANY)
		return sl__per_lcore_socket;
	cpu = sched_getcpu();
	return cpu < 0 ? 0 : eal_cpu_socket(cpu);
}

unsigned int
sl_lcore_count(void)
{
	return lcore_count;
}

unsigned int
sl_get_main_lcore(void)
{
	return main_lcore;
}

int
sl_lcore_is_enabled(unsigned int id)
{
	return id < SL_MAX_LCORE && lcores[id].enabled;
}

int
sl_lcore_to_cpu_id(unsigned int id)
{
	return sl_lcore_is_enabled(id) ? lcores[id].cpu : -EINVAL;
}

int
sl_lcore_to_socket_id(unsigned int id)
{
	return sl_lcore_is_enabled(id) ? lcores[id].socket : SL_SOCKET_ID_ANY;
}

unsigned int
sl_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	/* (unsigned)-1 + 1 == 0: start at the first id. */
	for (unsigned int n = 0; n < SL_MAX_LCORE; n++) {
		i++;
		if (i >= SL_MAX_LCORE) {
			if (!wrap)
				return SL_MAX_LCORE;
			i = 0;
		}
		if (!lcores[i].enabled)
			continue;
		if (skip_main && i == main_lcore)
			continue;
		return i;
	}
	return SL_MAX_LCORE;
}

static void *
lcore_worker(void *p)
{
	struct lcore_cfg *lc = p;
	sl_lcore_function_t *f;
	void *arg;
	int ret;

	sl__per_lcore_id = (unsigned int)(lc - lcores);
	sl__per_lcore_socket = lc->socket;

	pthread_mutex_lock(&lc->lock);
	for (;;) {
		while (lc->state != SL_LCORE_RUNNING && !lc->quit)
			pthread_cond_wait(&lc->cond, &lc->lock);
		if (lc->quit)
			break;
		f = lc->f;
		arg = lc->arg;
		pthread_mutex_unlock(&lc->lock);

		ret = f(arg);

		pthread_mutex_lock(&lc->lock);
		lc->ret = ret;
		lc->state = SL_LCORE_FINISHED;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return NULL;
}

static void
lcore_reset(void)
{
	for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
		lcores[i].enabled = 0;
		lcores[i].started = 0;
		lcores[i].cpu = -1;
		lcores[i].socket = SL_SOCKET_ID_ANY;
		lcores[i].state = SL_LCORE_WAIT;
		lcores[i].quit = 0;
		lcores[i].ret = 0;
	}
	lcore_count = 0;
	main_lcore = SL_LCORE_ID_ANY;
}

int
eal_lcore_init(const struct eal_config *cfg)
{
	pthread_attr_t attr;
	cpu_set_t set;
	char name[16];
	int ret;

	lcore_reset();
	for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
		if (cfg->lcore_cpu[i] < 0)
			continue;
		lcores[i].enabled = 1;
		lcores[i].cpu = cfg->lcore_cpu[i];
		lcores[i].socket = eal_cpu_socket(cfg->lcore_cpu[i]);
		pthread_mutex_init(&lcores[i].lock, NULL);
		pthread_cond_init(&lcores[i].cond, NULL);
		lcore_count++;
	}
	main_lcore = cfg->main_lcore;

	/* Pin the calling thread to the main lcore; remember its old mask so
	 * sl_eal_cleanup() gives the thread back the CPUs it had. */
	main_thread = pthread_self();
	main_affinity_saved =
		pthread_getaffinity_np(main_thread, sizeof(main_saved_affinity),
				       &main_saved_affinity) == 0;
	CPU_ZERO(&set);
	CPU_SET(lcores[main_lcore].cpu, &set);
	ret = pthread_setaffinity_np(main_thread, sizeof(set), &set);
	if (ret != 0) {
		SL_LOG(ERR, EAL, "cannot pin the main lcore %u to CPU %d: %s",
		       main_lcore, lcores[main_lcore].cpu, strerror(ret));
		ret = -ret;
		goto fail;
	}
	sl__per_lcore_id = main_lcore;
	sl__per_lcore_socket = lcores[main_lcore].socket;

	for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
		if (!lcores[i].enabled || i == main_lcore)
			continue;
		pthread_attr_init(&attr);
		CPU_ZERO(&set);
		CPU_SET(lcores[i].cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		ret = pthread_create(&lcores[i].thread, &attr, lcore_worker, &lcores[i]);
		pthread_attr_destroy(&attr);
		if (ret != 0) {
			SL_LOG(ERR, EAL, "cannot start the thread of lcore %u on CPU %d: %s",
			       i, lcores[i].cpu, strerror(ret));
			ret = -ret;
			goto fail;
		}
		lcores[i].started = 1;
		snprintf(name, sizeof(name), "sl-lcore-%u", i);
		pthread_setname_np(lcores[i].thread, name);
	}
	return 0;
fail:
	eal_lcore_cleanup();
	return ret;
}

int
eal_lcore_busy(void)
{
	unsigned int i;
	int busy;

	SL_LCORE_FOREACH_WORKER(i) {
		pthread_mutex_lock(&lcores[i].lock);
		busy = lcores[i].state == SL_LCORE_RUNNING;
		pthread_mutex_unlock(&lcores[i].lock);
		if (busy)
			return (int)i;
	}
	return -1;
}

void
eal_lcore_cleanup(void)
{
	for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
		if (!lcores[i].started)
			continue;
		pthread_mutex_lock(&lcores[i].lock);
		lcores[i].quit = 1;
		pthread_cond_broadcast(&lcores[i].cond);
		pthread_mutex_unlock(&lcores[i].lock);
		pthread_join(lcores[i].thread, NULL);
		lcores[i].started = 0;
	}
	for (unsigned int i = 0; i < SL_MAX_LCORE; i++) {
		if (!lcores[i].enabled)
			continue;
		pthread_mutex_destroy(&lcores[i].lock);
		pthread_cond_destroy(&lcores[i].cond);
	}
	if (pthread_equal(main_thread, pthread_self())) {
		if (main_affinity_saved)
			pthread_setaffinity_np(main_thread, sizeof(main_saved_affinity),
					       &main_saved_affinity);
		sl__per_lcore_id = SL_LCORE_ID_ANY;
		sl__per_lcore_socket = SL_SOCKET_ID_ANY;
	}
	main_affinity_saved = 0;
	lcore_reset();
}

int
sl_eal_remote_launch(sl_lcore_function_t *f, void *arg, unsigned int id)
{
	struct lcore_cfg *lc;
	int ret = 0;

	if (lcore_count == 0)
		return -ENODEV;
	if (f == NULL || !sl_lcore_is_enabled(id) || id == main_lcore)
		return -EINVAL;
	lc = &lcores[id];
	pthread_mutex_lock(&lc->lock);
	if (lc->state != SL_LCORE_WAIT) {
		ret = -EBUSY;
	} else {
		lc->f = f;
		lc->arg = arg;
		lc->state = SL_LCORE_RUNNING;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

int
sl_eal_mp_remote_launch(sl_lcore_function_t *f, void *arg, int call_main)
{
	unsigned int i;
	int ret;

	if (lcore_count == 0)
		return -ENODEV;
	if (f == NULL)
		return -EINVAL;
	/* All or nothing: refuse before launching anything if a worker is busy. */
	SL_LCORE_FOREACH_WORKER(i) {
		if (sl_eal_get_lcore_state(i) != SL_LCORE_WAIT)
			return -EBUSY;
	}
	SL_LCORE_FOREACH_WORKER(i) {
		ret = sl_eal_remote_launch(f, arg, i);
		if (ret < 0)
			return ret;
	}
	if (call_main) {
		struct lcore_cfg *lc = &lcores[main_lcore];

		ret = f(arg);
		pthread_mutex_lock(&lc->lock);
		lc->ret = ret;
		lc->state = SL_LCORE_FINISHED;
		pthread_mutex_unlock(&lc->lock);
	}
	return 0;
}

int
sl_eal_wait_lcore(unsigned int id)
{
	struct lcore_cfg *lc;
	int ret = 0;

	if (!sl_lcore_is_enabled(id))
		return -EINVAL;
	lc = &lcores[id];
	pthread_mutex_lock(&lc->lock);
	while (lc->state == SL_LCORE_RUNNING)
		pthread_cond_wait(&lc->cond, &lc->lock);
	if (lc->state == SL_LCORE_FINISHED) {
		ret = lc->ret;
		lc->state = SL_LCORE_WAIT;
	}
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

void
sl_eal_mp_wait_lcore(void)
{
	unsigned int i;

	SL_LCORE_FOREACH_WORKER(i)
		sl_eal_wait_lcore(i);
}

int
sl_eal_get_lcore_state(unsigned int id)
{
	int state;

	if (!sl_lcore_is_enabled(id))
		return -EINVAL;
	pthread_mutex_lock(&lcores[id].lock);
	state = (int)lcores[id].state;
	pthread_mutex_unlock(&lcores[id].lock);
	return state;
}

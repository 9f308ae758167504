/*
 * The soak's target board through libvzsim (target.h).
 */
#include "target.h"

#include <endian.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <vzsoak/bootargs_parse.h>
#include <vzsoak/linux_files.h>

vzsim *target_checker_new(void)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	cfg.ram_size = 4096;
	char err[256];
	return vzsim_new(&cfg, err, sizeof err);
}

int target_check_opt(void *ctx, const char *name, const char *value, char *err,
		    size_t errlen)
{
	return vzsim_board_opt(ctx, name, value, err, errlen);
}

/*
 * Linux guests: the kernel and initramfs make linux leaves in build/linux,
 * found beside the hypervisor's folder (build/target), staged where the
 * hypervisor's linux-kernel and linux-initrd defaults say (its own table,
 * <vzsoak/bootargs.def>).
 */
static int stage_linux(vzsim *sim, const char *hv_path, char *err, size_t errlen)
{
	const char *slash = strrchr(hv_path, '/');
	int dir = slash ? (int)(slash - hv_path) : 1;
	const char *base = slash ? hv_path : ".";
	char path[4096];
	struct hv_args def;
	hv_args_defaults(&def);
	const struct { const char *file; uint32_t pa; } files[] = {
		{LINUX_FILE_KERNEL, def.linux_kernel}, {LINUX_FILE_INITRD, def.linux_initrd},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if ((size_t)snprintf(path, sizeof path, "%.*s/" LINUX_FILES_DIR "/%s", dir, base,
				     files[i].file) >= sizeof path) {
			snprintf(err, errlen, "image = linux: path too long");
			return -1;
		}
		char why[512];
		if (vzsim_load_raw(sim, path, files[i].pa, why, sizeof why) != 0) {
			snprintf(err, errlen, "image = linux: %s (make linux)", why);
			return -1;
		}
	}
	return 0;
}

vzsim *target_open(const struct scenario *s, const char *hv_path, char *err,
		  size_t errlen)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	/* The seed also drives the board's Random (tlbwr), so another seed
	 * is another interleaving all the way down. */
	cfg.seed = s->seed;
	vzsim *sim = vzsim_new(&cfg, err, errlen);
	if (!sim)
		return NULL;
	for (unsigned i = 0; i < s->nboard; i++)
		if (vzsim_board_opt(sim, s->board[i].name, s->board[i].value, err,
				    errlen) != 0)
			goto fail;
	uint32_t entry;
	if (vzsim_load_elf(sim, hv_path, &entry, err, errlen) != 0)
		goto fail;
	if (scenario_runs_linux(s) && stage_linux(sim, hv_path, err, errlen) != 0)
		goto fail;
	char args[1024];
	if (scenario_bootargs(s, args, sizeof args) < 0) {
		snprintf(err, errlen, "boot arguments longer than %zu bytes",
			 sizeof args - 1);
		goto fail;
	}
	/* After the image: it may cover the block. */
	if (vzsim_set_bootargs(sim, args, err, errlen) != 0)
		goto fail;
	vzsim_reset(sim, entry);
	return sim;
fail:
	vzsim_free(sim);
	return NULL;
}

/* The blocks are little-endian words whatever the host is. */
static void from_le(uint32_t *w)
{
	*w = le32toh(*w);
}

static void status_from_le(struct status_block *b)
{
	from_le(&b->magic);
	from_le(&b->version);
	from_le(&b->state);
	from_le(&b->guests);
	from_le(&b->switches);
	for (unsigned i = 0; i < STATUS_GUESTS; i++) {
		struct status_guest *g = &b->g[i];
		uint32_t *w[] = {
			&g->state, &g->exit_status, &g->window_pa, &g->heartbeats,
			&g->last_heartbeat, &g->anomalies, &g->first_anomaly,
			&g->first_detail, &g->last_anomaly, &g->last_detail,
			&g->kstats_gpa, &g->kstats_words, &g->exits,
			&g->switched_in, &g->preserved, &g->restored,
		};
		for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
			from_le(w[k]);
		g->image[STATUS_NAME_MAX - 1] = 0;
	}
}

/* Guest i's statistics block, if it registered one that is ours. */
static bool read_kstats(target_mem_reader rd, void *ctx, const struct status_guest *g,
			uint32_t *ks)
{
	memset(ks, 0, KS_WORDS * sizeof *ks);
	if (!g->kstats_gpa || g->kstats_words <= KS_VERSION)
		return false;
	unsigned words = g->kstats_words < KS_WORDS ? g->kstats_words : KS_WORDS;
	if (rd(ctx, g->window_pa + g->kstats_gpa, ks, words * sizeof *ks) != 0)
		return false;
	for (unsigned k = 0; k < words; k++)
		from_le(&ks[k]);
	return ks[KS_MAGIC] == KSTATS_MAGIC && ks[KS_VERSION] == KSTATS_VERSION;
}

void target_view_read(target_mem_reader rd, void *ctx, struct soak_view *v)
{
	v->present = false;
	/* The header, then only the guests the run has: a board through a
	 * probe reads every word with a few JTAG round trips. */
	memset(&v->st, 0, sizeof v->st);
	size_t head = offsetof(struct status_block, g);
	if (rd(ctx, STATUS_PA, &v->st, head) != 0)
		return;
	uint32_t n = le32toh(v->st.guests);
	if (n > STATUS_GUESTS)
		n = STATUS_GUESTS;
	if (le32toh(v->st.magic) == STATUS_MAGIC && n &&
	    rd(ctx, STATUS_PA + (uint32_t)head, v->st.g, n * sizeof v->st.g[0]) != 0)
		return;
	status_from_le(&v->st);
	v->present = v->st.magic == STATUS_MAGIC && v->st.version == STATUS_VERSION;
	if (!v->present)
		return;
	for (unsigned i = 0; i < view_guests(v); i++)
		if (v->st.g[i].state != GSTATE_ABSENT)
			v->ks_ok[i] = read_kstats(rd, ctx, &v->st.g[i], v->ks[i]);
}

static int sim_read(void *ctx, uint32_t pa, void *buf, size_t len)
{
	return vzsim_mem_read(ctx, pa, buf, len);
}

void target_read_view(vzsim *sim, double wall, struct soak_view *v)
{
	memset(v, 0, sizeof *v);
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	/* vzsim_run's budget counts idle WAIT cycles too: so does the soak,
	 * so checks land on exact multiples of check-every. */
	v->insns = st.insns + st.idle_cycles;
	v->sim_ns = vzsim_sim_time_ns(sim);
	v->wall = wall;
	target_view_read(sim_read, sim, v);
}

static enum vzsim_stop vzsim_slice(struct target *t, uint64_t n)
{
	return vzsim_run(((struct target_vzsim *)t)->sim, n);
}

static void vzsim_view(struct target *t, double wall, struct soak_view *v)
{
	target_read_view(((struct target_vzsim *)t)->sim, wall, v);
}

void target_vzsim_init(struct target_vzsim *tv, vzsim *sim)
{
	*tv = (struct target_vzsim){.t = {.run = vzsim_slice, .read_view = vzsim_view},
				    .sim = sim};
}

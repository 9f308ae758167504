/*
 * main.c: boot.  Read the boot arguments, set up VZ (GuestCtl0), copy
 * each guest's image into its memory window, create the vcpus, and enter
 * the first guest.  From then on the hypervisor only runs in exit.c,
 * called from the root exception vector, until the last guest stops.
 */
#include <vzsoak/bootargs.h>
#include <vzsoak/linux_files.h>

#include "hv.h"

struct hv_args hv_args;
struct vcpu hv_vcpus[HV_MAX_GUESTS];
unsigned hv_nvcpus;
struct vcpu *hv_current;

#define MALTA_SOFTRES	((volatile uint32_t *)0xbf000500u)
#define SOFTRES_RESET	0x42u

void hv_finish(void)
{
	for (unsigned i = 0; i < hv_nvcpus; i++)
		guest_console_flush(&hv_vcpus[i]);
	stats_print();
	status_set_state(STATUS_FINISHED);
	hv_puts("hv: all guests stopped\n");
	/* Malta's reset register: on vzsim this ends the run. */
	*MALTA_SOFTRES = SOFTRES_RESET;
	for (;;)
		;
}

static void read_bootargs(void)
{
	const volatile uint32_t *blk = (const volatile uint32_t *)BOOTARGS_KSEG0;
	char err[256];

	hv_args_defaults(&hv_args);
	if (blk[0] != BOOTARGS_MAGIC) {
		hv_puts("hv: no boot arguments, using defaults\n");
		return;
	}
	if (blk[1] != BOOTARGS_VERSION) {
		hv_printf("hv: boot arguments version %u unknown, using defaults\n", blk[1]);
		return;
	}
	const char *text = (const char *)(BOOTARGS_KSEG0 + BOOTARGS_HEADER);
	uint32_t len = blk[2] < BOOTARGS_TEXT_MAX ? blk[2] : BOOTARGS_TEXT_MAX - 1;
	hv_puts("hv: boot arguments: ");
	for (uint32_t i = 0; i < len; i++)
		hv_putc(text[i]);
	hv_putc('\n');
	if (hv_args_parse(&hv_args, text, len, err, sizeof err)) {
		hv_printf("hv: bad boot arguments: %s\n", err);
		status_set_state(STATUS_FAILED);
		hv_finish();
	}
}

/* The staged Linux kernel (linux_guest.c copies it): no bytes here. */
static const struct guest_image linux_image = {LINUX_IMAGE_NAME, 0, 0};

static const struct guest_image *find_image(const char *name)
{
	for (unsigned i = 0; i < hv_nimages; i++)
		if (hv_streq(hv_images[i].name, name))
			return &hv_images[i];
	return NULL;
}

/* GuestCtl0: the guest owns its CP0 and its timer (CP0, GT); hit- and
 * index-type cache ops exit (CG and GuestCtl0Ext.CGI clear) so that they
 * are seen; field changes exit as GSFC (FCD clear); reserved
 * instructions exit as GRR only with ri-exit=on. */
static void vz_init(void)
{
	uint32_t gc0 = read_c0_guestctl0();
	gc0 &= ~(GC0_GM | GC0_RI | GC0_CG | GC0_CF);
	gc0 |= GC0_CP0 | GC0_GT;
	if (hv_args.ri_exit)
		gc0 |= GC0_RI;
	write_c0_guestctl0(gc0);
	write_c0_guestctl0ext(0);
	write_c0_guestctl1(0);
	write_c0_guestctl2(0);
}

/* The injected bugs by name (inject=), so that a run's console says it
 * was not the real hypervisor. */
static void print_injected(void)
{
	if (!hv_args.inject)
		return;
	const struct bootarg *b = bootarg_find("inject", 6);
	hv_puts("hv: injected bugs:");
	unsigned i = 0;
	for (const char *p = b->choices; *p; i++) {
		unsigned n = 0;
		while (p[n] && p[n] != '|')
			n++;
		if (i > 0 && HV_INJECTED(&hv_args, i)) {
			char name[32];
			unsigned k;
			for (k = 0; k < n && k + 1 < sizeof name; k++)
				name[k] = p[k];
			name[k] = 0;
			hv_printf(" %s", name);
		}
		p += n + (p[n] == '|');
	}
	hv_puts("\n");
}

void hv_main(void);
void hv_main(void)
{
	status_init();
	hv_puts("hv: vzsoak reference hypervisor\n");
	read_bootargs();
	hv_printf("hv: %u guests, seed %u, quantum %u, jitter %u, sched %s, preserve %s\n",
		  hv_args.guests, hv_args.seed, hv_args.quantum, hv_args.jitter,
		  hv_args.sched == HV_SCHED_AIM ? "aim" : "rr",
		  hv_args.preserve ? "on" : "off");
	print_injected();

	vz_init();
	gpa_init();
	trace_init();
	uint32_t next_pa = HV_WINDOW_SIZE; /* the windows, one after the other */
	for (unsigned g = 1; g <= hv_args.guests; g++) {
		struct vcpu *v = &hv_vcpus[g - 1];
		int is_linux = hv_streq(hv_args.image[g - 1], LINUX_IMAGE_NAME);
		const struct guest_image *img = is_linux ? &linux_image
							 : find_image(hv_args.image[g - 1]);
		if (!img) {
			hv_printf("hv: g%u: no guest image '%s'\n", g, hv_args.image[g - 1]);
			status_set_state(STATUS_FAILED);
			hv_finish();
		}
		uint32_t win = is_linux ? hv_args.linux_mem << 20 : HV_WINDOW_SIZE;
		if (win % HV_WINDOW_SIZE || win > HV_RAM_END - next_pa) {
			hv_printf("hv: g%u: %u MiB of guest RAM at physical %x do not fit "
				  "the board's %u MiB (linux-mem: a multiple of 16)\n", g,
				  win >> 20, next_pa, HV_RAM_END >> 20);
			status_set_state(STATUS_FAILED);
			hv_finish();
		}
		vcpu_init(v, g, img);
		v->win_pa = next_pa;
		v->win_size = win;
		next_pa += win;
		if (is_linux) {
			if (linux_guest_setup(v)) {
				status_set_state(STATUS_FAILED);
				hv_finish();
			}
		} else {
			/* The image is linked at guest kseg0 0x80000000: GPA 0. */
			memcpy(PA_TO_KSEG0(v->win_pa), img->start, (uint32_t)(img->end - img->start));
		}
		status_guest_init(v);
		hv_printf("hv: g%u: image %s at physical %x\n", g, img->name, v->win_pa);
		hv_nvcpus = g;
	}

	sched_init();
	status_set_state(STATUS_RUNNING);
	status_switched_in(&hv_vcpus[0]);
	struct vcpu *first = &hv_vcpus[0];
	vcpu_load(first);
	trace_vcpu_entry(first);
	sched_start_slice();
	hv_enter_guest(first);
}

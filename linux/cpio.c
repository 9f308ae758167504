/* The newc cpio writer (cpio.h). */
#include <initramfs/cpio.h>

#include <string.h>

#define S_DIR 0040000u
#define S_REG 0100000u
#define S_LNK 0120000u
#define S_CHR 0020000u
#define S_BLK 0060000u

void cpio_init(struct cpio_writer *w, FILE *f)
{
	*w = (struct cpio_writer){.f = f, .next_ino = 1};
}

static void put(struct cpio_writer *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		w->failed = 1;
	w->written += n;
}

static void pad4(struct cpio_writer *w)
{
	static const char zeros[4];
	put(w, zeros, (size_t)(-w->written & 3));
}

struct member {
	const char *name;
	uint32_t mode, nlink, size, rmajor, rminor;
	const void *data;
};

static int member(struct cpio_writer *w, const struct member *m)
{
	char head[CPIO_HEADER_SIZE + 1];
	size_t namesize = strlen(m->name) + 1;
	uint32_t ino = strcmp(m->name, CPIO_TRAILER) ? w->next_ino++ : 0;
	/* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
	 * rdevminor namesize check */
	snprintf(head, sizeof head,
		 CPIO_NEWC_MAGIC "%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, m->mode, 0u, 0u, m->nlink, 0u, m->size, 0u, 0u, m->rmajor,
		 m->rminor, (unsigned)namesize, 0u);
	put(w, head, CPIO_HEADER_SIZE);
	put(w, m->name, namesize);
	pad4(w);
	put(w, m->data, m->size);
	pad4(w);
	return w->failed ? -1 : 0;
}

int cpio_dir(struct cpio_writer *w, const char *name, unsigned mode)
{
	return member(w, &(struct member){.name = name, .mode = S_DIR | (mode & 07777),
					  .nlink = 2});
}

int cpio_file(struct cpio_writer *w, const char *name, unsigned mode,
	      const void *data, uint32_t size)
{
	return member(w, &(struct member){.name = name, .mode = S_REG | (mode & 07777),
					  .nlink = 1, .size = size, .data = data});
}

int cpio_symlink(struct cpio_writer *w, const char *name, const char *target)
{
	return member(w, &(struct member){.name = name, .mode = S_LNK | 0777, .nlink = 1,
					  .size = (uint32_t)strlen(target),
					  .data = target});
}

int cpio_node(struct cpio_writer *w, const char *name, unsigned mode, char type,
	      unsigned major, unsigned minor)
{
	return member(w, &(struct member){.name = name,
					  .mode = (type == 'b' ? S_BLK : S_CHR) | (mode & 07777),
					  .nlink = 1, .rmajor = major, .rminor = minor});
}

int cpio_finish(struct cpio_writer *w)
{
	return member(w, &(struct member){.name = CPIO_TRAILER, .nlink = 1});
}

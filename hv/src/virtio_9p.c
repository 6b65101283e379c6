/*
 * hv/src/virtio_9p.c — read-only 9P2000.L over virtio (virtio_9p.h).
 *
 * Message layout (9P2000.L): size[4] type[1] tag[2] body; strings are
 * len[2] + bytes; a qid is type[1] version[4] path[8]. Error replies are
 * Rlerror ecode[4] with a Linux errno.
 */
#include "virtio_9p.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	P9_RLERROR = 7,
	P9_TLOPEN = 12, P9_RLOPEN = 13,
	P9_TGETATTR = 24, P9_RGETATTR = 25,
	P9_TREADDIR = 40, P9_RREADDIR = 41,
	P9_TVERSION = 100, P9_RVERSION = 101,
	P9_TATTACH = 104, P9_RATTACH = 105,
	P9_TWALK = 110, P9_RWALK = 111,
	P9_TREAD = 116, P9_RREAD = 117,
	P9_TCLUNK = 120, P9_RCLUNK = 121,
};
#define P9_MAXWELEM 16
#define P9_GETATTR_BASIC 0x000007ffull
#define P9_QTDIR 0x80
#define P9_QTSYMLINK 0x02
#define P9_QTFILE 0x00
#define P9_HEADER 7u

struct fid {
	int used;
	char *path;            /* relative to the share, "" = its root */
	int fd;                /* after Tlopen, else -1 */
	int is_dir;
	char **names;          /* sorted directory listing, loaded at first readdir */
	size_t nnames;
};

struct virtio_9p {
	int rootfd;
	uint32_t msize;
	struct fid fids[VIRTIO_9P_MAX_FIDS];
	struct virtq_chain *chain;
	uint8_t *req, *resp;
};

/* --- bounded reader / writer -------------------------------------------- */
struct rd { const uint8_t *p; size_t len, off; int bad; };
struct wr { uint8_t *p; size_t cap, off; int over; };

static const uint8_t *take(struct rd *r, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}
static uint64_t get(struct rd *r, unsigned n)
{
	const uint8_t *p = take(r, n);
	uint64_t v = 0;
	for (unsigned i = 0; p && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}
/* A string as pointer + length (not NUL-terminated). */
static const char *get_str(struct rd *r, uint16_t *len)
{
	*len = (uint16_t)get(r, 2);
	return (const char *)take(r, *len);
}
static uint8_t *room(struct wr *w, size_t n)
{
	if (w->over || n > w->cap - w->off) {
		w->over = 1;
		return NULL;
	}
	uint8_t *p = w->p + w->off;
	w->off += n;
	return p;
}
static void put(struct wr *w, uint64_t v, unsigned n)
{
	uint8_t *p = room(w, n);
	for (unsigned i = 0; p && i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void put_str(struct wr *w, const char *s, size_t len)
{
	put(w, len, 2);
	uint8_t *p = room(w, len);
	if (p)
		memcpy(p, s, len);
}

static void put_qid(struct wr *w, const struct stat *st)
{
	put(w, S_ISDIR(st->st_mode) ? P9_QTDIR : S_ISLNK(st->st_mode) ? P9_QTSYMLINK : P9_QTFILE, 1);
	put(w, (uint32_t)st->st_mtime, 4);
	put(w, (uint64_t)st->st_ino, 8);
}

/* --- confinement ------------------------------------------------------------ */

/* A walk element: one name, not ".", "..", empty, no '/' or NUL. */
static int good_name(const char *s, uint16_t len)
{
	if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (uint16_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == 0)
			return 0;
	return 1;
}

/* Open a share-relative path component by component without following
 * any symlink. Returns an fd or -errno. */
static int open_path(struct virtio_9p *d, const char *path, int flags)
{
	if (!path[0]) {
		int fd = openat(d->rootfd, ".", flags | O_NOFOLLOW);
		return fd < 0 ? -errno : fd;
	}
	int cur = d->rootfd;
	char comp[256];
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || n >= sizeof comp) {
			if (cur != d->rootfd)
				close(cur);
			return -EINVAL;
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		int next = openat(cur, comp, slash ? (O_RDONLY | O_DIRECTORY | O_NOFOLLOW) : (flags | O_NOFOLLOW));
		int e = errno;
		if (cur != d->rootfd)
			close(cur);
		if (next < 0)
			return e == ENOTDIR && slash ? -ELOOP : -e;
		if (!slash)
			return next;
		cur = next;
		p = slash + 1;
	}
}

static int stat_path(struct virtio_9p *d, const char *path, struct stat *st)
{
	int fd = open_path(d, path, O_PATH);
	if (fd < 0)
		return fd;
	int rc = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* --- fids ------------------------------------------------------------------- */

static struct fid *get_fid(struct virtio_9p *d, uint32_t fid)
{
	return fid < VIRTIO_9P_MAX_FIDS && d->fids[fid].used ? &d->fids[fid] : NULL;
}

static void clunk(struct fid *f)
{
	if (!f->used)
		return;
	free(f->path);
	if (f->fd >= 0)
		close(f->fd);
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof *f);
	f->fd = -1;
}

static int set_fid(struct virtio_9p *d, uint32_t fid, char *path)
{
	if (fid >= VIRTIO_9P_MAX_FIDS) {
		free(path);
		return -EMFILE;
	}
	struct fid *f = &d->fids[fid];
	clunk(f);
	f->used = 1;
	f->path = path;
	f->fd = -1;
	return 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int load_listing(struct fid *f)
{
	if (f->names)
		return 0;
	int fd = dup(f->fd);
	if (fd < 0)
		return -errno;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	rewinddir(dir);
	size_t cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (f->nnames == cap) {
			cap = cap ? 2 * cap : 32;
			char **nn = realloc(f->names, cap * sizeof *nn);
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			f->names = nn;
		}
		if (!(f->names[f->nnames] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		f->nnames++;
	}
	closedir(dir);
	if (f->nnames)
		qsort(f->names, f->nnames, sizeof *f->names, cmp_names);
	else if (!f->names)
		f->names = calloc(1, sizeof *f->names); /* "loaded, empty" */
	return rc;
}

/* --- requests ------------------------------------------------------------------ */

static int do_version(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	uint32_t msize = (uint32_t)get(r, 4);
	uint16_t vlen;
	const char *v = get_str(r, &vlen);
	if (r->bad)
		return -EPROTO;
	for (uint32_t i = 0; i < VIRTIO_9P_MAX_FIDS; i++)
		clunk(&d->fids[i]);
	d->msize = msize < VIRTIO_9P_MSIZE ? msize : VIRTIO_9P_MSIZE;
	put(w, d->msize, 4);
	if (vlen >= 8 && !memcmp(v, "9P2000.L", 8))
		put_str(w, "9P2000.L", 8);
	else
		put_str(w, "unknown", 7);
	return P9_RVERSION;
}

static int do_attach(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	uint32_t fid = (uint32_t)get(r, 4);
	get(r, 4); /* afid: no authentication */
	uint16_t l;
	get_str(r, &l); /* uname */
	get_str(r, &l); /* aname: the share has one tree */
	get(r, 4);      /* n_uname */
	if (r->bad)
		return -EPROTO;
	struct stat st;
	int rc = stat_path(d, "", &st);
	if (rc < 0)
		return rc;
	char *root = strdup("");
	if (!root)
		return -ENOMEM;
	if ((rc = set_fid(d, fid, root)) < 0)
		return rc;
	put_qid(w, &st);
	return P9_RATTACH;
}

static int do_walk(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	uint32_t fid = (uint32_t)get(r, 4), newfid = (uint32_t)get(r, 4);
	uint16_t n = (uint16_t)get(r, 2);
	if (r->bad)
		return -EPROTO;
	struct fid *f = get_fid(d, fid);
	if (!f)
		return -EBADF;
	if (n > P9_MAXWELEM)
		return -EINVAL;
	if (f->fd >= 0 && newfid != fid)
		return -EBADF; /* walking from an opened fid is not allowed (only clone) */
	size_t plen = strlen(f->path);
	char *path = malloc(plen + (size_t)n * 256 + 1);
	if (!path)
		return -ENOMEM;
	memcpy(path, f->path, plen + 1);
	struct stat qst[P9_MAXWELEM];
	uint16_t done = 0;
	int err = 0;
	for (uint16_t i = 0; i < n; i++) {
		uint16_t len;
		const char *name = get_str(r, &len);
		if (r->bad) {
			free(path);
			return -EPROTO;
		}
		if (err)
			continue;
		if (!good_name(name, len) || len > 255) {
			err = -EACCES;
			continue;
		}
		size_t cur = strlen(path);
		if (cur)
			path[cur++] = '/';
		memcpy(path + cur, name, len);
		path[cur + len] = 0;
		int rc = stat_path(d, path, &qst[i]);
		if (rc == 0 && S_ISLNK(qst[i].st_mode))
			rc = -ELOOP; /* never follow a symlink out of the share */
		if (rc < 0) {
			err = rc;
			continue;
		}
		done++;
	}
	if (n > 0 && done == 0) {
		free(path);
		return err;
	}
	put(w, done, 2);
	for (uint16_t i = 0; i < done; i++)
		put_qid(w, &qst[i]);
	if (done == n) {
		if (newfid == fid) {
			free(f->path);
			f->path = path;
		} else {
			int rc = set_fid(d, newfid, path);
			if (rc < 0)
				return rc;
		}
	} else {
		free(path); /* a partial walk creates no fid (9P: Rwalk with fewer qids) */
	}
	return P9_RWALK;
}

static int do_getattr(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	uint32_t fid = (uint32_t)get(r, 4);
	get(r, 8);
	if (r->bad)
		return -EPROTO;
	struct fid *f = get_fid(d, fid);
	if (!f)
		return -EBADF;
	struct stat st;
	int rc = stat_path(d, f->path, &st);
	if (rc < 0)
		return rc;
	put(w, P9_GETATTR_BASIC, 8);
	put_qid(w, &st);
	put(w, st.st_mode, 4);
	put(w, st.st_uid, 4);
	put(w, st.st_gid, 4);
	put(w, st.st_nlink, 8);
	put(w, st.st_rdev, 8);
	put(w, (uint64_t)st.st_size, 8);
	put(w, (uint64_t)st.st_blksize, 8);
	put(w, (uint64_t)st.st_blocks, 8);
	put(w, (uint64_t)st.st_atim.tv_sec, 8);
	put(w, (uint64_t)st.st_atim.tv_nsec, 8);
	put(w, (uint64_t)st.st_mtim.tv_sec, 8);
	put(w, (uint64_t)st.st_mtim.tv_nsec, 8);
	put(w, (uint64_t)st.st_ctim.tv_sec, 8);
	put(w, (uint64_t)st.st_ctim.tv_nsec, 8);
	for (int i = 0; i < 4; i++)
		put(w, 0, 8); /* btime sec/nsec, gen, data_version: not reported */
	return P9_RGETATTR;
}

static int do_lopen(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	uint32_t fid = (uint32_t)get(r, 4), flags = (uint32_t)get(r, 4);
	if (r->bad)
		return -EPROTO;
	struct fid *f = get_fid(d, fid);
	if (!f)
		return -EBADF;
	if (f->fd >= 0)
		return -EBADF;
	/* Linux open flags: O_ACCMODE 3, O_TRUNC 01000, O_CREAT 0100, O_APPEND 02000. */
	if ((flags & 3) != 0 || (flags & (01000 | 0100 | 02000)))
		return -EROFS;
	int fd = open_path(d, f->path, O_RDONLY);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	f->fd = fd;
	f->is_dir = S_ISDIR(st.st_mode);
	put_qid(w, &st);
	put(w, d->msize - 24, 4); /* iounit */
	return P9_RLOPEN;
}

/* Tread and Treaddir: fid[4] offset[8] count[4]. */
struct read_req {
	struct fid *f;
	uint64_t off;
	uint32_t count; /* clamped to what fits in the reply after its count[4] */
};

/* Parse a Tread (want_dir 0) or Treaddir (want_dir 1): the fid must be
 * open and be a file, or a directory. 0 or -errno. */
static int parse_read_req(struct virtio_9p *d, struct rd *r, const struct wr *w, int want_dir,
			  struct read_req *q)
{
	uint32_t fid = (uint32_t)get(r, 4);
	q->off = get(r, 8);
	q->count = (uint32_t)get(r, 4);
	if (r->bad)
		return -EPROTO;
	q->f = get_fid(d, fid);
	if (!q->f || q->f->fd < 0 || (q->f->is_dir != 0) != want_dir)
		return -EBADF;
	size_t space = w->cap - w->off > 4 ? w->cap - w->off - 4 : 0;
	if (q->count > space)
		q->count = (uint32_t)space;
	return 0;
}

static int do_read(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	struct read_req q;
	int rc = parse_read_req(d, r, w, 0, &q);
	if (rc < 0)
		return rc;
	if (q.off > (uint64_t)INT64_MAX)
		return -EINVAL;
	uint8_t *lenp = room(w, 4);
	if (!lenp)
		return -EMSGSIZE;
	ssize_t n = pread(q.f->fd, w->p + w->off, q.count, (off_t)q.off);
	if (n < 0)
		return -errno;
	w->off += (size_t)n;
	put(&(struct wr){lenp, 4, 0, 0}, (uint64_t)n, 4);
	return P9_RREAD;
}

static int do_readdir(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	struct read_req q;
	int rc = parse_read_req(d, r, w, 1, &q);
	if (rc < 0)
		return rc;
	struct fid *f = q.f;
	rc = load_listing(f);
	if (rc < 0)
		return rc;
	uint8_t *lenp = room(w, 4);
	if (!lenp)
		return -EMSGSIZE;
	size_t start = w->off;
	for (uint64_t i = q.off; i < f->nnames; i++) {
		const char *name = f->names[i];
		size_t nl = strlen(name);
		size_t need = 13 + 8 + 1 + 2 + nl;
		if (w->off - start + need > q.count)
			break;
		struct stat st;
		if (fstatat(f->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			memset(&st, 0, sizeof st);
		put_qid(w, &st);
		put(w, i + 1, 8);
		put(w, S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG
												   : DT_UNKNOWN, 1);
		put_str(w, name, nl);
	}
	put(&(struct wr){lenp, 4, 0, 0}, w->off - start, 4);
	return P9_RREADDIR;
}

static int do_clunk(struct virtio_9p *d, struct rd *r, struct wr *w)
{
	(void)w;
	uint32_t fid = (uint32_t)get(r, 4);
	if (r->bad)
		return -EPROTO;
	struct fid *f = get_fid(d, fid);
	if (!f)
		return -EBADF;
	clunk(f);
	return P9_RCLUNK;
}

size_t virtio_9p_handle(struct virtio_9p *d, const uint8_t *req, size_t reqlen, uint8_t *resp, size_t cap)
{
	if (cap < P9_HEADER + 4)
		return 0;
	struct rd r = {req, reqlen, 0, 0};
	uint32_t size = (uint32_t)get(&r, 4);
	uint8_t type = (uint8_t)get(&r, 1);
	uint16_t tag = (uint16_t)get(&r, 2);
	if (cap > d->msize)
		cap = d->msize;
	struct wr w = {resp, cap, P9_HEADER, 0};
	int rc;
	if (r.bad || size < P9_HEADER || size > reqlen) {
		rc = -EPROTO;
	} else {
		r.len = size; /* the message, not the rest of the buffer */
		switch (type) {
		case P9_TVERSION: rc = do_version(d, &r, &w); break;
		case P9_TATTACH: rc = do_attach(d, &r, &w); break;
		case P9_TWALK: rc = do_walk(d, &r, &w); break;
		case P9_TGETATTR: rc = do_getattr(d, &r, &w); break;
		case P9_TLOPEN: rc = do_lopen(d, &r, &w); break;
		case P9_TREAD: rc = do_read(d, &r, &w); break;
		case P9_TREADDIR: rc = do_readdir(d, &r, &w); break;
		case P9_TCLUNK: rc = do_clunk(d, &r, &w); break;
		default: rc = -EOPNOTSUPP; break;
		}
		if (rc > 0 && w.over)
			rc = -EMSGSIZE;
	}
	if (rc < 0) {
		w.off = P9_HEADER;
		w.over = 0;
		put(&w, (uint32_t)-rc, 4);
		rc = P9_RLERROR;
	}
	struct wr h = {resp, P9_HEADER, 0, 0};
	put(&h, w.off, 4);
	put(&h, (uint64_t)rc, 1);
	put(&h, tag, 2);
	return w.off;
}

/* --- device ------------------------------------------------------------------ */

static uint64_t p9_config_read(void *dev, uint32_t off, unsigned size)
{
	(void)dev;
	uint8_t cfg[2 + sizeof VIRTIO_9P_TAG - 1];
	cfg[0] = (uint8_t)(sizeof VIRTIO_9P_TAG - 1);
	cfg[1] = 0;
	memcpy(cfg + 2, VIRTIO_9P_TAG, sizeof VIRTIO_9P_TAG - 1);
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)cfg[off + i] << (8 * i);
	return v;
}

static void p9_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_9p *d = dev;
	while (virtio_mmio_pop(t, q, d->chain) == 1) {
		size_t n = virtq_chain_read(d->chain, 0, d->req, VIRTIO_9P_MSIZE);
		size_t cap = d->chain->write_len < VIRTIO_9P_MSIZE ? (size_t)d->chain->write_len : VIRTIO_9P_MSIZE;
		size_t out = virtio_9p_handle(d, d->req, n, d->resp, cap);
		size_t written = virtq_chain_write(d->chain, 0, d->resp, out);
		virtio_mmio_push(t, q, d->chain->head, (uint32_t)written);
	}
}

static void p9_reset(void *dev, struct virtio_mmio *t)
{
	struct virtio_9p *d = dev;
	(void)t;
	for (uint32_t i = 0; i < VIRTIO_9P_MAX_FIDS; i++)
		clunk(&d->fids[i]);
	d->msize = VIRTIO_9P_MSIZE;
}

static const struct virtio_device_ops p9_ops = {
	.name = "virtio-9p",
	.device_id = VIRTIO_9P_DEVICE_ID,
	.features = 1ull << VIRTIO_9P_MOUNT_TAG_FEATURE,
	.nqueues = 1,
	.queue_num_max = VIRTIO_9P_QUEUE_SIZE,
	.queue_dir = {VIRTQ_DEV_READS | VIRTQ_DEV_WRITES},
	.config_size = 2 + sizeof VIRTIO_9P_TAG - 1,
	.config_read = p9_config_read,
	.notify = p9_notify,
	.reset = p9_reset,
};

const struct virtio_device_ops *virtio_9p_ops(void) { return &p9_ops; }

struct virtio_9p *virtio_9p_create(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		snprintf(err, errlen, "--share %s: %s", dir, strerror(errno));
		return NULL;
	}
	struct virtio_9p *d = calloc(1, sizeof *d);
	if (d) {
		d->chain = malloc(sizeof *d->chain);
		d->req = malloc(VIRTIO_9P_MSIZE);
		d->resp = malloc(VIRTIO_9P_MSIZE);
	}
	if (!d || !d->chain || !d->req || !d->resp) {
		if (d) {
			free(d->chain);
			free(d->req);
			free(d->resp);
		}
		free(d);
		close(fd);
		snprintf(err, errlen, "virtio-9p: out of memory");
		return NULL;
	}
	d->rootfd = fd;
	d->msize = VIRTIO_9P_MSIZE;
	for (uint32_t i = 0; i < VIRTIO_9P_MAX_FIDS; i++)
		d->fids[i].fd = -1;
	return d;
}

void virtio_9p_destroy(struct virtio_9p *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < VIRTIO_9P_MAX_FIDS; i++)
		clunk(&d->fids[i]);
	close(d->rootfd);
	free(d->chain);
	free(d->req);
	free(d->resp);
	free(d);
}

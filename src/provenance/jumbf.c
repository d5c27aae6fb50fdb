/* SPDX-License-Identifier: ISC */
/* JUMBF (ISO 19566-5) box reader for C2PA manifest stores.  Boxes land in one flat array with
 * parent/child/sibling indices, so the rest of the module walks the tree without recursion and
 * every offset it sees was checked against the box that holds it. */
#include "prov_int.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Printable ASCII with single spaces between words, short enough not to be cut: what the
 * sanitiser hands back as it is (the platform, host and handle of nearly every item), so it is
 * copied without the sanitiser's allocation. */
static int plain_ascii(const char *s, size_t len, size_t cap)
{
    if (len >= cap || s[0] == ' ' || s[len - 1] == ' ') return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7E || (c == ' ' && s[i + 1] == ' ')) return 0;
    }
    return 1;
}

void prov_copy_text(char *dst, size_t cap, const char *src, size_t len)
{
    if (!cap) return;
    dst[0] = 0;
    if (!src || !len) return;
    if (plain_ascii(src, len, cap)) {
        memcpy(dst, src, len);
        dst[len] = 0;
        return;
    }
    char *t = text_sanitize_dup(src, len, cap - 1, 0);
    size_t n = strlen(t);
    if (n >= cap) n = cap - 1;       /* text_sanitize keeps to max_bytes; belt and braces */
    memcpy(dst, t, n);
    dst[n] = 0;
    free(t);
}

void prov_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int add_box(struct jumbf *j, struct error *err)
{
    if (j->n >= JUMBF_MAX_BOXES) {
        error_set(err, "more than %d JUMBF boxes", JUMBF_MAX_BOXES);
        return -1;
    }
    if (j->n == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 64;
        j->b = xrealloc(j->b, (size_t)j->cap * sizeof *j->b);
    }
    struct jbox *b = &j->b[j->n];
    memset(b, 0, sizeof *b);
    b->parent = b->first = b->next = -1;
    return j->n++;
}

/* Reads the header of the box at off within [off, end); fills type, len and hdr. */
static int read_header(const uint8_t *p, size_t off, size_t end, struct jbox *b, struct error *err)
{
    if (end - off < 8) {
        error_set(err, "JUMBF box header cut short at byte %zu", off);
        return -1;
    }
    uint64_t lbox = be32(p + off);
    b->type = be32(p + off + 4);
    b->hdr = 8;
    if (lbox == 1) {
        if (end - off < 16) {
            error_set(err, "JUMBF extended box header cut short at byte %zu", off);
            return -1;
        }
        lbox = (uint64_t)be32(p + off + 8) << 32 | be32(p + off + 12);
        b->hdr = 16;
    } else if (lbox == 0) {
        lbox = end - off;        /* to the end of the container */
    }
    if (lbox < b->hdr || lbox > end - off) {
        error_set(err, "JUMBF box at byte %zu claims %llu bytes, %zu are there", off,
                  (unsigned long long)lbox, end - off);
        return -1;
    }
    b->off = off;
    b->len = (size_t)lbox;
    return 0;
}

/* A jumd payload: uuid[16] toggles [label\0] [id u32] [sha256] [private box]. */
static int read_jumd(struct jumbf *j, struct jbox *sb, const struct jbox *d, struct error *err)
{
    const uint8_t *p = j->buf + d->off + d->hdr;
    size_t n = d->len - d->hdr;
    if (n < 17) {
        error_set(err, "JUMBF description box of %zu bytes", d->len);
        return -1;
    }
    memcpy(sb->uuid, p, 16);
    sb->toggles = p[16];
    /* C2PA requires requestable + labelled descriptions; an unlabelled one is not addressable. */
    if ((sb->toggles & 0x03) != 0x03) {
        error_set(err, "JUMBF description without a label (toggles 0x%02x)", sb->toggles);
        return -1;
    }
    const uint8_t *nul = memchr(p + 17, 0, n - 17);
    if (!nul) {
        error_set(err, "JUMBF label without its terminating NUL");
        return -1;
    }
    sb->label_off = (size_t)(p + 17 - j->buf);
    sb->label_len = (size_t)(nul - (p + 17));
    return 0;
}

/* Superboxes are read with an explicit stack: one frame per open superbox, at most
 * JUMBF_MAX_DEPTH, so a hostile store cannot drive the C stack. */
int jumbf_parse(struct jumbf *j, const uint8_t *p, size_t n, struct error *err)
{
    memset(j, 0, sizeof *j);
    j->buf = p;
    j->len = n;
    if (n > PROV_MAX_STORE) {
        error_set(err, "manifest store of %zu bytes is larger than %u", n, PROV_MAX_STORE);
        return -1;
    }
    struct frame { int box; size_t pos, end; int last; } st[JUMBF_MAX_DEPTH + 1];
    int sp = 0;
    struct jbox root;
    memset(&root, 0, sizeof root);
    if (read_header(p, 0, n, &root, err) < 0) return -1;
    if (root.type != FOURCC('j', 'u', 'm', 'b')) {
        error_set(err, "manifest store does not start with a JUMBF superbox");
        return -1;
    }
    int ri = add_box(j, err);
    root.parent = root.first = root.next = -1;
    j->b[ri] = root;
    st[0] = (struct frame){ri, root.off + root.hdr, root.off + root.len, -1};
    sp = 1;
    while (sp > 0) {
        struct frame *f = &st[sp - 1];
        if (f->pos >= f->end) {
            struct jbox *sb = &j->b[f->box];
            if (!sb->super) {
                error_set(err, "JUMBF superbox without a description box");
                return -1;
            }
            sp--;
            continue;
        }
        struct jbox hb;
        memset(&hb, 0, sizeof hb);
        if (read_header(p, f->pos, f->end, &hb, err) < 0) return -1;
        int bi = add_box(j, err);
        if (bi < 0) return -1;
        f = &st[sp - 1];                 /* add_box may have moved j->b, never st */
        struct jbox *b = &j->b[bi];
        b->type = hb.type;
        b->off = hb.off;
        b->len = hb.len;
        b->hdr = hb.hdr;
        b->parent = f->box;
        b->depth = sp;
        if (f->last < 0) j->b[f->box].first = bi;
        else j->b[f->last].next = bi;
        f->last = bi;
        f->pos += hb.len;
        struct jbox *parent = &j->b[f->box];
        if (bi == parent->first) {
            /* the description must come first in every superbox */
            if (b->type != FOURCC('j', 'u', 'm', 'd')) {
                error_set(err, "JUMBF superbox does not begin with a description box");
                return -1;
            }
            if (read_jumd(j, parent, b, err) < 0) return -1;
            parent->super = 1;
            continue;
        }
        if (b->type == FOURCC('j', 'u', 'm', 'b')) {
            if (sp > JUMBF_MAX_DEPTH) {
                error_set(err, "JUMBF superboxes nested deeper than %d", JUMBF_MAX_DEPTH);
                return -1;
            }
            st[sp++] = (struct frame){bi, b->off + b->hdr, b->off + b->len, -1};
        }
    }
    return 0;
}

void jumbf_free(struct jumbf *j)
{
    free(j->b);
    memset(j, 0, sizeof *j);
}

uint32_t jumbf_kind(const struct jumbf *j, int i)
{
    if (i < 0 || i >= j->n || !j->b[i].super) return 0;
    return be32(j->b[i].uuid);
}

int jumbf_label_is(const struct jumbf *j, int i, const char *label)
{
    if (i < 0 || i >= j->n || !j->b[i].super) return 0;
    size_t n = strlen(label);
    return j->b[i].label_len == n && !memcmp(j->buf + j->b[i].label_off, label, n);
}

int jumbf_child(const struct jumbf *j, int parent, const char *label, size_t label_len)
{
    if (parent < 0 || parent >= j->n) return -1;
    for (int c = j->b[parent].first; c >= 0; c = j->b[c].next) {
        const struct jbox *b = &j->b[c];
        if (b->super && b->label_len == label_len && !memcmp(j->buf + b->label_off, label, label_len))
            return c;
    }
    return -1;
}

int jumbf_content(const struct jumbf *j, int super, uint32_t type)
{
    if (super < 0 || super >= j->n) return -1;
    int first = j->b[super].first;
    for (int c = first; c >= 0; c = j->b[c].next)
        if (c != first && j->b[c].type == type) return c;
    return -1;
}

const uint8_t *jumbf_payload(const struct jumbf *j, int i, size_t *n)
{
    const struct jbox *b = &j->b[i];
    *n = b->len - b->hdr;
    return j->buf + b->off + b->hdr;
}

/* "self#jumbf=" then either an absolute path from the store ("/c2pa/<manifest>/...") or a path
 * relative to the manifest the reference sits in. */
int jumbf_resolve(const struct jumbf *j, int base, const char *uri)
{
    static const char pre[] = "self#jumbf=";
    if (strncmp(uri, pre, sizeof pre - 1)) return -1;
    const char *s = uri + sizeof pre - 1;
    int cur = base;
    if (*s == '/') {
        s++;
        const char *e = strchr(s, '/');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (!j->n || !j->b[0].super || j->b[0].label_len != l ||
            memcmp(j->buf + j->b[0].label_off, s, l))
            return -1;
        cur = 0;
        s = e ? e + 1 : s + l;
    }
    const char *rel = s;
    for (int guard = 0; *s && guard < JUMBF_MAX_DEPTH; guard++) {
        const char *e = strchr(s, '/');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        cur = jumbf_child(j, cur, s, l);
        if (cur < 0) break;
        if (!e) return cur;
        s = e + 1;
    }
    if (cur >= 0) return *s ? -1 : cur;
    /* Some writers leave out the '/' of an absolute path ("self#jumbf=c2pa/urn:.../c2pa.signature");
     * c2pa-rs finds those, so a relative path that fails but names the store is tried from it. */
    if (rel != uri + sizeof pre - 1 || base == 0 || !j->n || !j->b[0].super) return -1;
    size_t rl = j->b[0].label_len;
    if (strncmp(rel, (const char *)j->buf + j->b[0].label_off, rl) || rel[rl] != '/') return -1;
    char fixed[600];
    if ((size_t)snprintf(fixed, sizeof fixed, "%s/%s", pre, rel) >= sizeof fixed) return -1;
    return jumbf_resolve(j, 0, fixed);
}

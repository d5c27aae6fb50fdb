/* SPDX-License-Identifier: ISC */
/* Bounded CBOR: a validator that walks the encoding without recursion before libcbor sees it, and
 * small accessors for the maps C2PA claims, assertions and COSE headers are made of.  libcbor 0.8
 * trusts declared lengths when it allocates and frees nested items recursively, so nothing reaches
 * cbor_load until the bytes are known to be one item of bounded depth and count. */
#include "prov_int.h"

#include <string.h>

/* Reads the argument of the head at *pos; returns the additional-info value (0..31) or -1. */
static int read_head(const uint8_t *p, size_t n, size_t *pos, int *major, uint64_t *arg)
{
    if (*pos >= n) return -1;
    uint8_t ib = p[(*pos)++];
    *major = ib >> 5;
    int ai = ib & 31;
    if (ai < 24) {
        *arg = (uint64_t)ai;
        return ai;
    }
    if (ai > 27) {
        if (ai == 31) { *arg = 0; return 31; }
        return -1;                              /* 28..30 are reserved */
    }
    size_t w = (size_t)1 << (ai - 24);
    if (n - *pos < w) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < w; i++) v = v << 8 | p[*pos + i];
    *pos += w;
    *arg = v;
    return ai;
}

/* One frame per open container: how many items are still expected (or -1 for indefinite). */
struct cframe {
    int64_t left;
    int string_major;   /* >= 0 inside an indefinite string: chunks must be this major type */
};

/* Walks one item.  With out set, copies every byte except tag heads, and counts tags in *tags
 * (the outermost tag's value in *first_tag): libcbor 0.8 rejects a tag whose content is an array or
 * map (COSE_Sign1 is tag 18 around an array), and no tag inside a C2PA structure changes what it
 * means, so the tags are read here and dropped before cbor_load. */
static int walk(const uint8_t *p, size_t n, size_t *used, struct strbuf *out, size_t *tags, int64_t *first_tag)
{
    struct cframe st[CBX_MAX_DEPTH + 1];
    int sp = 0;
    size_t pos = 0;
    size_t items = 0;
    for (;;) {
        if (++items > CBX_MAX_ITEMS) return -1;
        int major;
        uint64_t arg;
        size_t at = pos;
        int ai = read_head(p, n, &pos, &major, &arg);
        if (ai < 0) return -1;
        int opened = 0;        /* this head opened a frame: its item ends later */
        if (p[at] == 0xFF) {                     /* break */
            if (sp == 0 || st[sp - 1].left != -1) return -1;
            sp--;
        } else {
            if (sp > 0 && st[sp - 1].string_major >= 0 && (major != st[sp - 1].string_major || ai == 31))
                return -1;                       /* chunks of an indefinite string: same type, definite */
            switch (major) {
            case 0: case 1:
                if (ai == 31) return -1;
                break;
            case 2: case 3:
                if (ai == 31) {
                    if (sp >= CBX_MAX_DEPTH) return -1;
                    st[sp++] = (struct cframe){-1, major};
                    opened = 1;
                    break;
                }
                if (arg > n - pos) return -1;
                pos += (size_t)arg;
                break;
            case 4: case 5: {
                if (sp >= CBX_MAX_DEPTH) return -1;
                if (ai == 31) {
                    st[sp++] = (struct cframe){-1, -1};
                    opened = 1;
                    break;
                }
                /* each element needs at least one byte, so a count beyond the bytes left is a lie */
                uint64_t cnt = arg;
                if (major == 5) {
                    if (cnt > (n - pos) / 2) return -1;
                    cnt *= 2;
                } else if (cnt > n - pos) {
                    return -1;
                }
                if (cnt) {
                    st[sp++] = (struct cframe){(int64_t)cnt, -1};
                    opened = 1;
                }
                break;
            }
            case 6:
                if (ai == 31 || sp >= CBX_MAX_DEPTH) return -1;
                if (tags && (*tags)++ == 0 && at == 0 && first_tag)
                    *first_tag = arg > INT64_MAX ? -1 : (int64_t)arg;
                /* a tag wraps exactly one item: a frame expecting one */
                st[sp++] = (struct cframe){1, -1};
                opened = 1;
                break;
            case 7:
                if (ai == 31) return -1;             /* a lone break was handled above */
                if (ai == 24 && arg < 32) return -1; /* two-byte simple values below 32 are invalid */
                break;
            }
        }
        if (out && major != 6) sb_add(out, (const char *)p + at, pos - at);
        if (opened) continue;
        /* one item finished: count it against the enclosing frames */
        for (;;) {
            if (sp == 0) goto done;
            struct cframe *f = &st[sp - 1];
            if (f->left == -1) break;            /* indefinite: wait for the break */
            if (--f->left > 0) break;
            sp--;                                /* that container is complete: it is an item too */
        }
    }
done:
    if (used) *used = pos;
    return 0;
}

int cbx_check(const uint8_t *p, size_t n, size_t *used)
{
    return walk(p, n, used, NULL, NULL, NULL);
}

cbor_item_t *cbx_load_tagged(const uint8_t *p, size_t n, int64_t *tag)
{
    size_t used = 0, tags = 0;
    int64_t first = -1;
    if (tag) *tag = -1;
    if (!p || !n || walk(p, n, &used, NULL, &tags, &first) < 0 || used != n) return NULL;
    struct strbuf plain;
    sb_init(&plain);
    if (tags) {
        walk(p, n, NULL, &plain, NULL, NULL);
        p = (const uint8_t *)plain.s;
        n = plain.len;
        if (tag) *tag = first;
    }
    struct cbor_load_result res;
    cbor_item_t *it = n ? cbor_load(p, n, &res) : NULL;
    if (it && (res.error.code != CBOR_ERR_NONE || res.read != n)) cbor_decref(&it);
    sb_free(&plain);
    return it;
}

cbor_item_t *cbx_load(const uint8_t *p, size_t n)
{
    return cbx_load_tagged(p, n, NULL);
}

static int text_eq(const cbor_item_t *k, const char *key, size_t kl)
{
    if (!cbor_isa_string(k) || !cbor_string_is_definite(k)) return 0;
    return cbor_string_length(k) == kl && !memcmp(cbor_string_handle(k), key, kl);
}

cbor_item_t *cbx_get(const cbor_item_t *map, const char *key)
{
    if (!map || !cbor_isa_map(map)) return NULL;
    size_t kl = strlen(key), n = cbor_map_size(map);
    struct cbor_pair *pr = cbor_map_handle(map);
    for (size_t i = 0; i < n; i++)
        if (text_eq(pr[i].key, key, kl)) return pr[i].value;
    return NULL;
}

cbor_item_t *cbx_geti(const cbor_item_t *map, int64_t key)
{
    if (!map || !cbor_isa_map(map)) return NULL;
    size_t n = cbor_map_size(map);
    struct cbor_pair *pr = cbor_map_handle(map);
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        if (cbx_int(pr[i].key, &v) == 0 && v == key) return pr[i].value;
    }
    return NULL;
}

int cbx_text(const cbor_item_t *it, char *out, size_t cap)
{
    if (!cap) return -1;
    out[0] = 0;
    if (!it || !cbor_isa_string(it)) return -1;
    size_t len = 0;
    if (cbor_string_is_definite(it)) {
        size_t l = cbor_string_length(it);
        if (l >= cap) l = cap - 1;
        memcpy(out, cbor_string_handle(it), l);
        len = l;
    } else {
        size_t nc = cbor_string_chunk_count(it);
        cbor_item_t **ch = cbor_string_chunks_handle(it);
        for (size_t i = 0; i < nc && len + 1 < cap; i++) {
            size_t l = cbor_string_length(ch[i]);
            if (l > cap - 1 - len) l = cap - 1 - len;
            memcpy(out + len, cbor_string_handle(ch[i]), l);
            len += l;
        }
    }
    out[len] = 0;
    /* NUL inside a text string would cut it silently; keep what precedes it */
    return 0;
}

int cbx_bytes(const cbor_item_t *it, const uint8_t **p, size_t *n)
{
    if (!it || !cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it)) return -1;
    *p = cbor_bytestring_handle(it);
    *n = cbor_bytestring_length(it);
    if (!*p) *p = (const uint8_t *)"";
    return 0;
}

int cbx_int(const cbor_item_t *it, int64_t *v)
{
    if (!it) return -1;
    if (cbor_isa_uint(it)) {
        uint64_t u = cbor_get_int(it);
        if (u > INT64_MAX) return -1;
        *v = (int64_t)u;
        return 0;
    }
    if (cbor_isa_negint(it)) {
        uint64_t u = cbor_get_int(it);
        if (u > INT64_MAX) return -1;
        *v = -1 - (int64_t)u;
        return 0;
    }
    return -1;
}

int cbx_bool(const cbor_item_t *it, int *v)
{
    if (!it || !cbor_isa_float_ctrl(it) || !cbor_float_ctrl_is_ctrl(it)) return -1;
    uint8_t c = cbor_ctrl_value(it);
    if (c != CBOR_CTRL_TRUE && c != CBOR_CTRL_FALSE) return -1;
    *v = c == CBOR_CTRL_TRUE;
    return 0;
}

/* A float is a float_ctrl item too, and libcbor's cbor_ctrl_value asserts (aborts) on one: every
 * simple value is read through cbx_bool and cbx_is_null, which ask cbor_float_ctrl_is_ctrl first. */
int cbx_is_null(const cbor_item_t *it)
{
    return it && cbor_isa_float_ctrl(it) && cbor_float_ctrl_is_ctrl(it) && cbor_ctrl_value(it) == CBOR_CTRL_NULL;
}

void cbx_put_head(struct strbuf *b, int major, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) { h[0] = m | (uint8_t)v; n = 1; }
    else if (v <= 0xFF) { h[0] = m | 24; h[1] = (uint8_t)v; n = 2; }
    else if (v <= 0xFFFF) { h[0] = m | 25; h[1] = (uint8_t)(v >> 8); h[2] = (uint8_t)v; n = 3; }
    else if (v <= 0xFFFFFFFFu) {
        h[0] = m | 26;
        for (int i = 0; i < 4; i++) h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        n = 5;
    } else {
        h[0] = m | 27;
        for (int i = 0; i < 8; i++) h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        n = 9;
    }
    sb_add(b, (const char *)h, n);
}

int cbx_map_raw(const uint8_t *p, size_t n, const char *key, const uint8_t **val, size_t *val_len)
{
    size_t pos = 0, kl = strlen(key);
    int major;
    uint64_t count;
    int ai = read_head(p, n, &pos, &major, &count);
    if (ai < 0 || ai == 31 || major != 5) return -1;       /* a definite-length map only */
    for (uint64_t i = 0; i < count; i++) {
        size_t kpos = pos, used;
        if (cbx_check(p + pos, n - pos, &used) < 0) return -1;
        pos += used;
        size_t vpos = pos;
        if (cbx_check(p + pos, n - pos, &used) < 0) return -1;
        pos += used;
        size_t hp = kpos;
        int km;
        uint64_t klen;
        int kai = read_head(p, n, &hp, &km, &klen);
        if (kai >= 0 && kai != 31 && km == 3 && klen == kl && hp + kl <= n && !memcmp(p + hp, key, kl)) {
            *val = p + vpos;
            *val_len = used;
            return 0;
        }
    }
    return -1;
}

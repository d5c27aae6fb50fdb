/* SPDX-License-Identifier: ISC */
/* One media scan: sniff the container, find the store and the XMP, verify, and keep the result in
 * a small file named by the bytes' SHA-256 so that a thumbnail seen again costs one hash.  The
 * cache holds facts only; the user's rules are applied later, when the badge is built, so editing
 * the trust file never needs a rescan (adding anchors does: the trust fingerprint is in the file). */
#include "prov_int.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2: the issue-16 rules (ingredient trust, CAWG identities, formats): older verdicts are stale */
#define CACHE_MAGIC "winnow-prov 2"

enum ftype { FT_STR, FT_INT, FT_I64 };
static const struct field {
    const char *key;
    enum ftype type;
    size_t off, size;
} FIELDS[] = {
#define S(f) {#f, FT_STR, offsetof(struct prov_media, f), sizeof(((struct prov_media *)0)->f)}
#define I(f) {#f, FT_INT, offsetof(struct prov_media, f), sizeof(int)}
    S(container), I(head_only), {"state", FT_INT, offsetof(struct prov_media, state), sizeof(int)},
    S(failure), S(failure_text), I(manifests), I(claim_version), S(manifest_label), S(generator), S(title),
    S(actions), S(source_type), S(source_where), S(software_agent), S(ingredient_source_type), S(signer_org), S(signer_cn), S(issuer_cn),
    {"cert_leaf", FT_STR, offsetof(struct prov_media, cert_sha256), 65},
    {"cert_top", FT_STR, offsetof(struct prov_media, cert_sha256) + 65, 65},
    S(alg), {"signed_at", FT_I64, offsetof(struct prov_media, signed_at), sizeof(int64_t)}, I(chain_trusted),
    S(trust_note), S(xmp_source_type), S(xmp_ai_system), S(xmp_provenance), I(stripped_hint), S(heuristic),
    S(ingredient_untrusted), S(identity), S(identity_code), S(identity_note), I(tsa_untrusted),
#undef S
#undef I
};

static int valid_sha(const char *s)
{
    if (strlen(s) != 64) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

void prov_media_format(const struct prov_media *m, struct strbuf *out)
{
    if (m->sha256[0]) sb_printf(out, "sha256=%s\n", m->sha256);
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
        const struct field *f = &FIELDS[i];
        const char *src = (const char *)m + f->off;
        if (f->type == FT_STR) {
            /* strings are sanitised single lines already; a newline would only come from a bug */
            if (!*src || strchr(src, '\n')) continue;
            sb_printf(out, "%s=%s\n", f->key, src);
        } else if (f->type == FT_INT) {
            int iv;
            memcpy(&iv, src, sizeof iv);
            sb_printf(out, "%s=%d\n", f->key, iv);
        } else {
            int64_t lv;
            memcpy(&lv, src, sizeof lv);
            sb_printf(out, "%s=%lld\n", f->key, (long long)lv);
        }
    }
}

/* One key=value line into t; returns 1 when the key is a field. */
static int parse_field(struct prov_media *t, const char *key, const char *v)
{
    if (!strcmp(key, "sha256")) {
        if (valid_sha(v)) snprintf(t->sha256, sizeof t->sha256, "%s", v);
        return 1;
    }
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
        const struct field *f = &FIELDS[i];
        if (strcmp(key, f->key)) continue;
        char *dst = (char *)t + f->off;
        if (f->type == FT_STR) snprintf(dst, f->size, "%s", v);   /* written sanitised */
        else if (f->type == FT_INT) { int iv = (int)strtol(v, NULL, 10); memcpy(dst, &iv, sizeof iv); }
        else { int64_t lv = strtoll(v, NULL, 10); memcpy(dst, &lv, sizeof lv); }
        return 1;
    }
    return 0;
}

int prov_media_parse(const char *text, struct prov_media *m)
{
    memset(m, 0, sizeof *m);
    m->signed_at = -1;
    if (!text) return -1;
    char *buf = xstrdup(text);
    int fields = 0;
    for (char *line = buf, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl) *nl++ = 0;
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = 0;
        fields += parse_field(m, line, eq + 1);
    }
    free(buf);
    if (m->state > PROV_TRUSTED || m->state < PROV_NONE) m->state = PROV_MALFORMED;
    return fields ? 0 : -1;
}

int prov_cache_get(const char *dir, const char *sha256, const char *trust_fp, struct prov_media *m)
{
    if (!dir || !valid_sha(sha256)) return -1;
    struct strbuf p;
    sb_init(&p);
    sb_printf(&p, "%s/%.2s/%s", dir, sha256, sha256);
    char *buf = NULL;
    size_t len;
    struct error err;
    int rc = read_file(p.s, 64 * 1024, &buf, &len, &err);
    sb_free(&p);
    if (rc < 0) return -1;
    struct prov_media t;
    memset(&t, 0, sizeof t);
    t.signed_at = -1;
    int ok_magic = 0, ok_trust = 0;
    for (char *line = buf, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl) *nl++ = 0;
        char *eq = strchr(line, '=');
        if (!ok_magic) {
            ok_magic = !strcmp(line, CACHE_MAGIC);
            if (!ok_magic) break;
            continue;
        }
        if (!eq) continue;
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(line, "trust")) { ok_trust = !strcmp(v, trust_fp ? trust_fp : "none"); continue; }
        if (strcmp(line, "sha256")) parse_field(&t, line, v);
    }
    free(buf);
    if (!ok_magic || !ok_trust || t.state > PROV_TRUSTED || t.state < PROV_NONE) return -1;
    snprintf(t.sha256, sizeof t.sha256, "%s", sha256);
    *m = t;
    return 0;
}

int prov_cache_put(const char *dir, const char *trust_fp, const struct prov_media *m)
{
    if (!dir || !valid_sha(m->sha256)) return -1;
    struct strbuf d, p, body;
    sb_init(&d);
    sb_init(&p);
    sb_init(&body);
    sb_printf(&d, "%s/%.2s", dir, m->sha256);
    sb_printf(&p, "%s/%s", d.s, m->sha256);
    sb_printf(&body, "%s\ntrust=%s\n", CACHE_MAGIC, trust_fp ? trust_fp : "none");
    struct prov_media c = *m;
    c.sha256[0] = 0;   /* the file's name */
    prov_media_format(&c, &body);
    int rc = -1;
    struct error err;
    error_clear(&err);
    if (mkdir_p(d.s, 0700) == 0) rc = atomic_file_write(p.s, body.s, body.len, 0600, &err);
    sb_free(&d);
    sb_free(&p);
    sb_free(&body);
    return rc;
}

static int starts(const char *s, const char *pre) { return !strncmp(s, pre, strlen(pre)); }

void prov_scan(const void *data, size_t len, const struct prov_scan_opts *opts, struct prov_media *m)
{
    static const struct prov_scan_opts none;
    const struct prov_scan_opts *o = opts ? opts : &none;
    const uint8_t *p = data;
    memset(m, 0, sizeof *m);
    m->signed_at = -1;
    m->head_only = o->head_only != 0;
    struct prov_carrier c;
    prov_locate(p, len, &c);
    /* Only a manifest is worth caching: finding none costs less than hashing the file would. */
    const char *fp = prov_trust_fingerprint(o->trust);
    if (c.store) {
        uint8_t h[32];
        unsigned hl = 0;
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
        prov_hash_feed(ctx, p, len);
        EVP_DigestFinal_ex(ctx, h, &hl);
        EVP_MD_CTX_free(ctx);
        prov_hex(h, 32, m->sha256);
        if (o->cache_dir && prov_cache_get(o->cache_dir, m->sha256, fp, m) == 0 && m->head_only == (o->head_only != 0)) {
            prov_carrier_free(&c);
            return;
        }
        char sha[65];
        memcpy(sha, m->sha256, sizeof sha);
        memset(m, 0, sizeof *m);
        m->signed_at = -1;
        m->head_only = o->head_only != 0;
        memcpy(m->sha256, sha, sizeof sha);
    }
    snprintf(m->container, sizeof m->container, "%s", c.container);
    snprintf(m->heuristic, sizeof m->heuristic, "%s", c.heuristic);
    if (c.xmp) {
        struct prov_xmp x;
        prov_xmp_read(c.xmp, c.xmp_len, &x);
        /* a known vocabulary URI is kept as its term, anything else as written */
        const char *term = x.source_type;
        size_t tl = prov_source_type_class(x.source_type) != PROV_AI_UNKNOWN ?
                    prov_source_type_term(x.source_type, &term) : strlen(term);
        prov_copy_text(m->xmp_source_type, sizeof m->xmp_source_type, term, tl);
        prov_copy_text(m->xmp_ai_system, sizeof m->xmp_ai_system, x.ai_system, strlen(x.ai_system));
        prov_copy_text(m->xmp_provenance, sizeof m->xmp_provenance, x.provenance, strlen(x.provenance));
    }
    if (c.store_cut && o->head_only) {
        m->state = PROV_PRESENT;
        snprintf(m->failure_text, sizeof m->failure_text, "the manifest continues past the %zu bytes scanned", len);
    } else if (c.whole_error[0] && !o->head_only) {
        m->state = PROV_MALFORMED;
        snprintf(m->failure, sizeof m->failure, "manifest.malformed");
        snprintf(m->failure_text, sizeof m->failure_text, "%s", c.whole_error);
    } else if (c.store_cut) {
        m->state = PROV_MALFORMED;
        snprintf(m->failure, sizeof m->failure, "manifest.malformed");
        snprintf(m->failure_text, sizeof m->failure_text, "the manifest store is cut off");
    } else if (c.store) {
        prov_c2pa_read(&c, p, len, o, m);
    } else if (c.error[0]) {
        m->state = PROV_MALFORMED;
        snprintf(m->failure, sizeof m->failure, "manifest.malformed");
        snprintf(m->failure_text, sizeof m->failure_text, "%s", c.error);
    } else if (starts(m->xmp_provenance, "self#jumbf=")) {
        /* the XMP still names the embedded store that some tool removed: a hint, not proof */
        m->stripped_hint = 1;
    } else if (starts(m->xmp_provenance, "https://") || starts(m->xmp_provenance, "http://")) {
        m->state = PROV_REMOTE;
    }
    if (c.n_stores == 0 && !c.store_cut && c.truncated && !o->head_only && m->state == PROV_NONE && m->container[0]) {
        /* a cut-off file might have had its store further on (WebP keeps it at the end) */
        snprintf(m->failure_text, sizeof m->failure_text, "the file ends early; a manifest may have been cut off");
    }
    if (c.store && o->cache_dir) prov_cache_put(o->cache_dir, fp, m);
    prov_carrier_free(&c);
}

int prov_scan_file(const char *path, const struct prov_scan_opts *o, struct prov_media *m, struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        error_set(err, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        error_set(err, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_size == 0) {
        close(fd);
        prov_scan("", 0, o, m);
        return 0;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    prov_hash_mapped(map, (size_t)st.st_size);
    prov_scan(map, (size_t)st.st_size, o, m);
    prov_hash_mapped(NULL, 0);
    munmap(map, (size_t)st.st_size);
    return 0;
}

/* SPDX-License-Identifier: ISC */
/* Reading and verifying a C2PA manifest store: the manifests in the JUMBF tree, the active one (the
 * last), its claim (v1 or v2), the claim signature, the hashed URIs of its assertions, the hard
 * binding to the asset's bytes, and the digitalSourceType of its actions and of the manifests its
 * ingredients point at.  Checks run in the order C2PA validators report them, and the first
 * failure is the one shown. */
#include "prov_int.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define K_STORE FOURCC('c', '2', 'p', 'a')
#define K_MANIFEST FOURCC('c', '2', 'm', 'a')
#define K_UPDATE FOURCC('c', '2', 'u', 'm')
#define K_MANIFEST2 FOURCC('c', '2', 'm', 'd')
#define K_COMPRESSED FOURCC('c', '2', 'c', 'm')
#define K_ASSERTIONS FOURCC('c', '2', 'a', 's')
#define K_CLAIM FOURCC('c', '2', 'c', 'l')
#define K_SIGNATURE FOURCC('c', '2', 'c', 's')
#define T_CBOR FOURCC('c', 'b', 'o', 'r')
#define T_JSON FOURCC('j', 's', 'o', 'n')

#define MAX_MANIFESTS 64
#define MAX_INGREDIENT_DEPTH 8

struct claim {
    cbor_item_t *map;
    const uint8_t *bytes;
    size_t len;
    int version;
    char alg[16];
};

struct ctx {
    struct jumbf j;
    unsigned char *uri_ok;          /* per box: 1 referenced and hash matched, 2 mismatched */
    struct prov_media *m;
    const struct prov_scan_opts *o;
    const struct prov_carrier *c;
    const uint8_t *asset;
    size_t asset_len;
    int main_level, main_class;     /* manifest depth and class of source_type; level -1: none */
    int ing_class;                  /* class of ingredient_source_type */
    size_t hashed, hash_budget;     /* bytes of the store hashed so far, and the most allowed */
    int tampered;                   /* reading an assertion whose hash does not match */
    int sig_checked;
    int parent_binding;             /* checking an update manifest's parent's hard binding */
};


static int is_manifest_kind(uint32_t k)
{
    return k == K_MANIFEST || k == K_UPDATE || k == K_MANIFEST2 || k == K_COMPRESSED;
}

static void fail(struct prov_media *m, enum prov_state st, const char *code, const char *text)
{
    if (m->failure[0] || m->state == PROV_MALFORMED) return;   /* the first failure is reported */
    m->state = st;
    snprintf(m->failure, sizeof m->failure, "%s", code);
    prov_copy_text(m->failure_text, sizeof m->failure_text, text, strlen(text));
}

/* A claim may list the same large box thousands of times; honest stores hash each byte about
 * three times (assertions, ingredient manifests, their assertions), so a budget stops the rest. */
static int budget(struct ctx *x, size_t n)
{
    x->hashed += n;
    if (x->hashed <= x->hash_budget) return 0;
    fail(x->m, PROV_MALFORMED, "manifest.malformed", "the manifest asks for too much hashing");
    return -1;
}

/* Label without an instance suffix "__N", compared with a base label and its versions. */
static int label_base_is(const struct jumbf *j, int box, const char *base)
{
    const char *l = (const char *)j->buf + j->b[box].label_off;
    size_t ll = j->b[box].label_len, bl = strlen(base);
    for (size_t i = 0; i + 1 < ll; i++)
        if (l[i] == '_' && l[i + 1] == '_') { ll = i; break; }
    if (ll < bl || memcmp(l, base, bl)) return 0;
    if (ll == bl) return 1;
    /* ".v2", ".v3": a version, not another label such as "c2pa.actions.foo" */
    return ll > bl + 2 && l[bl] == '.' && l[bl + 1] == 'v' && l[bl + 2] >= '0' && l[bl + 2] <= '9';
}

static int label_version(const struct jumbf *j, int box)
{
    const char *l = (const char *)j->buf + j->b[box].label_off;
    size_t ll = j->b[box].label_len;
    for (size_t i = 0; i + 2 < ll; i++)
        if (l[i] == '.' && l[i + 1] == 'v' && l[i + 2] >= '1' && l[i + 2] <= '9') return l[i + 2] - '0';
    return 1;
}

static int child_of_kind(const struct jumbf *j, int parent, uint32_t kind, int *count)
{
    int found = -1;
    *count = 0;
    for (int c = j->b[parent].first; c >= 0; c = j->b[c].next)
        if (jumbf_kind(j, c) == kind) {
            if (found < 0) found = c;
            (*count)++;
        }
    return found;
}

/* The claim's signature box (jumbf_resolve also finds the paths written without their '/'). */
static int resolve_signature(struct ctx *x, int manifest, const char *uri)
{
    int sb = jumbf_resolve(&x->j, manifest, uri);
    return sb >= 0 && jumbf_kind(&x->j, sb) == K_SIGNATURE ? sb : -1;
}

/* The claim of a manifest; -1 with the failure set when it cannot be read. */
static int read_claim(struct ctx *x, int manifest, struct claim *cl, int report)
{
    memset(cl, 0, sizeof *cl);
    int n;
    int cb = child_of_kind(&x->j, manifest, K_CLAIM, &n);
    if (cb < 0 || n != 1) {
        if (report) fail(x->m, PROV_MALFORMED, "claim.missing", n > 1 ? "more than one claim in the manifest" : "the manifest has no claim");
        return -1;
    }
    int content = jumbf_content(&x->j, cb, T_CBOR);
    if (content < 0) {
        if (report) fail(x->m, PROV_MALFORMED, "claim.malformed",
                         jumbf_content(&x->j, cb, T_JSON) >= 0 ? "a pre-release JSON claim" : "the claim is not CBOR");
        return -1;
    }
    cl->bytes = jumbf_payload(&x->j, content, &cl->len);
    cl->map = cbx_load(cl->bytes, cl->len);
    if (!cl->map || !cbor_isa_map(cl->map)) {
        if (report) fail(x->m, PROV_MALFORMED, "claim.malformed", "the claim is not a readable CBOR map");
        if (cl->map) cbor_decref(&cl->map);
        return -1;
    }
    if (cbx_get(cl->map, "created_assertions")) cl->version = 2;
    else if (cbx_get(cl->map, "assertions")) cl->version = 1;
    if (!cl->version || (cl->version == 2) != jumbf_label_is(&x->j, cb, "c2pa.claim.v2")) {
        if (report) fail(x->m, PROV_MALFORMED, "claim.malformed", "the claim's version and label disagree");
        cbor_decref(&cl->map);
        return -1;
    }
    cbx_text(cbx_get(cl->map, "alg"), cl->alg, sizeof cl->alg);
    return 0;
}

static void claim_free(struct claim *cl)
{
    if (cl->map) cbor_decref(&cl->map);
}

static void set_generator(struct ctx *x, const struct claim *cl)
{
    char g[128] = "", v[48] = "";
    const cbor_item_t *cgi = cbx_get(cl->map, "claim_generator_info");
    if (cl->version == 2) {
        cbx_text(cbx_get(cgi, "name"), g, sizeof g);
        cbx_text(cbx_get(cgi, "version"), v, sizeof v);
    } else {
        /* v1's required string names every component ("Adobe_Photoshop/26.9.0 c2pa-rs/0.43.0") */
        if (cbx_text(cbx_get(cl->map, "claim_generator"), g, sizeof g) < 0 && cgi && cbor_isa_array(cgi) &&
            cbor_array_size(cgi)) {
            cbx_text(cbx_get(cbor_array_handle(cgi)[0], "name"), g, sizeof g);
            cbx_text(cbx_get(cbor_array_handle(cgi)[0], "version"), v, sizeof v);
        }
    }
    /* "name/version", as the user-agent-like v1 string and c2pa-rs write it */
    char both[180];
    snprintf(both, sizeof both, "%s%s%s", g, v[0] ? "/" : "", v);
    prov_copy_text(x->m->generator, sizeof x->m->generator, both, strlen(both));
    char t[128];
    if (cbx_text(cbx_get(cl->map, "dc:title"), t, sizeof t) == 0)
        prov_copy_text(x->m->title, sizeof x->m->title, t, strlen(t));
}

/* Hashes every assertion the claim references; marks each box matched (1) or not (2).  Returns
 * -1 (and fails) on the first missing or mismatched one when report is set. */
static int check_uris(struct ctx *x, int manifest, const struct claim *cl, int report)
{
    static const char *const lists[] = {"assertions", "created_assertions", "gathered_assertions"};
    int rc = 0;
    for (size_t li = 0; li < 3; li++) {
        cbor_item_t *arr = cbx_get(cl->map, lists[li]);
        if (!arr) continue;
        if (!cbor_isa_array(arr)) {
            if (report) fail(x->m, PROV_MALFORMED, "claim.malformed", "the claim's assertion list is not an array");
            return -1;
        }
        for (size_t i = 0; i < cbor_array_size(arr); i++) {
            cbor_item_t *ref = cbor_array_handle(arr)[i];
            char url[512], alg[16];
            const uint8_t *want;
            size_t wl;
            if (cbx_text(cbx_get(ref, "url"), url, sizeof url) < 0 || cbx_bytes(cbx_get(ref, "hash"), &want, &wl) < 0) {
                if (report) fail(x->m, PROV_MALFORMED, "claim.malformed", "an assertion reference without url or hash");
                return -1;
            }
            const EVP_MD *md = cbx_text(cbx_get(ref, "alg"), alg, sizeof alg) == 0 ? prov_md(alg) : prov_md(cl->alg);
            if (!md) {
                if (report) fail(x->m, PROV_INVALID, "algorithm.unsupported", "no supported hash algorithm for an assertion");
                rc = -1;
                continue;
            }
            int box = jumbf_resolve(&x->j, manifest, url);
            if (box < 0 || !x->j.b[box].super) {
                if (report) fail(x->m, PROV_INVALID, "assertion.missing", "an assertion the claim lists is not in the store");
                rc = -1;
                continue;
            }
            size_t pl;
            const uint8_t *pp = jumbf_payload(&x->j, box, &pl);
            if (budget(x, pl) < 0) return -1;
            uint8_t h[EVP_MAX_MD_SIZE];
            unsigned hl = 0;
            int ok = prov_digest(md, pp, pl, h, &hl) == 0 && hl == wl && !memcmp(h, want, wl);
            if (x->uri_ok[box] != 2) x->uri_ok[box] = ok ? 1 : 2;
            if (!ok) {
                if (report) fail(x->m, PROV_INVALID, "assertion.hashedURI.mismatch", "an assertion was changed after signing");
                rc = -1;
            }
        }
    }
    return rc;
}

/* The content of an assertion as CBOR (NULL for JSON or unreadable ones). */
static cbor_item_t *assertion_cbor(struct ctx *x, int box)
{
    int c = jumbf_content(&x->j, box, T_CBOR);
    if (c < 0) return NULL;
    size_t n;
    const uint8_t *p = jumbf_payload(&x->j, c, &n);
    return cbx_load(p, n);
}

/* ---- digitalSourceType ---- */

/* The nearest manifest that states a source type describes this asset (an image opened from an
 * AI original and edited says so itself); a stronger claim deeper in the chain is kept beside it. */
static void consider_dst(struct ctx *x, const char *value, const char *where, const char *agent, int level)
{
    int cls = (int)prov_source_type_class(value);
    /* a changed assertion is reported as it reads now (the state already says it failed), even
     * when the change left no known term */
    if (cls == PROV_AI_UNKNOWN && !x->tampered) return;
    const char *term;
    size_t tl = prov_source_type_term(value, &term);
    if (x->main_level < 0 || (level == x->main_level && cls > x->main_class)) {
        x->main_level = level;
        x->main_class = cls;
        prov_copy_text(x->m->source_type, sizeof x->m->source_type, term, tl);
        snprintf(x->m->source_where, sizeof x->m->source_where, "%s", where);
        prov_copy_text(x->m->software_agent, sizeof x->m->software_agent, agent ? agent : "", agent ? strlen(agent) : 0);
    } else if (level == x->main_level && cls == x->main_class && !x->m->software_agent[0] && agent && *agent) {
        prov_copy_text(x->m->software_agent, sizeof x->m->software_agent, agent, strlen(agent));
    } else if (level > x->main_level && cls > x->main_class && cls > x->ing_class) {
        x->ing_class = cls;
        prov_copy_text(x->m->ingredient_source_type, sizeof x->m->ingredient_source_type, term, tl);
    }
}

static void add_action_name(struct prov_media *m, const char *name)
{
    if (strstr(m->actions, name)) return;
    size_t l = strlen(m->actions);
    char t[64];
    prov_copy_text(t, sizeof t, name, strlen(name));
    snprintf(m->actions + l, sizeof m->actions - l, "%s%s", l ? ", " : "", t);
}

static void read_actions(struct ctx *x, const cbor_item_t *a, const char *where, int active, int level)
{
    cbor_item_t *acts = cbx_get(a, "actions");
    if (!acts || !cbor_isa_array(acts)) return;
    for (size_t i = 0; i < cbor_array_size(acts); i++) {
        cbor_item_t *act = cbor_array_handle(acts)[i];
        char name[64], dst[160], agent[96] = "";
        if (cbx_text(cbx_get(act, "action"), name, sizeof name) == 0 && active) add_action_name(x->m, name);
        cbor_item_t *sa = cbx_get(act, "softwareAgent");
        if (cbx_text(sa, agent, sizeof agent) < 0) cbx_text(cbx_get(sa, "name"), agent, sizeof agent);
        if (cbx_text(cbx_get(act, "digitalSourceType"), dst, sizeof dst) == 0) consider_dst(x, dst, where, agent, level);
        /* vendors also put it among the parameters ("com.adobe.digitalSourceType") */
        cbor_item_t *par = cbx_get(act, "parameters");
        if (par && cbor_isa_map(par)) {
            struct cbor_pair *pr = cbor_map_handle(par);
            for (size_t k = 0; k < cbor_map_size(par); k++) {
                char key[96];
                if (cbx_text(pr[k].key, key, sizeof key) < 0) continue;
                size_t kl = strlen(key);
                if (kl >= 17 && !strcmp(key + kl - 17, "digitalSourceType") &&
                    cbx_text(pr[k].value, dst, sizeof dst) == 0)
                    consider_dst(x, dst, "vendor parameter", agent, level);
            }
        }
    }
}

/* IPTC metadata assertions may carry the same property, in CBOR or JSON-LD. */
static void read_iptc(struct ctx *x, int box, int level)
{
    static const char key[] = "Iptc4xmpExt:DigitalSourceType";
    cbor_item_t *a = assertion_cbor(x, box);
    char dst[160];
    if (a) {
        if (cbx_text(cbx_get(a, key), dst, sizeof dst) == 0) consider_dst(x, dst, "IPTC assertion", NULL, level);
        cbor_decref(&a);
        return;
    }
    int c = jumbf_content(&x->j, box, T_JSON);
    if (c < 0) return;
    size_t n;
    const uint8_t *p = jumbf_payload(&x->j, c, &n);
    if (n > 1u << 20) return;
    cJSON *js = cJSON_ParseWithLength((const char *)p, n);
    cJSON *v = js ? cJSON_GetObjectItemCaseSensitive(js, key) : NULL;
    if (cJSON_IsString(v)) consider_dst(x, v->valuestring, "IPTC assertion", NULL, level);
    cJSON_Delete(js);
}

/* An ingredient's manifest: its box index when the hashed URI holds, -1 when there is none (or it
 * is not a parent or component), -2 when the manifest is there but its bytes changed. */
static int ingredient_manifest(struct ctx *x, const cbor_item_t *ing, const char *claim_alg, int *describes)
{
    *describes = 0;
    char rel[32] = "";
    cbx_text(cbx_get(ing, "relationship"), rel, sizeof rel);
    cbor_item_t *ref = cbx_get(ing, "activeManifest");
    if (!ref) ref = cbx_get(ing, "c2pa_manifest");
    char url[512], alg[16];
    const uint8_t *want;
    size_t wl;
    if (cbx_text(cbx_get(ref, "url"), url, sizeof url) < 0 || cbx_bytes(cbx_get(ref, "hash"), &want, &wl) < 0)
        return -1;
    int box = jumbf_resolve(&x->j, 0, url);
    if (box < 0 || !is_manifest_kind(jumbf_kind(&x->j, box))) return -1;
    const EVP_MD *md = cbx_text(cbx_get(ref, "alg"), alg, sizeof alg) == 0 ? prov_md(alg) : prov_md(claim_alg);
    size_t pl;
    const uint8_t *pp = jumbf_payload(&x->j, box, &pl);
    if (budget(x, pl) < 0) return -1;
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    if (!md || prov_digest(md, pp, pl, h, &hl) < 0 || hl != wl || memcmp(h, want, wl)) {
        /* before C2PA 1.3 the ingredient's hash was of its claim's CBOR; c2pa-rs still accepts it */
        int n, cb = child_of_kind(&x->j, box, K_CLAIM, &n);
        int content = cb >= 0 && n == 1 ? jumbf_content(&x->j, cb, T_CBOR) : -1;
        size_t cl_len;
        const uint8_t *cl = content >= 0 ? jumbf_payload(&x->j, content, &cl_len) : NULL;
        if (!md || !cl || prov_digest(md, cl, cl_len, h, &hl) < 0 || hl != wl || memcmp(h, want, wl)) return -2;
    }
    /* an inputTo ingredient (a prompt image) says nothing about what this asset is; its signer
     * still counts for trust */
    *describes = !strcmp(rel, "parentOf") || !strcmp(rel, "componentOf");
    return box;
}

/* Whether the ingredient assertion records that the ingredient's signer was untrusted when it
 * was taken in (validationResults in v3, validationStatus before): c2pa-rs reports only what
 * changed since, so a recorded untrusted signer does not count again. */
static int recorded_untrusted(const cbor_item_t *ing)
{
    const cbor_item_t *lists[2] = {cbx_get(cbx_get(cbx_get(ing, "validationResults"), "activeManifest"), "failure"),
                                   cbx_get(ing, "validationStatus")};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l] && cbor_isa_array(lists[l]) && i < cbor_array_size(lists[l]); i++) {
            char code[64];
            if (cbx_text(cbx_get(cbor_array_handle(lists[l])[i], "code"), code, sizeof code) == 0 &&
                !strcmp(code, "signingCredential.untrusted"))
                return 1;
        }
    return 0;
}

/* An ingredient's signer: c2pa-rs calls a file trusted only when every manifest it vouches for was
 * signed by a signer trusted now.  The first one that is not is named in m->ingredient_untrusted. */
static void ingredient_signer(struct ctx *x, int manifest, const struct claim *cl)
{
    if (x->m->ingredient_untrusted[0]) return;
    char uri[256], why[160] = "", code[64];
    int trusted = 1;
    int sb = cbx_text(cbx_get(cl->map, "signature"), uri, sizeof uri) == 0 ? resolve_signature(x, manifest, uri) : -1;
    int content = sb >= 0 ? jumbf_content(&x->j, sb, T_CBOR) : -1;
    struct prov_sig sig;
    size_t n;
    const uint8_t *p = content >= 0 ? jumbf_payload(&x->j, content, &n) : NULL;
    if (p && prov_cose_verify(p, n, cl->bytes, cl->len, &sig) == 0) {
        int64_t at = x->o->now > 0 ? x->o->now : (int64_t)time(NULL);
        if (sig.tst_status == 1) at = sig.tst_time;
        X509 *leaf = sk_X509_value(sig.chain, 0);
        /* a broken ingredient signature was judged when the ingredient was taken in, and its
         * assertion records that (c2pa-rs reports only what changed since); trust is judged now */
        if (sig.sig_ok && prov_cert_usable(leaf, at, code, sizeof code, why, sizeof why) == 0)
            trusted = prov_trust_check(x->o->trust, sig.chain, at, why, sizeof why);
        prov_sig_free(&sig);
    } else if (p) {
        prov_sig_free(&sig);
    }
    if (trusted) return;
    char title[96] = "";
    if (cbx_text(cbx_get(cl->map, "dc:title"), title, sizeof title) < 0) snprintf(title, sizeof title, "an ingredient");
    char both[300];
    snprintf(both, sizeof both, "%s (%s)", title, why);
    prov_copy_text(x->m->ingredient_untrusted, sizeof x->m->ingredient_untrusted, both, strlen(both));
}

/* Walks the active manifest and, breadth first, the manifests its ingredients vouch for (the
 * ingredient assertion carries their hash, so the active signature covers them). */
static void collect_sources(struct ctx *x, int active, const struct claim *active_claim)
{
    int queue[MAX_MANIFESTS], depth[MAX_MANIFESTS], describes[MAX_MANIFESTS], known[MAX_MANIFESTS], nq = 0;
    queue[nq] = active;
    describes[nq] = 1;
    known[nq] = 0;
    depth[nq++] = 0;
    for (int qi = 0; qi < nq; qi++) {
        int man = queue[qi];
        struct claim cl;
        const struct claim *use = active_claim;
        if (qi > 0) {
            if (read_claim(x, man, &cl, 0) < 0) continue;
            check_uris(x, man, &cl, 0);
            use = &cl;
            if (!known[qi]) ingredient_signer(x, man, &cl);
        }
        int n;
        int store = child_of_kind(&x->j, man, K_ASSERTIONS, &n);
        for (int a = store >= 0 ? x->j.b[store].first : -1; a >= 0; a = x->j.b[a].next) {
            /* only what the claim vouches for; and the active manifest's changed actions, so that
             * the report says what the file now claims, next to the failure (as c2pa-rs does) */
            int changed = qi == 0 && x->uri_ok[a] == 2 && label_base_is(&x->j, a, "c2pa.actions");
            if (!x->j.b[a].super || (x->uri_ok[a] != 1 && !changed)) continue;
            int dst = describes[qi];
            if (dst && label_base_is(&x->j, a, "c2pa.actions")) {
                cbor_item_t *it = assertion_cbor(x, a);
                if (it) {
                    x->tampered = changed;
                    read_actions(x, it, changed ? "changed after signing" : qi ? "ingredient" : "active manifest",
                                 qi == 0, depth[qi]);
                    x->tampered = 0;
                    cbor_decref(&it);
                }
            } else if (dst && (label_base_is(&x->j, a, "stds.iptc") || label_base_is(&x->j, a, "stds.iptc.photo-metadata"))) {
                read_iptc(x, a, depth[qi]);
            } else if (label_base_is(&x->j, a, "c2pa.ingredient") && depth[qi] < MAX_INGREDIENT_DEPTH) {
                cbor_item_t *it = assertion_cbor(x, a);
                int rel = 0;
                int box = it ? ingredient_manifest(x, it, use->alg, &rel) : -1;
                int rec = it ? recorded_untrusted(it) : 0;
                if (it) cbor_decref(&it);
                if (box == -2 && qi == 0)
                    fail(x->m, PROV_INVALID, "ingredient.hashedURI.mismatch",
                         "an ingredient's manifest was changed after signing");
                int seen = 0;
                for (int k = 0; k < nq; k++) seen |= queue[k] == box;
                if (box >= 0 && !seen && nq < MAX_MANIFESTS) {
                    queue[nq] = box;
                    describes[nq] = describes[qi] && rel;
                    known[nq] = rec;
                    depth[nq++] = depth[qi] + 1;
                }
            }
        }
        if (qi > 0) claim_free(&cl);
    }
}

/* ---- hard bindings ---- */

static void check_binding(struct ctx *x, int manifest, const struct claim *cl, char *unchecked, size_t ucap)
{
    int n;
    int store = child_of_kind(&x->j, manifest, K_ASSERTIONS, &n);
    int found = 0;
    for (int a = store >= 0 ? x->j.b[store].first : -1; a >= 0 && !found; a = x->j.b[a].next) {
        if (!x->j.b[a].super || x->uri_ok[a] != 1) continue;
        int is_data = label_base_is(&x->j, a, "c2pa.hash.data");
        int is_boxes = label_base_is(&x->j, a, "c2pa.hash.boxes");
        int is_bmff = label_base_is(&x->j, a, "c2pa.hash.bmff");
        if (!is_data && !is_boxes && !is_bmff) continue;
        found = 1;
        if (x->o->head_only) {
            snprintf(unchecked, ucap, "only the first %zu bytes were scanned", x->asset_len);
            return;
        }
        cbor_item_t *it = assertion_cbor(x, a);
        if (!it) {
            fail(x->m, PROV_INVALID, "assertion.cborInvalid", "the hash assertion is unreadable");
            return;
        }
        char why[160] = "";
        int r;
        if (is_data) {
            cbor_item_t *exs = cbx_get(it, "exclusions");
            struct prov_range ex[64];
            size_t ne = 0;
            r = 1;
            for (size_t i = 0; exs && cbor_isa_array(exs) && i < cbor_array_size(exs); i++) {
                int64_t s, l;
                cbor_item_t *e = cbor_array_handle(exs)[i];
                if (ne == 64 || cbx_int(cbx_get(e, "start"), &s) < 0 || cbx_int(cbx_get(e, "length"), &l) < 0 ||
                    s < 0 || l < 0) {
                    r = 0;
                    snprintf(why, sizeof why, "unreadable data hash exclusions");
                    break;
                }
                /* an update manifest's parent hashed the file with its own, smaller store: the
                 * exclusion that began at the store now covers the store as it is */
                if (x->parent_binding && (uint64_t)s == x->c->carrier_off) l = (int64_t)(x->c->carrier_end - x->c->carrier_off);
                /* an exclusion may only hide the manifest store itself, or a forger could exclude
                 * the picture and keep a valid hash */
                int in_store = (uint64_t)s >= x->c->carrier_off && (uint64_t)s + (uint64_t)l <= x->c->carrier_end;
                int in_entry = (uint64_t)s >= x->c->entry_off && (uint64_t)s + (uint64_t)l <= x->c->entry_end &&
                               x->c->entry_end > x->c->entry_off;
                if (!in_store && !in_entry) {
                    r = 0;
                    snprintf(why, sizeof why, "the data hash excludes bytes outside the manifest store");
                    break;
                }
                ex[ne++] = (struct prov_range){(uint64_t)s, (uint64_t)l};
            }
            const EVP_MD *md = NULL;
            char alg[16];
            md = cbx_text(cbx_get(it, "alg"), alg, sizeof alg) == 0 ? prov_md(alg) : prov_md(cl->alg);
            if (r == 1 && !md) {
                r = 0;
                snprintf(why, sizeof why, "unsupported data hash algorithm");
            }
            uint8_t h[EVP_MAX_MD_SIZE];
            unsigned hl = 0;
            const uint8_t *want;
            size_t wl;
            if (r == 1) {
                if (prov_hash_excluding(md, x->asset, x->asset_len, ex, ne, h, &hl) < 0 ||
                    cbx_bytes(cbx_get(it, "hash"), &want, &wl) < 0 || wl != hl || memcmp(want, h, hl)) {
                    r = 0;
                    snprintf(why, sizeof why, "the file's bytes do not match the signed data hash");
                }
            }
        } else if (is_boxes) {
            const char *k = x->c->container;
            if (strcmp(k, "png") && strcmp(k, "jpeg") && strcmp(k, "gif")) {
                snprintf(unchecked, ucap, "box hashes are checked for PNG, JPEG and GIF only");
                cbor_decref(&it);
                return;
            }
            if (!strcmp(k, "png")) r = prov_png_boxes_check(it, cl->alg, x->asset, x->asset_len, why, sizeof why);
            else if (!strcmp(k, "jpeg")) r = prov_jpeg_boxes_check(it, cl->alg, x->asset, x->asset_len, why, sizeof why);
            else r = prov_gif_boxes_check(it, cl->alg, x->asset, x->asset_len, why, sizeof why);
        } else {
            r = prov_bmff_hash_check(it, label_version(&x->j, a) >= 2, cl->alg, x->asset, x->asset_len, why,
                                     sizeof why);
        }
        cbor_decref(&it);
        if (r == 0)
            fail(x->m, PROV_INVALID,
                 is_data ? "assertion.dataHash.mismatch" : is_boxes ? "assertion.boxesHash.mismatch" : "assertion.bmffHash.mismatch",
                 why);
        else if (r < 0)
            snprintf(unchecked, ucap, "%s", why);
    }
    if (!found) fail(x->m, PROV_INVALID, "claim.hardBindings.missing", "the claim binds to no bytes of the file");
}

/* An update manifest binds to the file through its parent (the manifest it updates), as c2pa-rs
 * checks it: the parent's hard binding is checked against the file; a chain of updates is
 * followed a few levels.  Without a parent manifest in the store there is nothing to check. */
static void check_update_binding(struct ctx *x, int manifest, const struct claim *cl, char *unchecked, size_t ucap,
                                 int depth)
{
    int n;
    int store = child_of_kind(&x->j, manifest, K_ASSERTIONS, &n);
    for (int a = store >= 0 ? x->j.b[store].first : -1; a >= 0 && depth < MAX_INGREDIENT_DEPTH; a = x->j.b[a].next) {
        if (!x->j.b[a].super || x->uri_ok[a] != 1 || !label_base_is(&x->j, a, "c2pa.ingredient")) continue;
        cbor_item_t *it = assertion_cbor(x, a);
        char rel[32] = "";
        int describes = 0;
        int box = it ? ingredient_manifest(x, it, cl->alg, &describes) : -1;
        cbx_text(cbx_get(it, "relationship"), rel, sizeof rel);
        if (it) cbor_decref(&it);
        if (box < 0 || strcmp(rel, "parentOf")) continue;
        struct claim pc;
        if (read_claim(x, box, &pc, 0) < 0) break;
        check_uris(x, box, &pc, 0);
        if (jumbf_kind(&x->j, box) == K_UPDATE) check_update_binding(x, box, &pc, unchecked, ucap, depth + 1);
        else {
            x->parent_binding = 1;
            check_binding(x, box, &pc, unchecked, ucap);
            x->parent_binding = 0;
        }
        claim_free(&pc);
        return;
    }
    /* no parent manifest in this store: c2pa-rs accepts such an update manifest as it is */
}

/* ---- the signature ---- */

static void check_signature(struct ctx *x, int manifest, const struct claim *cl)
{
    x->sig_checked = 1;
    char uri[256];
    if (cbx_text(cbx_get(cl->map, "signature"), uri, sizeof uri) < 0) {
        fail(x->m, PROV_MALFORMED, "claim.malformed", "the claim names no signature");
        return;
    }
    int sb = resolve_signature(x, manifest, uri);
    int content = sb >= 0 ? jumbf_content(&x->j, sb, T_CBOR) : -1;
    if (content < 0) {
        fail(x->m, PROV_INVALID, "claimSignature.missing", "the claim's signature is not in the store");
        return;
    }
    size_t n;
    const uint8_t *p = jumbf_payload(&x->j, content, &n);
    struct prov_sig sig;
    if (prov_cose_verify(p, n, cl->bytes, cl->len, &sig) < 0) {
        snprintf(x->m->alg, sizeof x->m->alg, "%s", sig.alg_name);
        fail(x->m, PROV_INVALID, sig.code, sig.error);
        prov_sig_free(&sig);
        return;
    }
    snprintf(x->m->alg, sizeof x->m->alg, "%s", sig.alg_name);
    X509 *leaf = sk_X509_value(sig.chain, 0);
    prov_cert_names(leaf, x->m->signer_org, sizeof x->m->signer_org, x->m->signer_cn, sizeof x->m->signer_cn,
                    x->m->issuer_cn, sizeof x->m->issuer_cn);
    prov_cert_sha256(leaf, x->m->cert_sha256[0]);
    prov_cert_sha256(sk_X509_value(sig.chain, sk_X509_num(sig.chain) - 1), x->m->cert_sha256[1]);
    if (!sig.sig_ok) {
        fail(x->m, PROV_INVALID, "claimSignature.mismatch", sig.error);
        prov_sig_free(&sig);
        return;
    }
    int64_t at = x->o->now > 0 ? x->o->now : (int64_t)time(NULL);
    char code[64], why[160];
    const struct prov_trust *tsa = prov_trust_tsa(x->o->trust);
    int tsa_untrusted = 0;
    if (sig.tst_status == 1) {
        x->m->signed_at = sig.tst_time;
        /* With the TSA list loaded, a time stamp whose authority is not on it cannot make an expired
         * leaf trusted: the leaf is judged at the current time too, and an expired one leaves the
         * file valid, not trusted.  c2pa-rs goes further (signingCredential.expired) but trusts
         * authorities beyond the C2PA list (DigiCert's general time stamping root), which would
         * make seven of its own fixtures invalid here (measured with make check-c2pa). */
        at = sig.tst_time;
        if (tsa && !(sig.tsa_chain && prov_trust_check(tsa, sig.tsa_chain, sig.tst_time, why, sizeof why))) {
            tsa_untrusted = 1;
            x->m->tsa_untrusted = 1;
        }
    }
    if (prov_cert_usable(leaf, at, code, sizeof code, why, sizeof why) < 0) {
        fail(x->m, PROV_INVALID, code, why);
    } else {
        x->m->chain_trusted = prov_trust_check(x->o->trust, sig.chain, at, why, sizeof why);
        if (!x->m->chain_trusted) prov_copy_text(x->m->trust_note, sizeof x->m->trust_note, why, strlen(why));
        int64_t now = x->o->now > 0 ? x->o->now : (int64_t)time(NULL);
        if (tsa_untrusted && x->m->chain_trusted && prov_cert_usable(leaf, now, code, sizeof code, why, sizeof why) < 0) {
            x->m->chain_trusted = 0;
            snprintf(x->m->trust_note, sizeof x->m->trust_note, "%s",
                     "the certificate has expired and its time stamp's authority is not on the TSA trust list");
        }
        if (sig.tst_status < 0 && !x->m->chain_trusted)
            snprintf(x->m->trust_note, sizeof x->m->trust_note, "%s", "the timestamp does not match this signature");
        else if (tsa_untrusted && !x->m->trust_note[0])
            snprintf(x->m->trust_note, sizeof x->m->trust_note, "%s", "the time stamp authority is not on the TSA trust list");
        else if (sig.tst_status == 1 && !tsa && !x->m->trust_note[0])
            snprintf(x->m->trust_note, sizeof x->m->trust_note, "%s", "time stamp authority not checked (no TSA trust list)");
    }
    prov_sig_free(&sig);
}

/* What the active manifest's assertions say beyond hashes: every CBOR assertion must decode (c2pa-rs
 * reads them all and fails a manifest with one that does not), and CAWG identity assertions are
 * validated.  Returns 1 when an identity failed in a way that keeps the manifest from "trusted". */
static int check_assertions(struct ctx *x, int manifest, const struct claim *cl)
{
    int n, demote = 0;
    int store = child_of_kind(&x->j, manifest, K_ASSERTIONS, &n);
    int64_t now = x->o->now > 0 ? x->o->now : (int64_t)time(NULL);
    for (int a = store >= 0 ? x->j.b[store].first : -1; a >= 0; a = x->j.b[a].next) {
        if (!x->j.b[a].super || x->uri_ok[a] != 1) continue;
        int c = jumbf_content(&x->j, a, T_CBOR);
        if (c < 0) continue;
        size_t pl, used;
        const uint8_t *p = jumbf_payload(&x->j, c, &pl);
        if (cbx_check(p, pl, &used) < 0 || used != pl) {
            fail(x->m, PROV_INVALID, "assertion.required.missing", "an assertion's CBOR is malformed");
            continue;
        }
        if (!label_base_is(&x->j, a, "cawg.identity")) continue;
        int r = prov_cawg_check(p, pl, cl->map, now, x->m);
        if (r == 2) fail(x->m, PROV_INVALID, x->m->identity_code, x->m->identity_note);
        else if (r == 1) demote = 1;
    }
    return demote;
}

void prov_c2pa_read(const struct prov_carrier *c, const uint8_t *asset, size_t asset_len,
                    const struct prov_scan_opts *o, struct prov_media *m)
{
    struct ctx x;
    memset(&x, 0, sizeof x);
    x.m = m;
    x.o = o;
    x.c = c;
    x.asset = asset;
    x.asset_len = asset_len;
    x.main_level = -1;
    x.hash_budget = 4 * c->store_len + (1u << 20);
    m->state = PROV_VALID;    /* until a check says otherwise */
    if (c->n_stores > 1) {
        fail(m, PROV_MALFORMED, "manifest.multipleStores", "more than one manifest store in the file");
        return;
    }
    if (c->error[0]) {
        fail(m, PROV_MALFORMED, "manifest.malformed", c->error);
        return;
    }
    struct error err;
    error_clear(&err);
    struct strbuf plain;     /* the store with its compressed manifests expanded, when it has some */
    sb_init(&plain);
    if (jumbf_parse(&x.j, c->store, c->store_len, &err) < 0) {
        fail(m, PROV_MALFORMED, "manifest.malformed", err.msg);
        jumbf_free(&x.j);
        return;
    }
    x.uri_ok = xcalloc((size_t)x.j.n, 1);
    int active = -1;
    if (jumbf_kind(&x.j, 0) != K_STORE) {
        fail(m, PROV_MALFORMED, "manifest.malformed", "the outer box is not a C2PA manifest store");
        goto out;
    }
    for (int b = x.j.b[0].first; b >= 0; b = x.j.b[b].next)
        if (is_manifest_kind(jumbf_kind(&x.j, b))) {
            m->manifests++;
            active = b;      /* the active manifest is the last one */
        }
    if (active < 0) {
        fail(m, PROV_MALFORMED, "claim.missing", "the manifest store holds no manifest");
        goto out;
    }
    if (prov_store_has_compressed(&x.j)) {
        /* the store again, each compressed manifest replaced by the manifest it holds */
        char why[96];
        if (prov_store_expand(&x.j, &plain, why, sizeof why) < 0) {
            fail(m, PROV_MALFORMED, "manifest.malformed", why);
            goto out;
        }
        free(x.uri_ok);
        jumbf_free(&x.j);
        memset(&x.j, 0, sizeof x.j);
        if (jumbf_parse(&x.j, (const uint8_t *)plain.s, plain.len, &err) < 0) {
            fail(m, PROV_MALFORMED, "manifest.malformed", err.msg);
            x.uri_ok = NULL;
            goto out;
        }
        x.uri_ok = xcalloc((size_t)x.j.n, 1);
        x.hash_budget = 4 * x.j.len + (1u << 20);
        active = -1;
        for (int b = x.j.b[0].first; b >= 0; b = x.j.b[b].next)
            if (is_manifest_kind(jumbf_kind(&x.j, b))) active = b;
        if (active < 0 || jumbf_kind(&x.j, active) == K_COMPRESSED) {
            fail(m, PROV_MALFORMED, "manifest.malformed", "a compressed manifest holds no manifest");
            goto out;
        }
    }
    prov_copy_text(m->manifest_label, sizeof m->manifest_label, (const char *)x.j.buf + x.j.b[active].label_off,
                   x.j.b[active].label_len);
    struct claim cl;
    if (read_claim(&x, active, &cl, 1) < 0) goto out;
    m->claim_version = cl.version;
    set_generator(&x, &cl);
    check_signature(&x, active, &cl);
    check_uris(&x, active, &cl, 1);
    char unchecked[160] = "";
    /* an update manifest changes only assertions: the hard binding is its parent's (c2pa-rs) */
    if (jumbf_kind(&x.j, active) == K_UPDATE) check_update_binding(&x, active, &cl, unchecked, sizeof unchecked, 0);
    else check_binding(&x, active, &cl, unchecked, sizeof unchecked);
    collect_sources(&x, active, &cl);
    int identity = check_assertions(&x, active, &cl);
    claim_free(&cl);
    if (!m->failure[0] && m->state != PROV_MALFORMED) {
        if (unchecked[0]) {
            m->state = PROV_PRESENT;
            prov_copy_text(m->failure_text, sizeof m->failure_text, unchecked, strlen(unchecked));
        } else {
            /* c2pa-rs: trusted means the active signer chains, every ingredient's signer does too,
             * and nothing failed */
            m->state = m->chain_trusted && !m->ingredient_untrusted[0] && !identity ? PROV_TRUSTED : PROV_VALID;
            if (m->chain_trusted && m->ingredient_untrusted[0])
                snprintf(m->trust_note, sizeof m->trust_note, "ingredient not trusted: %.100s", m->ingredient_untrusted);
        }
    }
out:
    free(x.uri_ok);
    jumbf_free(&x.j);
    sb_free(&plain);
}

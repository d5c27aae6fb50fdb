/* SPDX-License-Identifier: ISC */
/* Platform signals: what the source adapters put on an item (platform, host, bot flag, labels as
 * "value" or "value@source", and the extra JSON with verified profile links, flair, synthetic-media
 * flags), read into a struct prov_platform; and the vocabularies that turn a digitalSourceType, a
 * label or a flair into an AI class. */
#include "prov_int.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct { const char *term; enum prov_ai cls; } DST[] = {
    {"trainedAlgorithmicMedia", PROV_AI_GENERATED},
    {"trainedAlgorithmicData", PROV_AI_GENERATED},          /* C2PA's own, for AI data */
    {"compositeWithTrainedAlgorithmicMedia", PROV_AI_EDITED},
    {"compositeSynthetic", PROV_AI_SYNTHETIC},
    {"algorithmicMedia", PROV_AI_SYNTHETIC},
    {"algorithmicallyEnhanced", PROV_AI_ENHANCED},
    {"dataDrivenMedia", PROV_AI_HUMAN},
    {"virtualRecording", PROV_AI_HUMAN},
    {"screenCapture", PROV_AI_HUMAN},
    {"softwareImage", PROV_AI_HUMAN},
    {"digitalArt", PROV_AI_HUMAN},
    {"digitalCreation", PROV_AI_HUMAN},
    {"empty", PROV_AI_HUMAN},
    {"digitalCapture", PROV_AI_CAPTURE},
    {"computationalCapture", PROV_AI_CAPTURE},
    {"negativeFilm", PROV_AI_CAPTURE},
    {"positiveFilm", PROV_AI_CAPTURE},
    {"print", PROV_AI_CAPTURE},
    {"humanEdits", PROV_AI_CAPTURE},
    {"minorHumanEdits", PROV_AI_CAPTURE},
    {"composite", PROV_AI_CAPTURE},
    {"compositeCapture", PROV_AI_CAPTURE},
};

size_t prov_source_type_term(const char *v, const char **term)
{
    while (*v == ' ' || *v == '\t') v++;   /* one real writer stores " http://..." */
    size_t l = strlen(v);
    while (l && (v[l - 1] == ' ' || v[l - 1] == '/' || v[l - 1] == '\t')) l--;
    const char *slash = memrchr(v, '/', l);
    if (slash) {
        l -= (size_t)(slash + 1 - v);
        v = slash + 1;
    }
    *term = v;
    return l;
}

enum prov_ai prov_source_type_class(const char *v)
{
    if (!v) return PROV_AI_UNKNOWN;
    /* full URIs only from the IPTC or C2PA vocabularies; any scheme, any trailing slash */
    if (strchr(v, '/') && !strstr(v, "cv.iptc.org/newscodes/digitalsourcetype") &&
        !strstr(v, "c2pa.org/digitalsourcetype"))
        return PROV_AI_UNKNOWN;
    size_t l = prov_source_type_term(v, &v);
    for (size_t i = 0; i < sizeof DST / sizeof DST[0]; i++)
        if (strlen(DST[i].term) == l && !strncmp(DST[i].term, v, l)) return DST[i].cls;
    return PROV_AI_UNKNOWN;
}

/* Labels that say something about this post's media (account-level labels such as
 * "user-frequent-ai-imagery" do not). */
enum prov_ai prov_label_class(const char *v)
{
    static const char *const gen[] = {"ai-imagery", "ai-generated", "ai-generated-image", "ai-image",
                                      "ai-video", "ai-art", "ai", "genai", "generative-ai", "ai-content",
                                      "made-with-ai", "synthetic-media", "ai-generated-content", NULL};
    static const char *const edit[] = {"ai-edited", "ai-assisted", "ai-modified", "ai-enhanced", NULL};
    for (int i = 0; gen[i]; i++)
        if (!strcasecmp(v, gen[i])) return PROV_AI_GENERATED;
    for (int i = 0; edit[i]; i++)
        if (!strcasecmp(v, edit[i])) return PROV_AI_EDITED;
    return PROV_AI_UNKNOWN;
}

static int has_word_ai(const char *s)
{
    for (const char *p = s; (p = strcasestr(p, "ai")) != NULL; p += 2) {
        int before = p == s || !isalnum((unsigned char)p[-1]);
        int after = !isalpha((unsigned char)p[2]);
        if (before && after) return 1;
    }
    return 0;
}

/* Free text a person or platform chose: a Reddit flair, a platform's AI label. */
enum prov_ai prov_text_class(const char *t)
{
    if (!t || !*t) return PROV_AI_UNKNOWN;
    if (strcasestr(t, "no ai") || strcasestr(t, "not ai") || strcasestr(t, "human-made") ||
        strcasestr(t, "human made") || strcasestr(t, "handmade"))
        return PROV_AI_HUMAN;
    int ai = has_word_ai(t) || strcasestr(t, "midjourney") || strcasestr(t, "stable diffusion") ||
             strcasestr(t, "dall-e") || strcasestr(t, "dall\xc2\xb7" "e") || strcasestr(t, "ai-generated") ||
             strcasestr(t, "synthetic") || strcasestr(t, "generative");
    if (!ai) return PROV_AI_UNKNOWN;
    if (strcasestr(t, "edit") || strcasestr(t, "assist") || strcasestr(t, "modif") || strcasestr(t, "enhanc"))
        return PROV_AI_EDITED;
    return PROV_AI_GENERATED;
}

static void copy(char *dst, size_t cap, const char *s)
{
    prov_copy_text(dst, cap, s, s ? strlen(s) : 0);
}

static int json_true(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void read_extra(const char *extra, struct prov_platform *p)
{
    if (!extra || !*extra) return;
    cJSON *js = cJSON_ParseWithLength(extra, strnlen(extra, 1u << 20));
    if (!cJSON_IsObject(js)) {
        cJSON_Delete(js);
        return;
    }
    const cJSON *vf = cJSON_GetObjectItemCaseSensitive(js, "verified_fields");
    const cJSON *f;
    struct strbuf names;
    sb_init(&names);
    if (!cJSON_IsArray(vf)) vf = NULL;
    cJSON_ArrayForEach(f, vf)
    {
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(f, "verified_at");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(f, "name");
        if (!cJSON_IsString(at) || !at->valuestring[0]) continue;   /* null: not verified */
        sb_printf(&names, "%s%s", names.len ? ", " : "", cJSON_IsString(nm) ? nm->valuestring : "link");
    }
    if (names.len && p->acct < PROV_ACCT_LINKS) {
        p->acct = PROV_ACCT_LINKS;
        struct strbuf d;
        sb_init(&d);
        sb_printf(&d, "verified links: %s", names.s);
        copy(p->acct_detail, sizeof p->acct_detail, d.s);
        sb_free(&d);
    }
    sb_free(&names);
    if (json_true(js, "verified")) {
        p->acct = PROV_ACCT_PLATFORM;
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(js, "verified_by");
        struct strbuf d;
        sb_init(&d);
        if (cJSON_IsString(by) && by->valuestring[0]) sb_printf(&d, "verified by %s", by->valuestring);
        else sb_adds(&d, "verified by the platform");
        copy(p->acct_detail, sizeof p->acct_detail, d.s);
        sb_free(&d);
    }
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(js, "flair");
    if (cJSON_IsString(fl)) copy(p->flair, sizeof p->flair, fl->valuestring);
    const cJSON *al = cJSON_GetObjectItemCaseSensitive(js, "ai_label");
    if (cJSON_IsString(al)) copy(p->ai_label, sizeof p->ai_label, al->valuestring);
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(js, "platform_nature");
    if (cJSON_IsString(na)) copy(p->nature, sizeof p->nature, na->valuestring);
    p->original_content = json_true(js, "original_content");
    p->synthetic_media = json_true(js, "synthetic_media");
    if (json_true(js, "sensitive") || json_true(js, "nsfw")) p->sensitive = 1;
    p->logged_in = json_true(js, "logged_in");
    cJSON_Delete(js);
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

const char *prov_label_meaning(const char *v)
{
    if (!v) return NULL;
    if (!strcmp(v, "!no-unauthenticated")) return "the author asks not to be shown to logged-out readers";
    if (!strcmp(v, "!hide")) return "the labeller asks that it not be shown";
    if (!strcmp(v, "!warn")) return "the labeller asks that it be shown behind a warning";
    if (!strcmp(v, "!takedown")) return "taken down by the platform";
    return NULL;
}

void prov_platform_from_item(const struct item *it, struct prov_platform *p)
{
    memset(p, 0, sizeof *p);
    copy(p->platform, sizeof p->platform, it->platform);
    copy(p->host, sizeof p->host, it->host);
    copy(p->account, sizeof p->account, it->author_handle && *it->author_handle ? it->author_handle : it->author);
    p->bot = it->author_bot != 0;
    /* A Bluesky handle on a domain of its own was checked both ways by the AppView (DNS or
     * .well-known), which is worth showing; bsky.social subdomains prove nothing. */
    const char *h = p->account[0] == '@' ? p->account + 1 : p->account;
    int bsky = p->platform[0] && !strcmp(p->platform, "bluesky");
    if (bsky && ends_with(h, ".brid.gy")) {
        /* Bridgy Fed's handles sit on its own domain: what was checked is the bridge, not the
         * person behind the account */
        snprintf(p->acct_detail, sizeof p->acct_detail,
                 "bridged by Bridgy Fed: the handle is on brid.gy's domain, nothing about the author was checked");
    } else if (bsky && strchr(h, '.') && !ends_with(h, ".bsky.social") && strcmp(h, "handle.invalid")) {
        p->acct = PROV_ACCT_DOMAIN;
        snprintf(p->acct_detail, sizeof p->acct_detail, "the domain %.96s names this account (DNS or .well-known)", h);
    }
    for (const char *s = it->labels; s && *s && p->n_labels < PROV_MAX_LABELS;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        while (n && *s == ' ') { s++; n--; }
        while (n && s[n - 1] == ' ') n--;
        if (n) {
            struct prov_label *l = &p->labels[p->n_labels];
            const char *at = memchr(s, '@', n);
            size_t vl = at ? (size_t)(at - s) : n;
            prov_copy_text(l->value, sizeof l->value, s, vl);
            if (at) prov_copy_text(l->source, sizeof l->source, at + 1, n - vl - 1);
            if (l->value[0]) {
                p->n_labels++;
                if (!strcmp(l->value, "bot")) p->bot = 1;
                if (!strcmp(l->value, "porn") || !strcmp(l->value, "sexual") || !strcmp(l->value, "nudity") ||
                    !strcmp(l->value, "graphic-media") || !strcmp(l->value, "gore"))
                    p->sensitive = 1;
            }
        }
        if (!e) break;
        s = e + 1;
    }
    read_extra(it->extra, p);
}

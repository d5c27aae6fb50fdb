/* SPDX-License-Identifier: ISC */
/* registry — which adapter serves a URL or a subscription kind.  Adding a source is one line in
 * `sources` below (and its file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apiutil.h"
#include "source.h"

static const struct source *const sources[] = {
    &source_feed,
    &source_youtube,
    &source_invidious,
    &source_mastodon,
    &source_bluesky,
    &source_reddit,
    &source_peertube,
    &source_hackernews,
    &source_lemmy,
    &source_link,
    &source_ytdlp,
    &source_sora,
    &source_x,
    &source_mastodon_login,
    &source_bluesky_login,
    NULL,
};

/* Kind names people write in feeds files that mean an existing adapter. */
static const struct { const char *alias; const struct source *src; } aliases[] = {
    {"rss", &source_feed},
    {"atom", &source_feed},
    {"jsonfeed", &source_feed},
    {"hn", &source_hackernews},
    {"bsky", &source_bluesky},
    {"page", &source_link},
    {"yt-dlp", &source_ytdlp},
};

/* ---- options -------------------------------------------------------------------------------- */

static struct { const char *key; char value[512]; } options[] = {
    {"ytdlp-path", ""},
    {"bridge-x", ""},
};

void source_set_option(const char *key, const char *value)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (!strcmp(options[i].key, key)) snprintf(options[i].value, sizeof options[i].value, "%s", value ? value : "");
}

const char *source_option(const char *key)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (!strcmp(options[i].key, key)) return options[i].value;
    return "";
}

const char *source_ytdlp_target(const char *url)
{
    size_t n = strlen(SOURCE_YTDLP_PREFIX);
    return url && !strncmp(url, SOURCE_YTDLP_PREFIX, n) ? url + n : url;
}

int source_ytdlp_available(void)
{
    const char *prog = source_option("ytdlp-path");
    if (!*prog) prog = "yt-dlp";
    if (strchr(prog, '/')) return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/bin:/bin";
    for (const char *p = path; *p;) {
        const char *c = strchr(p, ':');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        char full[4096];
        if (n && n + strlen(prog) + 2 < sizeof full) {
            snprintf(full, sizeof full, "%.*s/%s", (int)n, p, prog);
            if (access(full, X_OK) == 0) return 1;
        }
        if (!c) break;
        p = c + 1;
    }
    return 0;
}

const struct source *source_by_name(const char *name)
{
    if (!name || !*name) return NULL;
    for (size_t i = 0; sources[i]; i++)
        if (!strcmp(sources[i]->name, name)) return sources[i];
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(aliases[i].alias, name)) return aliases[i].src;
    return NULL;
}

const struct source *source_for_url(const char *url)
{
    const struct source *best = &source_feed;
    int best_score = 0;
    for (size_t i = 0; sources[i]; i++) {
        int s = sources[i]->detect ? sources[i]->detect(url) : 0;
        if (s > best_score) { best = sources[i]; best_score = s; }
    }
    return best;
}

const struct source *source_for_sub(const struct subscription *sub)
{
    if (!sub) return &source_feed;
    const struct source *s = source_by_name(sub->kind);
    return s ? s : source_for_url(sub->url);
}

const struct source *const *source_all(void)
{
    return sources;
}

int source_describe(const struct source *src, const struct subscription *sub, struct strbuf *out,
                    struct error *err)
{
    if (src->describe) return src->describe(sub, out, err);
    struct strbuf req;
    sb_init(&req);
    int rc = src->request(sub, &req, err);
    /* nothing to say when the URL is fetched as it is */
    if (rc == 0 && strcmp(req.s, sub->url)) {
        struct arena a;
        arena_init(&a);
        sb_adds(out, api_url_short(&a, req.s, sub->url));
        arena_free(&a);
    }
    sb_free(&req);
    return rc;
}

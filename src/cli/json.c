/* SPDX-License-Identifier: ISC */
/* The one JSON shape of an item, shared by `winnow items --json`, `winnow list show --json` and
 * the list export, and read back by `winnow list import` — one writer and its reader side by
 * side, so an export always imports. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "prov.h"

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v) cJSON_AddStringToObject(o, k, v);
    else cJSON_AddNullToObject(o, k);
}

cJSON *cli_item_json(struct app *app, const struct item *it)
{
    cJSON *o = cJSON_CreateObject();
    char t[32];
    cJSON_AddNumberToObject(o, "id", (double)it->id);
    if (it->feed_id > 0) cJSON_AddNumberToObject(o, "feed", (double)it->feed_id);
    else cJSON_AddNullToObject(o, "feed");
    add_str(o, "feed_title", it->feed_title);
    add_str(o, "guid", it->guid);
    add_str(o, "title", it->title);
    add_str(o, "author", it->author);
    add_str(o, "author_handle", it->author_handle);
    add_str(o, "author_url", it->author_url);
    add_str(o, "url", it->url);
    if (it->published >= 0) { date_rfc3339(it->published, t, sizeof t); cJSON_AddStringToObject(o, "published", t); }
    else cJSON_AddNullToObject(o, "published");
    /* published is the fetch time when the feed's date lay in the future; this is what it said */
    if (it->published_orig >= 0) {
        date_rfc3339(it->published_orig, t, sizeof t);
        cJSON_AddStringToObject(o, "published_original", t);
    }
    add_str(o, "thumbnail", it->thumb_url);
    if (it->media_url) {
        cJSON *m = cJSON_AddObjectToObject(o, "media");
        cJSON_AddStringToObject(m, "url", it->media_url);
        add_str(m, "type", it->media_type);
        if (it->media_duration >= 0) cJSON_AddNumberToObject(m, "duration", (double)it->media_duration);
        else cJSON_AddNullToObject(m, "duration");
        if (it->media_size >= 0) cJSON_AddNumberToObject(m, "size", (double)it->media_size);
    } else {
        cJSON_AddNullToObject(o, "media");
    }
    add_str(o, "platform", it->platform);
    add_str(o, "host", it->host);
    cJSON_AddBoolToObject(o, "bot", it->author_bot);
    add_str(o, "labels", it->labels);
    cJSON_AddBoolToObject(o, "read", it->read);
    cJSON_AddBoolToObject(o, "starred", it->starred);
    add_str(o, "summary", it->summary);
    cJSON *cats = cJSON_AddArrayToObject(o, "categories");
    for (const char *c = it->categories; c && *c;) {
        size_t l = strcspn(c, "\n");
        char *one = xmalloc(l + 1);
        memcpy(one, c, l);
        one[l] = 0;
        cJSON_AddItemToArray(cats, cJSON_CreateString(one));
        free(one);
        c += l;
        if (*c) c++;
    }
    /* every enclosure (url, type, length); "media" is the one that plays */
    cJSON *encs = it->enclosures ? cJSON_Parse(it->enclosures) : NULL;
    if (!cJSON_IsArray(encs)) { cJSON_Delete(encs); encs = cJSON_CreateArray(); }
    cJSON_AddItemToObject(o, "enclosures", encs);
    /* the stored verdict: what the platform says folded with the stored scans of its media */
    cJSON_AddItemToObject(o, "provenance", app_badge_json(app, it));
    /* the adapter's further facts (extractor, counts, which way in was used): JSON the item sink
     * already sanitised */
    cJSON *ex = it->extra ? cJSON_Parse(it->extra) : NULL;
    if (cJSON_IsObject(ex)) {
        cJSON_AddItemToObject(o, "extra", ex);
    } else {
        cJSON_Delete(ex);
        cJSON_AddNullToObject(o, "extra");
    }
    return o;
}

static const char *get_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A JSON number as a count or size: -1 when absent, negative or absurd. */
static int64_t get_known(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > 9e15) return -1;
    return (int64_t)v->valuedouble;
}

int cli_item_from_json(const cJSON *o, struct item *it, struct arena *a)
{
    item_init(it);
    if (!cJSON_IsObject(o)) return -1;
    it->guid = get_str(o, "guid");
    it->title = get_str(o, "title");
    it->author = get_str(o, "author");
    it->author_handle = get_str(o, "author_handle");
    it->author_url = get_str(o, "author_url");
    it->url = get_str(o, "url");
    it->feed_title = get_str(o, "feed_title");
    const char *pub = get_str(o, "published");
    it->published = pub ? date_parse(pub) : -1;
    it->thumb_url = get_str(o, "thumbnail");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "media");
    if (cJSON_IsObject(m)) {
        it->media_url = get_str(m, "url");
        it->media_type = get_str(m, "type");
        it->media_duration = get_known(m, "duration");
        it->media_size = get_known(m, "size");
    }
    it->platform = get_str(o, "platform");
    it->host = get_str(o, "host");
    it->author_bot = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "bot"));
    it->labels = get_str(o, "labels");
    it->summary = get_str(o, "summary");
    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(o, "categories"), *c;
    if (cJSON_IsArray(cats)) {
        struct strbuf b;
        sb_init(&b);
        cJSON_ArrayForEach(c, cats) {
            if (!cJSON_IsString(c) || !*c->valuestring) continue;
            if (b.len) sb_addc(&b, '\n');
            sb_adds(&b, c->valuestring);
        }
        if (b.len) it->categories = arena_strndup(a, b.s, b.len);
        sb_free(&b);
    }
    const cJSON *encs = cJSON_GetObjectItemCaseSensitive(o, "enclosures");
    if (cJSON_IsArray(encs) && cJSON_GetArraySize(encs) > 0) {
        char *j = cJSON_PrintUnformatted(encs);
        if (j) it->enclosures = arena_strdup(a, j);
        free(j);
    }
    /* an item needs something to be known by */
    return (it->guid || it->url || it->title) ? 0 : -1;
}

/* SPDX-License-Identifier: ISC */
/* jsonfeed — JSON Feed 1.0 and 1.1 (https://jsonfeed.org) into items, with cJSON.
 *
 * cJSON builds the whole tree, which is fine for a feed (a few hundred KiB); its nesting limit
 * (CJSON_NESTING_LIMIT, 1000) bounds the recursion on hostile input, and failures are turned into
 * one-line messages that say why: truncated, nested too deep, or where the syntax broke. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "apiutil.h"
#include "date.h"
#include "feedutil.h"
#include "html.h"
#include "item.h"
#include "source.h"
#include "text.h"

/* JSON Feed 1.0 allowed sizes and durations as strings; numbers either way. */
static int64_t jcount(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 9e15) return (int64_t)v->valuedouble;
    if (cJSON_IsString(v)) return feed_parse_count(v->valuestring);
    return -1;
}

/* author (1.0) or the first of authors (1.1) */
static const cJSON *author_of(const cJSON *o)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "authors");
    if (cJSON_IsArray(arr)) {
        const cJSON *first = arr->child;
        if (cJSON_IsObject(first)) return first;
    }
    const cJSON *au = cJSON_GetObjectItemCaseSensitive(o, "author");
    return cJSON_IsObject(au) ? au : NULL;
}

/* "tags" as the item's categories, one per line. */
static const char *tags_text(const cJSON *o, struct arena *a)
{
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags"), *t;
    if (!cJSON_IsArray(tags)) return NULL;
    struct strbuf b;
    sb_init(&b);
    int n = 0;
    cJSON_ArrayForEach(t, tags) {
        if (!cJSON_IsString(t) || feed_blank(t->valuestring) || n++ >= 32) continue;
        if (b.len) sb_addc(&b, '\n');
        for (const char *c = t->valuestring; *c && c - t->valuestring < 200; c++)
            sb_addc(&b, (*c == '\n' || *c == '\r' || *c == '\t') ? ' ' : *c);
    }
    const char *r = b.len ? arena_strndup(a, b.s, b.len) : NULL;
    sb_free(&b);
    return r;
}

/* Every attachment as the item's enclosures (url, type, length), URLs resolved and sanitised. */
static const char *attachments_json(const cJSON *atts, struct arena *a, const char *base)
{
    if (!cJSON_IsArray(atts)) return NULL;
    cJSON *arr = cJSON_CreateArray();
    const cJSON *at;
    int n = 0;
    cJSON_ArrayForEach(at, atts) {
        const char *u = cJSON_IsObject(at) ? api_jstr(at, "url") : NULL;
        if (!u || n >= 16) continue;
        const char *url = url_resolve(a, base, u);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "url", text_sanitize(a, url, strlen(url), TEXT_MAX_URL, 0));
        const char *mt = api_jstr(at, "mime_type");
        if (mt) cJSON_AddStringToObject(e, "type", text_sanitize(a, mt, strlen(mt), TEXT_MAX_SHORT, 0));
        int64_t size = jcount(at, "size_in_bytes");
        if (size > 0) cJSON_AddNumberToObject(e, "length", (double)size);
        cJSON_AddItemToArray(arr, e);
        n++;
    }
    char *s = n ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    const char *r = s ? arena_strdup(a, s) : NULL;
    free(s);
    return r;
}

static void push_item(const cJSON *o, struct arena *a, const char *base, const cJSON *feed_author,
                      struct item_sink *out)
{
    struct item it;
    item_init(&it);
    it.guid = api_jid(a, o, "id");
    const char *url = api_jstr(o, "url");
    if (!url) url = api_jstr(o, "external_url");
    it.url = url ? url_resolve(a, base, url) : NULL;

    const char *html = api_jstr(o, "content_html");
    const char *txt = api_jstr(o, "content_text");
    const char *sum = api_jstr(o, "summary");
    if (html) it.summary = html_to_text_linked(a, html, strlen(html));
    if (feed_blank(it.summary)) it.summary = txt;
    if (feed_blank(it.summary)) it.summary = sum;

    const char *title = api_jstr(o, "title");
    it.title = feed_blank(title) ? feed_title_from_text(a, it.summary) : title;
    if (feed_blank(it.title)) it.title = it.url;

    const cJSON *au = author_of(o);
    if (!au) au = feed_author;
    if (au) {
        it.author = api_jstr(au, "name");
        const char *u = api_jstr(au, "url");
        it.author_url = u ? url_resolve(a, base, u) : NULL;
    }

    it.published = date_parse(api_jstr(o, "date_published"));
    it.updated = date_parse(api_jstr(o, "date_modified"));
    if (it.published < 0) it.published = it.updated;

    const char *img = api_jstr(o, "image");
    if (!img) img = api_jstr(o, "banner_image");

    /* the first audio/video attachment is the playable media; an image one can be the picture */
    const cJSON *atts = cJSON_GetObjectItemCaseSensitive(o, "attachments");
    const cJSON *media = NULL, *first = NULL, *image_att = NULL;
    if (cJSON_IsArray(atts)) {
        const cJSON *at;
        cJSON_ArrayForEach(at, atts) {
            if (!cJSON_IsObject(at) || !api_jstr(at, "url")) continue;
            const char *mt = api_jstr(at, "mime_type");
            if (!mt) mt = feed_guess_mime(api_jstr(at, "url"));
            if (!first) first = at;
            if (mt && !strncmp(mt, "image/", 6)) { if (!image_att) image_att = at; continue; }
            if (!media && mt && (!strncmp(mt, "audio/", 6) || !strncmp(mt, "video/", 6))) media = at;
        }
    }
    if (!media && first && first != image_att) media = first;
    if (media) {
        it.media_url = url_resolve(a, base, api_jstr(media, "url"));
        it.media_type = api_jstr(media, "mime_type");
        if (!it.media_type) it.media_type = feed_guess_mime(it.media_url);
        it.media_size = jcount(media, "size_in_bytes");
        it.media_duration = jcount(media, "duration_in_seconds");
    }
    if (!img && image_att) img = api_jstr(image_att, "url");
    it.thumb_url = img ? url_resolve(a, base, img) : NULL;

    it.categories = tags_text(o, a);
    it.enclosures = attachments_json(atts, a, base);
    it.platform = "jsonfeed";
    it.host = url_host(a, it.url ? it.url : base);
    item_sink_push(out, &it);
}

int feed_parse_jsonfeed(const char *body, size_t len, const char *base_url, struct item_sink *out,
                        struct error *err)
{
    size_t i = 0;
    if (body && len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) i = 3;
    while (body && i < len && isspace((unsigned char)body[i])) i++;
    if (!body || i >= len) { error_set(err, "empty response"); return -1; }

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body + i, len - i, &end, 0);
    if (!root) {
        api_json_error(body, len, end, err);
        return -1;
    }
    const char *version = cJSON_IsObject(root) ? api_jstr(root, "version") : NULL;
    if (!version || !strstr(version, "jsonfeed.org/version/")) {
        cJSON_Delete(root);
        error_set(err, "not a feed: got JSON that is not a JSON Feed");
        return -1;
    }
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    if (items && !cJSON_IsArray(items)) {
        cJSON_Delete(root);
        error_set(err, "not a valid JSON Feed: \"items\" is not an array");
        return -1;
    }

    struct arena a;
    arena_init(&a);
    const char *home = api_jstr(root, "home_page_url");
    const char *feed_url = api_jstr(root, "feed_url");
    /* relative URLs resolve against the document's own URL, like a browser would; the feed's
     * self-declared URLs are only a fallback when the caller does not know it */
    const char *base = base_url ? base_url
                       : home ? url_resolve(&a, base_url, home)
                       : feed_url ? url_resolve(&a, base_url, feed_url) : NULL;
    const char *title = api_jstr(root, "title");
    item_sink_meta(out, title, home ? url_resolve(&a, base_url, home) : NULL,
                   strstr(version, "version/1.1") ? "jsonfeed1.1" : "jsonfeed1.0");

    const cJSON *feed_author = author_of(root);
    const cJSON *o;
    cJSON_ArrayForEach(o, items) {
        if (cJSON_IsObject(o)) push_item(o, &a, base, feed_author, out);
    }
    arena_free(&a);
    cJSON_Delete(root);
    return 0;
}

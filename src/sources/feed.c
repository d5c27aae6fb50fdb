/* SPDX-License-Identifier: ISC */
/* feed — the "feed" adapter: any http(s) or file URL that serves RSS, Atom or JSON Feed.  The
 * format is sniffed from the body, not trusted from the Content-Type, because servers lie.
 * A URL that turns out to be a video page (a <video> element or og:video) is handed to yt-dlp
 * when it is installed: that URL's later refreshes start there (the follow-up is the feed's
 * endpoint).  Without yt-dlp, the error says to install it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "charset.h"
#include "feed_xml.h"
#include "source.h"
#include "text.h"

/* Does the start of an HTML page hold a video? */
int source_video_page(const char *body, size_t len)
{
    static const char *const marks[] = {"<video", "og:video"};
    size_t n = len < ((size_t)1 << 20) ? len : (size_t)1 << 20;
    for (size_t i = 0; i < n; i++) {
        if (body[i] != '<' && body[i] != 'o' && body[i] != 'O') continue;
        for (size_t k = 0; k < 2; k++) {
            size_t l = strlen(marks[k]);
            if (i + l <= n && !strncasecmp(body + i, marks[k], l)) return 1;
        }
    }
    return 0;
}

/* An HTML answer that is a video page: yt-dlp reads it (0), or the message says to install it. */
static int video_fallback(const char *body, size_t len, const struct subscription *sub, struct item_sink *out,
                          struct error *err)
{
    if (!sub || sub->stage || !sub->url || (strncasecmp(sub->url, "http://", 7) && strncasecmp(sub->url, "https://", 8)) ||
        !source_video_page(body, len))
        return -1;
    if (!source_ytdlp_available()) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        error_set(err, "%.400s; a video page: install yt-dlp for video pages", why);
        return -1;
    }
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, SOURCE_YTDLP_PREFIX);
    sb_adds(&b, sub->url);
    struct item_follow f = {.url = b.s, .stage = "ytdlp", .endpoint = 1};
    item_sink_follow(out, &f);
    sb_free(&b);
    error_clear(err);
    return 0;
}

static int feed_detect(const char *url)
{
    if (!url) return 0;
    while (isspace((unsigned char)*url)) url++;
    if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8) ||
        !strncasecmp(url, "file://", 7))
        return 10;
    return 0;
}

static int feed_request(const struct subscription *sub, struct strbuf *url_out, struct error *err)
{
    if (!sub || !sub->url || !*sub->url) { error_set(err, "no URL to fetch"); return -1; }
    sb_adds(url_out, sub->url);
    return 0;
}

static int feed_parse(const char *body, size_t len, const struct subscription *sub,
                      struct item_sink *out, struct error *err)
{
    /* Every format below reads UTF-8 only: the body is converted first, with the HTTP charset
     * the parsers themselves cannot see. */
    char used[CHARSET_NAME_MAX];
    size_t cn = 0;
    int clean = 0;
    char *conv = body ? charset_to_utf8_checked(body, len, sub ? sub->content_type : NULL, 1, &cn, used, &clean)
                      : NULL;
    if (conv) { body = conv; len = cn; }
    size_t i = 0;
    if (body && len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) i = 3;
    while (body && i < len && isspace((unsigned char)body[i])) i++;
    if (!body || i >= len) { free(conv); error_set(err, "empty response"); return -1; }
    if (sub && sub->stage && !strcmp(sub->stage, "ytdlp")) {
        int r = source_ytdlp.parse(body, len, sub, out, err);
        free(conv);
        return r;
    }
    /* Relative references resolve against where the body really came from (after redirects),
     * or against the Content-Location the server names for it (RFC 9110 8.7), itself relative
     * to that; xml:base inside the document comes on top. */
    const char *base = sub ? (sub->fetch_url ? sub->fetch_url : sub->url) : NULL;
    struct arena ba;
    arena_init(&ba);
    if (sub && sub->content_location && *sub->content_location && base) {
        char *cl = text_sanitize(&ba, sub->content_location, strlen(sub->content_location), TEXT_MAX_URL, 0);
        if (*cl && !strchr(cl, ' ')) base = url_resolve(&ba, base, cl);
    }
    size_t before = out->n;
    int rc;
    switch (body[i]) {
    case '<':
        rc = fx_parse_utf8_clean(body, len, base, out, err, clean);
        if (rc < 0 && out->n == before) rc = video_fallback(body + i, len - i, sub, out, err);
        break;
    case '{':
        rc = feed_parse_jsonfeed(body, len, base, out, err);
        break;
    case '[':
        /* a top-level array is an API listing (Mastodon, ...), never a JSON Feed */
        error_set(err, "not a feed: got JSON that is not a JSON Feed");
        rc = -1;
        break;
    default:
        error_set(err, "not a feed: the response is neither XML nor JSON");
        rc = -1;
    }
    if (rc == 0) out->meta.charset = text_sanitize(&out->arena, used, strlen(used), TEXT_MAX_SHORT, 0);
    free(conv);
    arena_free(&ba);
    if (rc == 0 && sub && sub->max_items && out->n - before > sub->max_items) {
        out->dropped += out->n - before - sub->max_items;
        out->n = before + sub->max_items;
    }
    return rc;
}

const struct source source_feed = {
    .name = "feed",
    .description = "RSS, Atom or JSON Feed at an http(s) or file:// URL",
    .detect = feed_detect,
    .request = feed_request,
    .parse = feed_parse,
};

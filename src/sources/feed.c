/* feed — the "feed" adapter: any http(s) or file URL that serves RSS, Atom or JSON Feed.  The
 * format is sniffed from the body, not trusted from the Content-Type, because servers lie. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "source.h"

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
    size_t i = 0;
    if (body && len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) i = 3;
    while (body && i < len && isspace((unsigned char)body[i])) i++;
    if (!body || i >= len) { error_set(err, "empty response"); return -1; }
    const char *base = sub ? sub->url : NULL;
    size_t before = out->n;
    int rc;
    switch (body[i]) {
    case '<':
        rc = feed_parse_xml(body, len, base, out, err);
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
        /* UTF-16 XML starts with a byte order mark or a NUL byte beside '<' */
        if (len >= 2 && ((unsigned char)body[0] == 0xFF || (unsigned char)body[0] == 0xFE ||
                         (body[0] == 0 && body[1] == '<') || (body[0] == '<' && body[1] == 0))) {
            rc = feed_parse_xml(body, len, base, out, err);
            break;
        }
        error_set(err, "not a feed: the response is neither XML nor JSON");
        rc = -1;
    }
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

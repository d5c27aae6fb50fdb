/* SPDX-License-Identifier: ISC */
/* feed_xml_item — from what the parser collected for one item/entry to a struct item: which of
 * several candidate fields wins (content over description over itunes:summary, dc:creator over
 * author), media and enclosures, categories, authors' names split from their email addresses. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "charset.h"
#include "date.h"
#include "feed_xml.h"
#include "feedutil.h"
#include "html.h"
#include "source.h"
#include "text.h"

static int is_image(const char *type, const char *medium, const char *url)
{
    if (medium) return !strcasecmp(medium, "image");
    if (type) return fx_starts_ci(type, "image/");
    return fx_starts_ci(feed_guess_mime(url), "image/");
}

static int is_av(const char *type, const char *medium)
{
    if (medium) return !strcasecmp(medium, "audio") || !strcasecmp(medium, "video");
    return fx_starts_ci(type, "audio/") || fx_starts_ci(type, "video/") ||
           fx_starts_ci(type, "application/x-mpegurl") || fx_starts_ci(type, "application/vnd.apple.mpegurl");
}

void fx_add_thumb(struct fx *p, const XML_Char **atts)
{
    const char *url = fx_attr(atts, "url");
    if (!url || feed_blank(url)) return;
    int64_t w = feed_parse_count(fx_attr(atts, "width")), h = feed_parse_count(fx_attr(atts, "height"));
    if (w > 100000 || h > 100000) w = h = -1;
    int64_t area = (w > 0 && h > 0) ? w * h : 0;
    /* the largest wins; without sizes, the first */
    if (p->it.thumb && area <= p->it.thumb_area) return;
    p->it.thumb = fx_resolve(p, fx_base(p), url);
    p->it.thumb_w = w > 0 ? (int)w : 0;
    p->it.thumb_h = h > 0 ? (int)h : 0;
    p->it.thumb_area = area;
}

static void media_from(struct fx *p, struct media *m, const XML_Char **atts, const char *url_attr,
                       const char *size_attr)
{
    m->url = fx_resolve(p, fx_base(p), fx_attr(atts, url_attr));
    const char *t = fx_attr(atts, "type");
    m->type = (t && !feed_blank(t)) ? arena_strdup(&p->a, t) : NULL;
    const char *md = fx_attr(atts, "medium");
    m->medium = md ? arena_strdup(&p->a, md) : NULL;
    m->size = feed_parse_count(fx_attr(atts, size_attr));
    if (m->size == 0) m->size = -1;
    m->duration = feed_parse_duration(fx_attr(atts, "duration"));
    int64_t w = feed_parse_count(fx_attr(atts, "width")), h = feed_parse_count(fx_attr(atts, "height"));
    m->w = (w > 0 && w < 100000) ? (int)w : 0;
    m->h = (h > 0 && h < 100000) ? (int)h : 0;
}

void fx_add_media(struct fx *p, const XML_Char **atts, int enclosure, const char *url_attr)
{
    const char *url = fx_attr(atts, url_attr);
    if (!url || feed_blank(url)) return;
    struct media m;
    media_from(p, &m, atts, url_attr, enclosure ? "length" : "fileSize");
    struct xitem *x = &p->it;
    if (enclosure && x->n_encs < FX_MAX_ENCS) {
        int dup = 0;
        for (int i = 0; i < x->n_encs; i++) dup |= !strcmp(x->encs[i].url, m.url);
        if (!dup) x->encs[x->n_encs++] = m;
    }
    const char *type = m.type;
    if (!type && !m.medium) type = feed_guess_mime(m.url);
    struct media *av = enclosure ? &x->enc_av : &x->mc_av;
    struct media *img = enclosure ? &x->enc_img : &x->mc_img;
    if (is_image(type, m.medium, m.url)) {
        if (!img->url) *img = m;
    } else if (enclosure || is_av(type, m.medium)) {
        /* an enclosure of unknown type is still the episode; flash players and the like are not */
        if (!av->url) { *av = m; if (!av->type) av->type = type; }
    }
}

void fx_add_category(struct fx *p, const char *s, size_t n)
{
    struct xitem *x = &p->it;
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n || x->n_cats >= FX_MAX_CATS) return;
    if (n > 200) n = 200;
    /* one line each: the stored list is one category per line */
    char *c = arena_strndup(&p->a, s, n);
    for (char *q = c; *q; q++)
        if (*q == '\n' || *q == '\r' || *q == '\t') *q = ' ';
    for (int i = 0; i < x->n_cats; i++)
        if (!strcasecmp(x->cats[i], c)) return;
    x->cats[x->n_cats++] = c;
}

static void add_keywords(struct fx *p, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, ",");
        fx_add_category(p, s, n);
        s += n;
        if (*s) s++;
    }
}

void fx_item_begin(struct fx *p)
{
    memset(&p->it, 0, sizeof p->it);
    struct xitem *x = &p->it;
    x->enc_av.size = x->enc_img.size = x->mc_av.size = x->mc_img.size = -1;
    x->enc_av.duration = x->enc_img.duration = x->mc_av.duration = x->mc_img.duration = -1;
    p->item_depth = p->depth;
}

/* Base64 (RFC 4648, white space ignored) into the arena, NUL-terminated; NULL when not base64. */
static char *base64_decode(struct arena *a, const char *s, size_t n)
{
    char *r = arena_alloc(a, n / 4 * 3 + 4);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62;
        else if (c == '/' || c == '_') v = 63;
        else if (c == '=') break;
        else if (isspace(c)) continue;
        else return NULL;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; r[o++] = (char)((acc >> bits) & 0xFF); }
    }
    r[o] = 0;
    return r;
}

static const char *summary_text(struct fx *p, const char *s, enum kind k)
{
    if (feed_blank(s)) return NULL;
    if (k == K_TEXT) return s;
    if (k == K_AUTO && !html_looks_like(s, strlen(s))) return s;
    return html_to_text_linked(&p->a, s, strlen(s));
}

/* A name with its email address: "jo@example.com (Jo Example)", "Jo Example (jo@example.com)",
 * "Jo Example <jo@example.com>", or only the address. */
const char *fx_author_name(struct fx *p, const char *s, const char **email)
{
    *email = NULL;
    if (!s) return NULL;
    const char *open = strpbrk(s, "(<");
    if (!open) {
        if (strchr(s, '@') && !strchr(s, ' ')) *email = s;
        return s;
    }
    char close = *open == '(' ? ')' : '>';
    const char *end = strrchr(open, close);
    if (!end || end == open + 1) return s;
    char *inside = arena_strndup(&p->a, open + 1, (size_t)(end - open - 1));
    char *outside = arena_printf(&p->a, "%.*s%s", (int)(open - s), s, end + 1);
    char *o = outside;
    while (isspace((unsigned char)*o)) o++;
    size_t on = strlen(o);
    while (on && isspace((unsigned char)o[on - 1])) o[--on] = 0;
    int inside_mail = strchr(inside, '@') != NULL, outside_mail = strchr(o, '@') != NULL;
    if (inside_mail && !outside_mail && *o) { *email = inside; return o; }
    if (outside_mail && !inside_mail) { *email = o; return feed_blank(inside) ? o : inside; }
    if (inside_mail && !*o) { *email = inside; return inside; }
    return s;
}

static int yt_id_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '-' && s[n] != '_') return 0;
    return n > 0 && n <= 64;
}

static char *json_text(struct fx *p, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *r = s ? arena_strdup(&p->a, s) : NULL;
    free(s);
    return r;
}

static char *youtube_extra(struct fx *p)
{
    struct xitem *x = &p->it;
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "videoId", x->yt_video);
    if (x->yt_channel) cJSON_AddStringToObject(o, "channelId", x->yt_channel);
    int64_t views = feed_parse_count(x->views);
    if (views >= 0) cJSON_AddNumberToObject(o, "views", (double)views);
    int64_t count = feed_parse_count(x->star_count);
    if (count >= 0) cJSON_AddNumberToObject(o, "starCount", (double)count);
    if (x->star_avg) {
        char *end;
        double avg = strtod(x->star_avg, &end);
        if (end != x->star_avg && *end == 0 && avg >= 0 && avg <= 100)
            cJSON_AddNumberToObject(o, "starAverage", avg);
    }
    return json_text(p, o);
}

/* Each enclosure's URL, type and length; the URL is sanitised here because it sits inside JSON
 * the sink sanitises only as a whole.  The cJSON tree is what defines the text; the direct
 * writer below gives the same bytes (tests/unit/test_feeds.c compares them) without building one
 * per item. */
static char *enclosures_cjson(struct fx *p, char *const *urls, char *const *types)
{
    struct xitem *x = &p->it;
    cJSON *arr = cJSON_CreateArray();
    if (!arr) return NULL;
    for (int i = 0; i < x->n_encs; i++) {
        const struct media *m = &x->encs[i];
        if (!*urls[i]) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "url", urls[i]);
        if (m->type) cJSON_AddStringToObject(o, "type", types[i]);
        if (m->size > 0) cJSON_AddNumberToObject(o, "length", (double)m->size);
        cJSON_AddItemToArray(arr, o);
    }
    return json_text(p, arr);
}

static char *enclosures_json(struct fx *p)
{
    struct xitem *x = &p->it;
    if (!x->n_encs) return NULL;
    char *urls[FX_MAX_ENCS], *types[FX_MAX_ENCS];
    for (int i = 0; i < x->n_encs; i++) {
        const struct media *m = &x->encs[i];
        urls[i] = text_sanitize(&p->a, m->url, strlen(m->url), TEXT_MAX_URL, 0);
        types[i] = m->type ? text_sanitize(&p->a, m->type, strlen(m->type), TEXT_MAX_SHORT, 0) : NULL;
    }
    struct strbuf *b = &p->scratch;
    sb_reset(b);
    sb_addc(b, '[');
    int n = 0, ok = 1;
    for (int i = 0; i < x->n_encs && ok; i++) {
        const struct media *m = &x->encs[i];
        if (!*urls[i]) continue;
        if (n++) sb_addc(b, ',');
        sb_adds(b, "{\"url\":");
        feed_json_str(b, urls[i]);
        if (types[i]) { sb_adds(b, ",\"type\":"); feed_json_str(b, types[i]); }
        if (m->size > 0) { sb_adds(b, ",\"length\":"); ok = feed_json_count(b, m->size); }
        sb_addc(b, '}');
    }
    sb_addc(b, ']');
    char *r = ok ? arena_strndup(&p->a, b->s, b->len) : enclosures_cjson(p, urls, types);
    return r;
}

static char *categories_text(struct fx *p)
{
    struct xitem *x = &p->it;
    if (!x->n_cats) return NULL;
    struct strbuf b;
    sb_init(&b);
    for (int i = 0; i < x->n_cats; i++) {
        char *c = (char *)x->cats[i];
        charset_fix_double_utf8(c);
        if (b.len) sb_addc(&b, '\n');
        sb_adds(&b, c);
    }
    char *r = arena_strndup(&p->a, b.s, b.len);
    sb_free(&b);
    return r;
}

/* An RSS title has no declared type, and publishers put HTML in them ("<b>New</b> release"):
 * markup is read as HTML, as feed readers do.  An Atom text title is literal (RFC 4287 3.1.1.1). */
static int rss_markup(const struct fx *p, const char *s)
{
    /* only tags HTML has: "Tom & Jerry <live>" is a title about a live show, not markup */
    static const char *const tags[] = {
        "a", "abbr", "applet", "b", "big", "blink", "blockquote", "br", "center", "cite", "code",
        "del", "div", "em", "embed", "font", "form", "frame", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "iframe", "img", "input", "ins", "li", "link", "marquee", "meta", "noscript", "object",
        "ol", "p", "pre", "q", "s", "script", "small", "span", "strike", "strong", "style", "sub",
        "sup", "table", "td", "tr", "tt", "u", "ul"};
    if (p->is_atom) return 0;
    for (const char *lt = strchr(s, '<'); lt; lt = strchr(lt + 1, '<')) {
        const char *n = lt + 1 + (lt[1] == '/');
        size_t l = 0;
        while (isalnum((unsigned char)n[l])) l++;
        if (!l || (n[l] != '>' && n[l] != ' ' && n[l] != '/')) continue;
        for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
            if (strlen(tags[k]) == l && !strncasecmp(n, tags[k], l)) return 1;
    }
    return 0;
}

static const char *pick_title(struct fx *p, const struct item *it)
{
    struct xitem *x = &p->it;
    const char *title = NULL;
    if (!feed_blank(x->title)) {
        if (x->title_kind == K_HTML || x->title_kind == K_XHTML || rss_markup(p, x->title))
            title = html_to_text(&p->a, x->title, strlen(x->title));
        else if (p->is_atom && x->title_kind == K_TEXT)
            title = x->title;   /* Atom text is literal: "&amp;" in it is what the author wrote */
        else
            title = feed_decode_entities(&p->a, (char *)x->title);
    }
    if (feed_blank(title) && !feed_blank(x->m_title)) title = x->m_title;
    if (feed_blank(title)) title = feed_title_from_text(&p->a, it->summary);
    return feed_blank(title) ? it->url : title;
}

static void pick_author(struct fx *p, struct item *it)
{
    struct xitem *x = &p->it;
    const char *email = NULL;
    if (x->dc_creator && !feed_blank(x->dc_creator)) it->author = fx_author_name(p, x->dc_creator, &email);
    else if (x->author_name) it->author = x->author_name;
    else if (x->author && !feed_blank(x->author)) it->author = fx_author_name(p, x->author, &email);
    else if (x->it_author) it->author = x->it_author;
    else if (x->author_email) it->author = x->author_email;
    else it->author = p->ch_author ? fx_author_name(p, p->ch_author, &email) : NULL;
    it->author_url = x->author_uri;
    if (!it->author_url && (email || x->author_email))
        it->author_url = arena_printf(&p->a, "mailto:%s", email ? email : x->author_email);
}

static void pick_media(struct fx *p, struct item *it)
{
    struct xitem *x = &p->it;
    /* the playable media: an audio/video enclosure, else an audio/video media:content */
    const struct media *m = x->enc_av.url ? &x->enc_av : x->mc_av.url ? &x->mc_av : NULL;
    if (m) {
        it->media_url = m->url;
        it->media_type = m->type;
        it->media_size = m->size;
        it->media_duration = m->duration;
        it->media_w = m->w;
        it->media_h = m->h;
        /* the same file described by media:content may know what the enclosure did not */
        if (m == &x->enc_av && x->mc_av.url && !strcmp(x->mc_av.url, m->url)) {
            if (it->media_duration < 0) it->media_duration = x->mc_av.duration;
            if (!it->media_w) { it->media_w = x->mc_av.w; it->media_h = x->mc_av.h; }
            if (it->media_size < 0) it->media_size = x->mc_av.size;
        }
        if (!it->media_type) it->media_type = feed_guess_mime(m->url);
    }
    int64_t d = feed_parse_duration(x->it_duration);
    if (d >= 0) it->media_duration = d;

    if (x->thumb) { it->thumb_url = x->thumb; it->thumb_w = x->thumb_w; it->thumb_h = x->thumb_h; }
    else if (x->it_image) it->thumb_url = x->it_image;
    else if (x->enc_img.url) { it->thumb_url = x->enc_img.url; it->thumb_w = x->enc_img.w; it->thumb_h = x->enc_img.h; }
    else if (x->mc_img.url) { it->thumb_url = x->mc_img.url; it->thumb_w = x->mc_img.w; it->thumb_h = x->mc_img.h; }
    else if (m && p->ch_it_image) it->thumb_url = p->ch_it_image;   /* podcast cover art */
}

void fx_item_end(struct fx *p)
{
    struct xitem *x = &p->it;
    struct item it;
    item_init(&it);

    it.url = x->link;
    if (!it.url && x->guid && x->guid_permalink &&
        (fx_starts_ci(x->guid, "http://") || fx_starts_ci(x->guid, "https://")))
        it.url = x->guid;
    it.guid = x->guid ? x->guid : x->id ? x->id : x->rdf_about;

    it.summary = summary_text(p, x->content, x->content_kind);
    if (!it.summary) it.summary = summary_text(p, x->desc, x->desc_kind);
    if (!it.summary) it.summary = summary_text(p, x->it_summary, K_AUTO);
    if (!it.summary) it.summary = summary_text(p, x->m_desc, x->m_desc_kind);
    if (it.summary) charset_fix_double_utf8((char *)it.summary);

    it.title = pick_title(p, &it);
    if (it.title && it.title != it.url) {
        if (it.title == x->m_title || it.title == x->title) it.title = arena_strdup(&p->a, it.title);
        charset_fix_double_utf8((char *)it.title);
    }
    pick_author(p, &it);
    if (it.author) {
        it.author = arena_strdup(&p->a, it.author);
        charset_fix_double_utf8((char *)it.author);
    }

    it.published = date_parse(x->pubdate);
    it.updated = date_parse(x->updated);
    if (it.published < 0) it.published = it.updated;

    pick_media(p, &it);
    it.categories = categories_text(p);
    it.enclosures = enclosures_json(p);

    it.platform = p->is_atom ? "atom" : "rss";
    if (x->yt_video && yt_id_ok(x->yt_video)) {
        it.platform = "youtube";
        it.media_url = arena_printf(&p->a, "https://www.youtube.com/watch?v=%s", x->yt_video);
        it.media_type = "page";
        it.media_size = -1;
        it.media_w = it.media_h = 0;
        if (!it.url) it.url = it.media_url;
        it.extra = youtube_extra(p);
    }
    it.host = url_host(&p->a, it.url ? it.url : p->ch_link);

    item_sink_push(p->out, &it);
    p->item_depth = 0;
    p->n_items++;
}

static char *trimmed(struct fx *p, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return arena_strndup(&p->a, s, n);
}

/* An Atom id that is a relative reference ("/2003/12/13/atom03") names a resource under the
 * document's base, as RFC 4287 says of every IRI in it. */
static const char *entry_id(struct fx *p, const char *id)
{
    const char *c = id + strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    if (!*id || (*c == ':' && c > id)) return id;
    return p->cap_base ? fx_resolve(p, p->cap_base, id) : id;
}

void fx_finish_capture(struct fx *p)
{
    struct xitem *x = &p->it;
    const char *s = p->text.s ? p->text.s : "";
    size_t n = p->text.len;
    enum field f = p->cap;
    enum kind k = p->cap_kind;
    p->cap = F_NONE;
    if (k == K_BASE64) {
        char *d = base64_decode(&p->a, s, n);
        if (d) { s = d; n = strlen(d); }
        k = K_AUTO;
    }
    /* The author of an Atom entry is a container: its own text is only white space. */
    if (f == F_AUTHOR && feed_blank(s)) return;
    switch (f) {
    case F_TITLE: x->title = arena_strndup(&p->a, s, n); x->title_kind = k; break;
    case F_LINK: x->link = fx_resolve(p, p->cap_base, trimmed(p, s, n)); x->link_score = 4; break;
    case F_GUID: x->guid = trimmed(p, s, n); break;   /* an identifier: kept exactly */
    case F_ID: x->id = p->is_atom ? entry_id(p, trimmed(p, s, n)) : trimmed(p, s, n); break;
    case F_DESC: x->desc = arena_strndup(&p->a, s, n); x->desc_kind = k; break;
    case F_CONTENT:
        if (feed_blank(s)) break;    /* an empty content:encoded must not hide the description */
        x->content = arena_strndup(&p->a, s, n);
        x->content_kind = k;
        break;
    case F_PUBDATE: x->pubdate = trimmed(p, s, n); break;
    case F_UPDATED: x->updated = trimmed(p, s, n); break;
    case F_AUTHOR: x->author = trimmed(p, s, n); break;
    case F_AUTHOR_NAME: x->author_name = trimmed(p, s, n); break;
    case F_AUTHOR_URI: x->author_uri = fx_resolve(p, p->cap_base, trimmed(p, s, n)); break;
    case F_AUTHOR_EMAIL: x->author_email = trimmed(p, s, n); break;
    case F_DC_CREATOR: x->dc_creator = trimmed(p, s, n); break;
    case F_IT_AUTHOR: x->it_author = trimmed(p, s, n); break;
    case F_IT_DURATION: x->it_duration = trimmed(p, s, n); break;
    case F_IT_SUMMARY: x->it_summary = trimmed(p, s, n); break;
    case F_M_TITLE: x->m_title = trimmed(p, s, n); break;
    case F_M_DESC: x->m_desc = arena_strndup(&p->a, s, n); x->m_desc_kind = k; break;
    case F_YT_VIDEO: x->yt_video = trimmed(p, s, n); break;
    case F_YT_CHANNEL: x->yt_channel = trimmed(p, s, n); break;
    case F_CATEGORY: fx_add_category(p, s, n); break;
    case F_KEYWORDS: add_keywords(p, trimmed(p, s, n)); break;
    case F_CH_TITLE: {
        char *t = (k == K_HTML || k == K_XHTML || rss_markup(p, s)) ? html_to_text(&p->a, s, n)
                                                : feed_decode_entities(&p->a, arena_strndup(&p->a, s, n));
        if (feed_blank(t)) break;
        if (t == s) t = arena_strdup(&p->a, t);
        charset_fix_double_utf8(t);
        p->ch_title = t;
        break;
    }
    case F_CH_LINK: p->ch_link = fx_resolve(p, p->cap_base, trimmed(p, s, n)); p->ch_link_score = 4; break;
    case F_CH_AUTHOR_NAME: case F_CH_AUTHOR: p->ch_author = trimmed(p, s, n); break;
    default: break;
    }
}

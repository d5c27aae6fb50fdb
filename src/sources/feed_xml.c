/* feed_xml — RSS 0.9x/1.0/2.0 and Atom (with Media RSS, iTunes, Dublin Core and YouTube extensions)
 * through expat, streaming: one pass, a fixed element stack, no tree.
 *
 * The format families share local names, so elements are classified once by (namespace, local name)
 * and the meaning comes from where they sit: a <title> under an item is the item's title, under
 * <image> it is nothing.  Text is captured only for elements that matter, and each captured field is
 * capped, so a hostile 10 MiB title costs one pass and 256 KiB of memory.
 *
 * Hostile XML: DTD entity declarations are refused outright (billion laughs, quadratic blow-up,
 * external entities), external subsets are never read, nesting is capped.  Broken-but-common
 * input is repaired before parsing instead of rejected (see xmlprep.c): invalid UTF-8 becomes
 * U+FFFD and stray control bytes are dropped, because that is what a reader of the feed wants. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <expat.h>
#include <libxml/HTMLparser.h>

#include "date.h"
#include "feedutil.h"
#include "html.h"
#include "item.h"
#include "source.h"
#include "text.h"
#include "xmlprep.h"

#define MAX_DEPTH 256
#define MAX_FIELD (256 * 1024)
#define CHUNK (64 * 1024)

enum ns { NS_NONE, NS_RSS, NS_RSS090, NS_RDF, NS_ATOM, NS_ATOM03, NS_CONTENT, NS_DC, NS_MEDIA,
          NS_ITUNES, NS_YT, NS_XHTML, NS_OTHER };

static const struct { const char *uri; enum ns ns; } ns_tab[] = {
    {"http://www.w3.org/2005/Atom", NS_ATOM},
    {"http://search.yahoo.com/mrss/", NS_MEDIA},
    {"http://search.yahoo.com/mrss", NS_MEDIA},
    {"http://www.rssboard.org/media-rss", NS_MEDIA},
    {"http://www.rssboard.org/media-rss/", NS_MEDIA},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES},
    {"http://purl.org/dc/elements/1.1/", NS_DC},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
    {"http://www.youtube.com/xml/schemas/2015", NS_YT},
    {"http://purl.org/rss/1.0/", NS_RSS},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_RSS090},
    {"http://backend.userland.com/rss2", NS_RSS},
    {"http://backend.userland.com/rss", NS_RSS},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
    {"http://purl.org/atom/ns#", NS_ATOM03},
    {"http://www.w3.org/1999/xhtml", NS_XHTML},
};

enum tag {
    T_OTHER, T_RSS, T_RDF, T_FEED, T_CHANNEL, T_ITEM, T_ENTRY, T_TITLE, T_LINK, T_DESCRIPTION,
    T_GUID, T_PUBDATE, T_AUTHOR, T_ENCLOSURE, T_ID, T_PUBLISHED, T_UPDATED, T_SUMMARY, T_CONTENT,
    T_NAME, T_URI, T_ISSUED, T_MODIFIED, T_CONTENT_ENCODED, T_DC_CREATOR, T_DC_DATE, T_M_CONTENT,
    T_M_GROUP, T_M_THUMB, T_M_TITLE, T_M_DESC, T_M_COMMUNITY, T_M_STAR, T_M_STATS, T_IT_DURATION,
    T_IT_IMAGE, T_IT_AUTHOR, T_YT_VIDEOID, T_YT_CHANNELID, T_HTML,
};

/* Local names of the RSS/Atom core, shared by every family (none, RSS 1.0, 0.90, Atom, Atom 0.3). */
static const struct { const char *local; enum tag tag; } core_tab[] = {
    {"item", T_ITEM}, {"title", T_TITLE}, {"link", T_LINK}, {"description", T_DESCRIPTION},
    {"guid", T_GUID}, {"pubDate", T_PUBDATE}, {"author", T_AUTHOR}, {"enclosure", T_ENCLOSURE},
    {"entry", T_ENTRY}, {"id", T_ID}, {"published", T_PUBLISHED}, {"updated", T_UPDATED},
    {"summary", T_SUMMARY}, {"content", T_CONTENT}, {"name", T_NAME}, {"uri", T_URI},
    {"channel", T_CHANNEL}, {"rss", T_RSS}, {"feed", T_FEED}, {"issued", T_ISSUED},
    {"modified", T_MODIFIED}, {"created", T_ISSUED},
};

static const struct { const char *local; enum tag tag; } media_tab[] = {
    {"content", T_M_CONTENT}, {"group", T_M_GROUP}, {"thumbnail", T_M_THUMB},
    {"title", T_M_TITLE}, {"description", T_M_DESC}, {"community", T_M_COMMUNITY},
    {"starRating", T_M_STAR}, {"statistics", T_M_STATS},
};

static enum ns ns_of(const char *uri, size_t n)
{
    for (size_t i = 0; i < sizeof ns_tab / sizeof ns_tab[0]; i++)
        if (strlen(ns_tab[i].uri) == n && !strncasecmp(ns_tab[i].uri, uri, n)) return ns_tab[i].ns;
    return NS_OTHER;
}

/* Expat (created with XML_ParserCreateNS(NULL, ' ')) names elements "uri local" or "local". */
static enum tag classify(const char *name, enum ns *nsp, const char **localp)
{
    const char *sp = strchr(name, ' ');
    enum ns ns = NS_NONE;
    const char *local = name;
    if (sp) { ns = ns_of(name, (size_t)(sp - name)); local = sp + 1; }
    *nsp = ns;
    *localp = local;
    switch (ns) {
    case NS_NONE: case NS_RSS: case NS_RSS090: case NS_ATOM: case NS_ATOM03:
        for (size_t i = 0; i < sizeof core_tab / sizeof core_tab[0]; i++)
            if (!strcmp(local, core_tab[i].local)) return core_tab[i].tag;
        if (ns == NS_NONE && !strcasecmp(local, "html")) return T_HTML;
        return T_OTHER;
    case NS_RDF: return !strcmp(local, "RDF") ? T_RDF : T_OTHER;
    case NS_CONTENT: return !strcmp(local, "encoded") ? T_CONTENT_ENCODED : T_OTHER;
    case NS_DC:
        if (!strcmp(local, "creator")) return T_DC_CREATOR;
        if (!strcmp(local, "date")) return T_DC_DATE;
        return T_OTHER;
    case NS_MEDIA:
        for (size_t i = 0; i < sizeof media_tab / sizeof media_tab[0]; i++)
            if (!strcmp(local, media_tab[i].local)) return media_tab[i].tag;
        return T_OTHER;
    case NS_ITUNES:
        if (!strcmp(local, "duration")) return T_IT_DURATION;
        if (!strcmp(local, "image")) return T_IT_IMAGE;
        if (!strcmp(local, "author")) return T_IT_AUTHOR;
        return T_OTHER;
    case NS_YT:
        if (!strcmp(local, "videoId")) return T_YT_VIDEOID;
        if (!strcmp(local, "channelId")) return T_YT_CHANNELID;
        return T_OTHER;
    case NS_XHTML: return !strcmp(local, "html") ? T_HTML : T_OTHER;
    default: return T_OTHER;
    }
}

/* What a captured element's text becomes. */
enum field {
    F_NONE, F_TITLE, F_LINK, F_GUID, F_ID, F_DESC, F_CONTENT, F_PUBDATE, F_UPDATED, F_AUTHOR,
    F_AUTHOR_NAME, F_AUTHOR_URI, F_DC_CREATOR, F_IT_AUTHOR, F_IT_DURATION, F_M_TITLE, F_M_DESC,
    F_YT_VIDEO, F_YT_CHANNEL, F_CH_TITLE, F_CH_LINK, F_CH_AUTHOR_NAME,
};

/* How a text field is to be read. */
enum kind { K_TEXT, K_HTML, K_XHTML, K_AUTO };

struct media {
    const char *url, *type, *medium;
    int64_t size, duration;
    int w, h;
};

struct xitem {
    const char *title; enum kind title_kind;
    const char *link, *guid, *id;
    int guid_permalink;
    const char *desc; enum kind desc_kind;
    const char *content; enum kind content_kind;
    const char *m_title, *m_desc; enum kind m_desc_kind;
    const char *author, *author_name, *author_uri, *dc_creator, *it_author;
    const char *pubdate, *updated;
    const char *it_duration, *it_image;
    const char *yt_video, *yt_channel;
    const char *star_count, *star_avg, *views;
    struct media enc_av, enc_img, mc_av, mc_img;
    const char *thumb; int thumb_w, thumb_h; int64_t thumb_area;
};

struct frame {
    unsigned char tag;
    const char *base;          /* xml:base in effect, or NULL */
};

struct fx {
    XML_Parser xp;
    struct item_sink *out;
    struct error *err;
    int failed;                /* err is set; the parser was stopped */
    struct arena a;            /* strings of this parse */
    const char *doc_base;      /* the URL the document came from */
    const char *format;        /* "rss2.0", ... */
    int is_atom;

    struct frame st[MAX_DEPTH + 1];
    int depth;                 /* st[1..depth] are open */
    int item_depth;            /* depth of the open item/entry, 0 = none */
    struct xitem it;

    /* capture of the current text field */
    enum field cap;
    enum kind cap_kind;
    int cap_depth, cap_markup;
    const char *cap_base;
    struct strbuf text;

    /* feed level */
    const char *ch_title, *ch_link, *ch_author, *ch_it_image;
};

static void fail(struct fx *p, const char *msg)
{
    if (p->failed) return;
    p->failed = 1;
    error_set(p->err, "%s", msg);
    XML_StopParser(p->xp, XML_FALSE);
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name)) return atts[i + 1];
    return NULL;
}

static int starts_ci(const char *s, const char *prefix)
{
    return s && !strncasecmp(s, prefix, strlen(prefix));
}

/* The base relative references in the current element resolve against. */
static const char *cur_base(struct fx *p)
{
    /* RFC 4287 and browsers resolve against xml:base, else the document's own URL; the channel
     * link is only a fallback when the caller does not know where the document came from. */
    const char *b = p->st[p->depth].base;
    if (b) return b;
    if (p->doc_base) return p->doc_base;
    if (p->ch_link && (starts_ci(p->ch_link, "http://") || starts_ci(p->ch_link, "https://")))
        return p->ch_link;
    return NULL;
}

/* Always a copy in the parse arena: expat's attribute strings die with the handler call, and
 * url_resolve hands absolute references back as they are. */
static const char *resolve(struct fx *p, const char *base, const char *ref)
{
    if (!ref) return NULL;
    const char *r = url_resolve(&p->a, base, ref);
    return r == ref ? arena_strdup(&p->a, ref) : r;
}

static int is_image(const char *type, const char *medium, const char *url)
{
    if (medium) return !strcasecmp(medium, "image");
    if (type) return starts_ci(type, "image/");
    return starts_ci(feed_guess_mime(url), "image/");
}

static int is_av(const char *type, const char *medium)
{
    if (medium) return !strcasecmp(medium, "audio") || !strcasecmp(medium, "video");
    return starts_ci(type, "audio/") || starts_ci(type, "video/") || starts_ci(type, "application/x-mpegurl") ||
           starts_ci(type, "application/vnd.apple.mpegurl");
}

static void add_thumb(struct fx *p, const XML_Char **atts)
{
    const char *url = attr(atts, "url");
    if (!url || feed_blank(url)) return;
    int64_t w = feed_parse_count(attr(atts, "width")), h = feed_parse_count(attr(atts, "height"));
    if (w > 100000 || h > 100000) w = h = -1;
    int64_t area = (w > 0 && h > 0) ? w * h : 0;
    /* the largest wins; without sizes, the first */
    if (p->it.thumb && area <= p->it.thumb_area) return;
    p->it.thumb = resolve(p, cur_base(p), url);
    p->it.thumb_w = w > 0 ? (int)w : 0;
    p->it.thumb_h = h > 0 ? (int)h : 0;
    p->it.thumb_area = area;
}

static void media_from(struct fx *p, struct media *m, const XML_Char **atts, const char *url_attr,
                       const char *size_attr)
{
    m->url = resolve(p, cur_base(p), attr(atts, url_attr));
    const char *t = attr(atts, "type");
    m->type = (t && !feed_blank(t)) ? arena_strdup(&p->a, t) : NULL;
    const char *md = attr(atts, "medium");
    m->medium = md ? arena_strdup(&p->a, md) : NULL;
    m->size = feed_parse_count(attr(atts, size_attr));
    if (m->size == 0) m->size = -1;
    m->duration = feed_parse_duration(attr(atts, "duration"));
    int64_t w = feed_parse_count(attr(atts, "width")), h = feed_parse_count(attr(atts, "height"));
    m->w = (w > 0 && w < 100000) ? (int)w : 0;
    m->h = (h > 0 && h < 100000) ? (int)h : 0;
}

static void add_media(struct fx *p, const XML_Char **atts, int enclosure, const char *url_attr)
{
    const char *url = attr(atts, url_attr);
    if (!url || feed_blank(url)) return;
    struct media m;
    media_from(p, &m, atts, url_attr, enclosure ? "length" : "fileSize");
    const char *type = m.type;
    if (!type && !m.medium) type = feed_guess_mime(m.url);
    struct media *av = enclosure ? &p->it.enc_av : &p->it.mc_av;
    struct media *img = enclosure ? &p->it.enc_img : &p->it.mc_img;
    if (is_image(type, m.medium, m.url)) {
        if (!img->url) *img = m;
    } else if (enclosure || is_av(type, m.medium)) {
        /* an enclosure of unknown type is still the episode; flash players and the like are not */
        if (!av->url) { *av = m; if (!av->type) av->type = type; }
    }
}

static void start_capture(struct fx *p, enum field f, enum kind k, int markup)
{
    p->cap = f;
    p->cap_kind = k;
    p->cap_depth = p->depth;
    p->cap_markup = markup;
    p->cap_base = cur_base(p);
    sb_reset(&p->text);
}

static void text_add(struct fx *p, const char *s, size_t n)
{
    if (p->text.len >= MAX_FIELD) return;
    if (n > MAX_FIELD - p->text.len) n = MAX_FIELD - p->text.len;
    sb_add(&p->text, s, n);
}

/* Character data of XHTML content goes back into markup, so it has to be escaped again. */
static void text_add_escaped(struct fx *p, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    for (; i < n; i++) {
        const char *rep = NULL;
        if (s[i] == '<') rep = "&lt;";
        else if (s[i] == '>') rep = "&gt;";
        else if (s[i] == '&') rep = "&amp;";
        else if (s[i] == '"') rep = "&quot;";
        if (!rep) continue;
        text_add(p, s + run, i - run);
        text_add(p, rep, strlen(rep));
        run = i + 1;
    }
    text_add(p, s + run, i - run);
}

static enum kind atom_kind(const XML_Char **atts, enum kind dflt)
{
    const char *t = attr(atts, "type");
    if (!t) return dflt;
    if (!strcasecmp(t, "html") || !strcasecmp(t, "text/html")) return K_HTML;
    if (!strcasecmp(t, "xhtml") || !strcasecmp(t, "application/xhtml+xml")) return K_XHTML;
    if (!strcasecmp(t, "text") || !strcasecmp(t, "text/plain")) return K_TEXT;
    return dflt;
}

static void item_begin(struct fx *p)
{
    memset(&p->it, 0, sizeof p->it);
    p->it.enc_av.size = p->it.enc_img.size = p->it.mc_av.size = p->it.mc_img.size = -1;
    p->it.enc_av.duration = p->it.enc_img.duration = p->it.mc_av.duration = p->it.mc_img.duration = -1;
    p->item_depth = p->depth;
}

static const char *summary_text(struct fx *p, const char *s, enum kind k)
{
    if (feed_blank(s)) return NULL;
    if (k == K_TEXT) return s;
    if (k == K_AUTO && !html_looks_like(s, strlen(s))) return s;
    return html_to_text(&p->a, s, strlen(s));
}

/* "jo@example.com (Jo Example)" is how RSS names authors; show the name. */
static const char *rss_author(struct fx *p, const char *s)
{
    if (!s) return NULL;
    const char *lp = strchr(s, '('), *rp = lp ? strrchr(lp, ')') : NULL;
    if (lp && rp && rp > lp + 1) return arena_strndup(&p->a, lp + 1, (size_t)(rp - lp - 1));
    return s;
}

static int yt_id_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '-' && s[n] != '_') return 0;
    return n > 0 && n <= 64;
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
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *r = s ? arena_strdup(&p->a, s) : NULL;
    free(s);
    return r;
}

static void item_end(struct fx *p)
{
    struct xitem *x = &p->it;
    struct item it;
    item_init(&it);

    it.url = x->link;
    if (!it.url && x->guid && x->guid_permalink &&
        (starts_ci(x->guid, "http://") || starts_ci(x->guid, "https://")))
        it.url = x->guid;
    it.guid = x->guid ? x->guid : x->id;

    it.summary = summary_text(p, x->content, x->content_kind);
    if (!it.summary) it.summary = summary_text(p, x->desc, x->desc_kind);
    if (!it.summary) it.summary = summary_text(p, x->m_desc, x->m_desc_kind);

    const char *title = NULL;
    if (!feed_blank(x->title)) {
        if (x->title_kind == K_HTML || x->title_kind == K_XHTML)
            title = html_to_text(&p->a, x->title, strlen(x->title));
        else
            title = feed_decode_entities(&p->a, (char *)x->title);
    }
    if (feed_blank(title) && !feed_blank(x->m_title)) title = x->m_title;
    if (feed_blank(title)) title = feed_title_from_text(&p->a, it.summary);
    it.title = feed_blank(title) ? it.url : title;

    if (x->dc_creator) it.author = x->dc_creator;
    else if (x->author_name) it.author = x->author_name;
    else if (x->author && !feed_blank(x->author)) it.author = rss_author(p, x->author);
    else if (x->it_author) it.author = x->it_author;
    else it.author = p->ch_author;
    it.author_url = x->author_uri;

    it.published = date_parse(x->pubdate);
    it.updated = date_parse(x->updated);
    if (it.published < 0) it.published = it.updated;

    /* the playable media: an audio/video enclosure, else an audio/video media:content */
    const struct media *m = x->enc_av.url ? &x->enc_av : x->mc_av.url ? &x->mc_av : NULL;
    if (m) {
        it.media_url = m->url;
        it.media_type = m->type;
        it.media_size = m->size;
        it.media_duration = m->duration;
        it.media_w = m->w;
        it.media_h = m->h;
        /* the same file described by media:content may know what the enclosure did not */
        if (m == &x->enc_av && x->mc_av.url && !strcmp(x->mc_av.url, m->url)) {
            if (it.media_duration < 0) it.media_duration = x->mc_av.duration;
            if (!it.media_w) { it.media_w = x->mc_av.w; it.media_h = x->mc_av.h; }
            if (it.media_size < 0) it.media_size = x->mc_av.size;
        }
        if (!it.media_type) it.media_type = feed_guess_mime(m->url);
    }
    int64_t d = feed_parse_duration(x->it_duration);
    if (d >= 0) it.media_duration = d;

    if (x->thumb) { it.thumb_url = x->thumb; it.thumb_w = x->thumb_w; it.thumb_h = x->thumb_h; }
    else if (x->it_image) it.thumb_url = x->it_image;
    else if (x->enc_img.url) { it.thumb_url = x->enc_img.url; it.thumb_w = x->enc_img.w; it.thumb_h = x->enc_img.h; }
    else if (x->mc_img.url) { it.thumb_url = x->mc_img.url; it.thumb_w = x->mc_img.w; it.thumb_h = x->mc_img.h; }
    else if (m && p->ch_it_image) it.thumb_url = p->ch_it_image;   /* podcast cover art */

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
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct fx *p = ud;
    if (p->failed) return;
    if (p->depth >= MAX_DEPTH) { fail(p, "nesting too deep"); return; }
    enum ns ns;
    const char *local;
    enum tag tag = classify(name, &ns, &local);
    int parent = p->st[p->depth].tag;
    p->depth++;
    struct frame *f = &p->st[p->depth];
    f->tag = (unsigned char)tag;
    f->base = p->st[p->depth - 1].base;
    const char *xb = attr(atts, "http://www.w3.org/XML/1998/namespace base");
    if (xb) f->base = resolve(p, f->base ? f->base : p->doc_base, xb);

    if (p->cap) {
        /* inside a captured field: child elements are markup of HTML content */
        if (p->cap_markup) {
            text_add(p, "<", 1);
            text_add(p, local, strlen(local));
            const char *alt = attr(atts, "alt");
            if (alt) { text_add(p, " alt=\"", 6); text_add_escaped(p, alt, strlen(alt)); text_add(p, "\"", 1); }
            text_add(p, ">", 1);
        }
        return;
    }

    if (p->depth == 1) {
        if (tag == T_RSS) {
            const char *v = attr(atts, "version");
            p->format = (v && !strncmp(v, "0.9", 3)) ? "rss0.9x" : "rss2.0";
        } else if (tag == T_RDF) {
            p->format = "rss1.0";
        } else if (tag == T_FEED && ns != NS_ATOM03) {
            p->format = "atom1.0";
            p->is_atom = 1;
        } else if (tag == T_FEED) {
            p->format = "atom0.3";
            p->is_atom = 1;
        } else if (tag == T_HTML) {
            fail(p, "not a feed: got an HTML page");
        } else {
            char buf[64];
            snprintf(buf, sizeof buf, "%.40s", local);
            for (char *c = buf; *c; c++) if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F) *c = '?';
            char msg[128];
            snprintf(msg, sizeof msg, "not a feed: the document is <%s>, not RSS or Atom", buf);
            fail(p, msg);
        }
        return;
    }

    if (p->item_depth == 0) {
        /* items are children of channel (RSS 2.0) or siblings of it (RSS 1.0); entries of feed */
        if ((tag == T_ITEM && (parent == T_CHANNEL || parent == T_RDF || parent == T_RSS)) ||
            (tag == T_ENTRY && parent == T_FEED)) {
            if (tag == T_ITEM && ns == NS_RSS090) p->format = "rss0.9x";
            item_begin(p);
            return;
        }
        if (parent == T_CHANNEL || parent == T_FEED) {
            switch (tag) {
            case T_TITLE:
                if (!p->ch_title) start_capture(p, F_CH_TITLE, p->is_atom ? atom_kind(atts, K_TEXT) : K_TEXT, 0);
                break;
            case T_LINK: {
                const char *href = attr(atts, "href");
                const char *rel = attr(atts, "rel");
                if (href) {
                    if (!p->ch_link && (!rel || !strcmp(rel, "alternate")))
                        p->ch_link = resolve(p, f->base ? f->base : p->doc_base, href);
                } else if (!p->ch_link && ns != NS_ATOM) {
                    start_capture(p, F_CH_LINK, K_TEXT, 0);
                }
                break;
            }
            case T_AUTHOR: break;    /* name comes from the child */
            case T_IT_IMAGE:
                if (!p->ch_it_image && attr(atts, "href"))
                    p->ch_it_image = resolve(p, cur_base(p), attr(atts, "href"));
                break;
            default: break;
            }
        } else if (tag == T_NAME && parent == T_AUTHOR && p->depth == 3 && p->is_atom) {
            if (!p->ch_author) start_capture(p, F_CH_AUTHOR_NAME, K_TEXT, 0);
        }
        return;
    }

    struct xitem *x = &p->it;
    int child = p->depth == p->item_depth + 1;
    if (child) {
        switch (tag) {
        case T_TITLE:
            if (!x->title) start_capture(p, F_TITLE, atom_kind(atts, K_TEXT), atom_kind(atts, K_TEXT) == K_XHTML);
            break;
        case T_LINK: {
            const char *href = attr(atts, "href");
            if (href) {
                const char *rel = attr(atts, "rel");
                if (!rel || !strcmp(rel, "alternate")) {
                    if (!x->link) x->link = resolve(p, cur_base(p), href);
                } else if (!strcmp(rel, "enclosure")) {
                    add_media(p, atts, 1, "href");
                }
            } else if (!x->link) {
                start_capture(p, F_LINK, K_TEXT, 0);
            }
            break;
        }
        case T_GUID: {
            const char *pl = attr(atts, "isPermaLink");
            x->guid_permalink = !pl || strcasecmp(pl, "false") != 0;
            if (!x->guid) start_capture(p, F_GUID, K_TEXT, 0);
            break;
        }
        case T_ID: if (!x->id) start_capture(p, F_ID, K_TEXT, 0); break;
        case T_DESCRIPTION: if (!x->desc) start_capture(p, F_DESC, K_AUTO, 1); break;
        case T_SUMMARY:
            if (!x->desc) {
                enum kind k = atom_kind(atts, K_TEXT);
                start_capture(p, F_DESC, k, k != K_TEXT);
            }
            break;
        case T_CONTENT:
            if (!x->content && !attr(atts, "src")) {
                enum kind k = atom_kind(atts, K_TEXT);
                start_capture(p, F_CONTENT, k, k != K_TEXT);
            }
            break;
        case T_CONTENT_ENCODED: if (!x->content) start_capture(p, F_CONTENT, K_HTML, 1); break;
        case T_PUBDATE: case T_PUBLISHED: case T_ISSUED: case T_DC_DATE:
            if (!x->pubdate) start_capture(p, F_PUBDATE, K_TEXT, 0);
            break;
        case T_UPDATED: case T_MODIFIED:
            if (!x->updated) start_capture(p, F_UPDATED, K_TEXT, 0);
            break;
        case T_AUTHOR:
            /* Atom's author is a container (name, uri); RSS's is text */
            if (!p->is_atom && !x->author) start_capture(p, F_AUTHOR, K_TEXT, 0);
            break;
        case T_DC_CREATOR: if (!x->dc_creator) start_capture(p, F_DC_CREATOR, K_TEXT, 0); break;
        case T_IT_AUTHOR: if (!x->it_author) start_capture(p, F_IT_AUTHOR, K_TEXT, 0); break;
        case T_IT_DURATION: if (!x->it_duration) start_capture(p, F_IT_DURATION, K_TEXT, 0); break;
        case T_IT_IMAGE:
            if (!x->it_image && attr(atts, "href")) x->it_image = resolve(p, cur_base(p), attr(atts, "href"));
            break;
        case T_ENCLOSURE: add_media(p, atts, 1, "url"); break;
        case T_YT_VIDEOID: if (!x->yt_video) start_capture(p, F_YT_VIDEO, K_TEXT, 0); break;
        case T_YT_CHANNELID: if (!x->yt_channel) start_capture(p, F_YT_CHANNEL, K_TEXT, 0); break;
        default: break;
        }
    }
    /* Media RSS sits on the item, in media:group, and (thumbnails, titles) in media:content */
    int media_parent = child || parent == T_M_GROUP;
    switch (tag) {
    case T_M_CONTENT: if (media_parent) add_media(p, atts, 0, "url"); break;
    case T_M_THUMB:
        if (media_parent || parent == T_M_CONTENT) add_thumb(p, atts);
        break;
    case T_M_TITLE: if (media_parent && !x->m_title) start_capture(p, F_M_TITLE, K_TEXT, 0); break;
    case T_M_DESC:
        if (media_parent && !x->m_desc) {
            const char *t = attr(atts, "type");
            start_capture(p, F_M_DESC, (t && !strcasecmp(t, "html")) ? K_HTML : K_TEXT, 0);
        }
        break;
    case T_M_STAR:
        if (parent == T_M_COMMUNITY) {
            const char *c = attr(atts, "count"), *av = attr(atts, "average");
            if (c) x->star_count = arena_strdup(&p->a, c);
            if (av) x->star_avg = arena_strdup(&p->a, av);
        }
        break;
    case T_M_STATS:
        if (parent == T_M_COMMUNITY && attr(atts, "views")) x->views = arena_strdup(&p->a, attr(atts, "views"));
        break;
    case T_NAME:
        if (parent == T_AUTHOR && p->depth == p->item_depth + 2 && !x->author_name)
            start_capture(p, F_AUTHOR_NAME, K_TEXT, 0);
        break;
    case T_URI:
        if (parent == T_AUTHOR && p->depth == p->item_depth + 2 && !x->author_uri)
            start_capture(p, F_AUTHOR_URI, K_TEXT, 0);
        break;
    default: break;
    }
}

static char *trimmed(struct fx *p, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return arena_strndup(&p->a, s, n);
}

static void finish_capture(struct fx *p)
{
    struct xitem *x = &p->it;
    const char *s = p->text.s ? p->text.s : "";
    size_t n = p->text.len;
    enum field f = p->cap;
    p->cap = F_NONE;
    /* The author of an Atom entry is a container: its own text is only white space. */
    if (f == F_AUTHOR && feed_blank(s)) return;
    switch (f) {
    case F_TITLE: x->title = arena_strndup(&p->a, s, n); x->title_kind = p->cap_kind; break;
    case F_LINK: x->link = resolve(p, p->cap_base, trimmed(p, s, n)); break;
    case F_GUID:
        x->guid = trimmed(p, s, n);    /* an identifier: kept exactly, never resolved */
        break;
    case F_ID: x->id = trimmed(p, s, n); break;
    case F_DESC: x->desc = arena_strndup(&p->a, s, n); x->desc_kind = p->cap_kind; break;
    case F_CONTENT:
        if (feed_blank(s)) break;    /* an empty content:encoded must not hide the description */
        x->content = arena_strndup(&p->a, s, n);
        x->content_kind = p->cap_kind;
        break;
    case F_PUBDATE: x->pubdate = trimmed(p, s, n); break;
    case F_UPDATED: x->updated = trimmed(p, s, n); break;
    case F_AUTHOR: x->author = trimmed(p, s, n); break;
    case F_AUTHOR_NAME: x->author_name = trimmed(p, s, n); break;
    case F_AUTHOR_URI: x->author_uri = resolve(p, p->cap_base, trimmed(p, s, n)); break;
    case F_DC_CREATOR: x->dc_creator = trimmed(p, s, n); break;
    case F_IT_AUTHOR: x->it_author = trimmed(p, s, n); break;
    case F_IT_DURATION: x->it_duration = trimmed(p, s, n); break;
    case F_M_TITLE: x->m_title = trimmed(p, s, n); break;
    case F_M_DESC:
        x->m_desc = arena_strndup(&p->a, s, n);
        x->m_desc_kind = p->cap_kind;
        break;
    case F_YT_VIDEO: x->yt_video = trimmed(p, s, n); break;
    case F_YT_CHANNEL: x->yt_channel = trimmed(p, s, n); break;
    case F_CH_TITLE:
        p->ch_title = (p->cap_kind == K_HTML) ? html_to_text(&p->a, s, n)
                                              : feed_decode_entities(&p->a, arena_strndup(&p->a, s, n));
        break;
    case F_CH_LINK: p->ch_link = resolve(p, p->cap_base, trimmed(p, s, n)); break;
    case F_CH_AUTHOR_NAME: p->ch_author = trimmed(p, s, n); break;
    default: break;
    }
}

static void on_end(void *ud, const XML_Char *name)
{
    struct fx *p = ud;
    if (p->failed) return;
    if (p->cap) {
        if (p->depth == p->cap_depth) {
            finish_capture(p);
        } else if (p->cap_markup) {
            const char *sp = strchr(name, ' ');
            const char *local = sp ? sp + 1 : name;
            text_add(p, "</", 2);
            text_add(p, local, strlen(local));
            text_add(p, ">", 1);
        }
    }
    if (p->item_depth && p->depth == p->item_depth) item_end(p);
    if (p->depth > 0) p->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct fx *p = ud;
    if (!p->cap || p->failed) return;
    if (p->cap_kind == K_XHTML) text_add_escaped(p, s, (size_t)len);
    else text_add(p, s, (size_t)len);
}

/* Entities an HTML-minded publisher used without declaring them (&nbsp; &eacute; ...): expat reports
 * them as skipped when the document has an external DTD it did not read. */
static void on_skipped(void *ud, const XML_Char *name, int is_param)
{
    struct fx *p = ud;
    if (is_param || !p->cap || p->failed) return;
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    if (!e) return;
    char u[4];
    int n = utf8_encode(e->value, u);
    if (p->cap_kind == K_XHTML) text_add_escaped(p, u, (size_t)n);
    else text_add(p, u, (size_t)n);
}

static void on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                           int value_len, const XML_Char *base, const XML_Char *system_id,
                           const XML_Char *public_id, const XML_Char *notation)
{
    fail(ud, "entity declarations are refused");
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
    if (name && !strcasecmp(name, "html")) fail(ud, "not a feed: got an HTML page");
}

/* ---- driver ----------------------------------------------------------------------------------- */

/* One expat run over the whole body.  Returns 0, or -1 with the XML error code in *code (0 when
 * a handler stopped the parse and already set the message). */
static int run(struct fx *p, const char *s, size_t n, enum XML_Error *code, unsigned long *line)
{
    XML_Parser xp = XML_ParserCreateNS(NULL, ' ');
    if (!xp) { error_set(p->err, "out of memory"); *code = 0; return -1; }
    p->xp = xp;
    XML_SetUserData(xp, p);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    XML_SetSkippedEntityHandler(xp, on_skipped);
    XML_SetEntityDeclHandler(xp, on_entity_decl);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    XML_SetUnknownEncodingHandler(xp, xmlprep_unknown_encoding, NULL);
    XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);

    int rc = 0;
    for (size_t off = 0;;) {
        size_t k = n - off > CHUNK ? CHUNK : n - off;
        int final = off + k >= n;
        if (XML_Parse(xp, s + off, (int)k, final) != XML_STATUS_OK) {
            *code = p->failed ? XML_ERROR_NONE : XML_GetErrorCode(xp);
            *line = (unsigned long)XML_GetCurrentLineNumber(xp);
            rc = -1;
            break;
        }
        off += k;
        if (final) break;
    }
    XML_ParserFree(xp);
    p->xp = NULL;
    return rc;
}

static void fx_reset(struct fx *p, struct item_sink *out, size_t keep)
{
    out->n = keep;
    p->failed = 0;
    p->depth = p->item_depth = 0;
    p->cap = F_NONE;
    p->format = NULL;
    p->is_atom = 0;
    p->ch_title = p->ch_link = p->ch_author = p->ch_it_image = NULL;
    error_clear(p->err);
}

int feed_parse_xml(const char *body, size_t len, const char *base_url, struct item_sink *out,
                   struct error *err)
{
    if (!body || xmlprep_skip_space(body, len) >= len) { error_set(err, "empty response"); return -1; }
    if (xmlprep_is_html_page(body, len)) { error_set(err, "not a feed: got an HTML page"); return -1; }
    if (len > (size_t)1 << 30) { error_set(err, "feed too large"); return -1; }

    struct fx p;
    memset(&p, 0, sizeof p);
    p.out = out;
    p.err = err;
    p.doc_base = base_url;
    arena_init(&p.a);
    sb_init(&p.text);
    size_t keep = out->n;

    size_t rn = 0;
    char *fixed = xmlprep_repair(body, len, &rn);
    const char *s = fixed ? fixed : body;
    size_t n = fixed ? rn : len;

    enum XML_Error code = XML_ERROR_NONE;
    unsigned long line = 0;
    int rc = run(&p, s, n, &code, &line);
    if (rc < 0 && code == XML_ERROR_UNDEFINED_ENTITY) {
        size_t dn = 0;
        char *d = xmlprep_with_dtd(s, n, &dn);
        if (d) {
            fx_reset(&p, out, keep);
            enum XML_Error code2 = XML_ERROR_NONE;
            unsigned long line2 = 0;
            rc = run(&p, d, dn, &code2, &line2);
            free(d);
            if (rc < 0 && code2 != XML_ERROR_NONE) { code = code2; line = line2; }
            else if (rc < 0) code = XML_ERROR_NONE;
        }
    }
    if (rc < 0 && code != XML_ERROR_NONE) {
        if (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
            code == XML_ERROR_UNCLOSED_CDATA_SECTION || code == XML_ERROR_PARTIAL_CHAR)
            error_set(err, "truncated: unexpected end of input at line %lu", line);
        else
            error_set(err, "not valid XML at line %lu: %s", line, XML_ErrorString(code));
    }
    if (rc == 0 && !p.format) { error_set(err, "not a feed: no RSS or Atom root element"); rc = -1; }

    if (rc == 0) {
        item_sink_meta(out, p.ch_title, p.ch_link, p.format);
    } else {
        out->n = keep;    /* a broken document yields nothing, not half a feed */
    }
    free(fixed);
    sb_free(&p.text);
    arena_free(&p.a);
    return rc;
}

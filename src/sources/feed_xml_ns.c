/* SPDX-License-Identifier: ISC */
/* feed_xml_ns — the namespaces feeds use and, per namespace, the table of what each element means
 * where it sits.  The format families share local names, so an element is classified once by
 * (namespace, local name) and its meaning comes from its place: a <title> under an item is the
 * item's title, under <image> it is nothing.
 *
 * Names are matched without regard to case: iTunes' own documents spell "itunes:Author", CDF is
 * upper case, and no two elements a reader cares about differ only in case. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "feed_xml.h"
#include "feedutil.h"

static const struct { const char *uri; enum ns ns; int prefix; } ns_tab[] = {
    {"http://www.w3.org/2005/Atom", NS_ATOM, 0},
    {"http://search.yahoo.com/mrss/", NS_MEDIA, 0},
    {"http://search.yahoo.com/mrss", NS_MEDIA, 0},
    {"http://www.rssboard.org/media-rss", NS_MEDIA, 0},
    {"http://www.rssboard.org/media-rss/", NS_MEDIA, 0},
    {"http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES, 0},
    {"http://example.com/dtds/podcast-1.0.dtd", NS_ITUNES, 0},
    {"http://purl.org/dc/elements/1.1/", NS_DC, 0},
    {"http://purl.org/dc/elements/1.0/", NS_DC, 0},
    {"http://purl.org/dc/terms/", NS_DCTERMS, 0},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT, 0},
    {"http://www.youtube.com/xml/schemas/2015", NS_YT, 0},
    {"http://purl.org/rss/1.0/", NS_RSS, 0},
    {"http://purl.org/rss/1.0", NS_RSS, 0},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_RSS090, 0},
    {"http://my.netscape.com/rdf/simple/0.9", NS_RSS090, 0},
    {"http://backend.userland.com/rss2", NS_RSS, 0},
    {"http://backend.userland.com/rss", NS_RSS, 0},
    {"http://blogs.law.harvard.edu/tech/rss", NS_RSS, 0},
    {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF, 0},
    /* Atom 0.3 and the drafts before it (purl.org/echo) */
    {"http://purl.org/atom/ns#", NS_ATOM03, 1},
    {"http://purl.org/echo/", NS_ATOM03, 1},
    {"http://example.com/newformat#", NS_ATOM03, 0},
    {"http://www.w3.org/1999/xhtml", NS_XHTML, 0},
};

static enum ns ns_of(const char *uri, size_t n)
{
    for (size_t i = 0; i < sizeof ns_tab / sizeof ns_tab[0]; i++) {
        size_t l = strlen(ns_tab[i].uri);
        if ((l == n || (ns_tab[i].prefix && n > l)) && !strncasecmp(ns_tab[i].uri, uri, l))
            return ns_tab[i].ns;
    }
    return NS_OTHER;
}

struct name { const char *local; enum tag tag; };

/* Local names of the RSS/Atom core, shared by every family (none, RSS 1.0, 0.90, Atom, Atom 0.3,
 * CDF). */
static const struct name core_tab[] = {
    {"item", T_ITEM}, {"title", T_TITLE}, {"link", T_LINK}, {"description", T_DESCRIPTION},
    {"guid", T_GUID}, {"pubDate", T_PUBDATE}, {"author", T_AUTHOR}, {"enclosure", T_ENCLOSURE},
    {"entry", T_ENTRY}, {"id", T_ID}, {"published", T_PUBLISHED}, {"updated", T_UPDATED},
    {"summary", T_SUMMARY}, {"content", T_CONTENT}, {"name", T_NAME}, {"uri", T_URI},
    {"url", T_URI}, {"homepage", T_URI}, {"email", T_EMAIL},
    {"channel", T_CHANNEL}, {"rss", T_RSS}, {"feed", T_FEED}, {"issued", T_ISSUED},
    {"modified", T_MODIFIED}, {"created", T_ISSUED}, {"category", T_CATEGORY}, {"body", T_BODY},
    {"fullitem", T_FULLITEM}, {"abstract", T_ABSTRACT},
};
static const struct name dc_tab[] = {
    {"creator", T_DC_CREATOR}, {"author", T_DC_CREATOR}, {"date", T_DC_DATE},
    {"title", T_DC_TITLE}, {"description", T_DC_DESC}, {"subject", T_DC_SUBJECT},
};
static const struct name dcterms_tab[] = {
    {"issued", T_ISSUED}, {"created", T_ISSUED}, {"date", T_DC_DATE}, {"modified", T_MODIFIED},
    {"title", T_DC_TITLE}, {"description", T_DC_DESC}, {"subject", T_DC_SUBJECT},
    {"creator", T_DC_CREATOR},
};
static const struct name media_tab[] = {
    {"content", T_M_CONTENT}, {"group", T_M_GROUP}, {"thumbnail", T_M_THUMB},
    {"title", T_M_TITLE}, {"description", T_M_DESC}, {"community", T_M_COMMUNITY},
    {"starRating", T_M_STAR}, {"statistics", T_M_STATS}, {"category", T_M_CATEGORY},
};
static const struct name itunes_tab[] = {
    {"duration", T_IT_DURATION}, {"image", T_IT_IMAGE}, {"author", T_IT_AUTHOR},
    {"summary", T_IT_SUMMARY}, {"category", T_IT_CATEGORY}, {"keywords", T_IT_KEYWORDS},
    {"link", T_IT_LINK},
};
static const struct name yt_tab[] = {{"videoId", T_YT_VIDEOID}, {"channelId", T_YT_CHANNELID}};
static const struct name xhtml_tab[] = {{"html", T_HTML}, {"body", T_BODY}};
static const struct name rdf_tab[] = {{"RDF", T_RDF}};
static const struct name content_tab[] = {{"encoded", T_CONTENT_ENCODED}};

static enum tag look(const struct name *t, size_t n, const char *local)
{
    /* strcasecmp compares tolower of each byte: names whose first bytes differ so are skipped */
    int c0 = tolower((unsigned char)local[0]);
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)t[i].local[0]) == c0 && !strcasecmp(local, t[i].local)) return t[i].tag;
    return T_OTHER;
}

/* Each namespace's table of names; the RSS and Atom families share the core one. */
struct ns_names { const struct name *tab; size_t n; };
#define NAMES(tab) {tab, sizeof tab / sizeof tab[0]}
static const struct ns_names names_of[NS_OTHER + 1] = {
    [NS_NONE] = NAMES(core_tab), [NS_RSS] = NAMES(core_tab), [NS_RSS090] = NAMES(core_tab),
    [NS_ATOM] = NAMES(core_tab), [NS_ATOM03] = NAMES(core_tab), [NS_RDF] = NAMES(rdf_tab),
    [NS_CONTENT] = NAMES(content_tab), [NS_DC] = NAMES(dc_tab), [NS_DCTERMS] = NAMES(dcterms_tab),
    [NS_MEDIA] = NAMES(media_tab), [NS_ITUNES] = NAMES(itunes_tab), [NS_YT] = NAMES(yt_tab),
    [NS_XHTML] = NAMES(xhtml_tab),
};
#undef NAMES

/* Expat (created with XML_ParserCreateNS(NULL, ' ')) names elements "uri local" or "local". */
enum tag fx_classify(struct fx *p, const char *name, enum ns *nsp, const char **localp)
{
    const char *sp = strchr(name, ' ');
    enum ns ns = NS_NONE;
    const char *local = name;
    if (sp) {
        size_t n = (size_t)(sp - name);
        ns = ns_of(name, n);
        /* the root was in a namespace nobody knows: its children are the core names */
        if (ns == NS_OTHER && p->alias_ns && n == p->alias_len && !memcmp(name, p->alias_ns, n))
            ns = NS_ATOM03;
        local = sp + 1;
    }
    *nsp = ns;
    *localp = local;
    const struct ns_names *t = &names_of[ns];
    enum tag tag = t->n ? look(t->tab, t->n, local) : T_OTHER;
    /* an HTML page served as a feed: named so the parser can say so */
    if (tag == T_OTHER && ns == NS_NONE && !strcasecmp(local, "html")) return T_HTML;
    return tag;
}

enum kind fx_atom_kind(const XML_Char **atts, enum kind dflt)
{
    const char *mode = fx_attr(atts, "mode");      /* Atom 0.3 */
    if (mode && !strcasecmp(mode, "base64")) return K_BASE64;
    if (mode && !strcasecmp(mode, "escaped")) dflt = K_HTML;
    if (mode && !strcasecmp(mode, "xml")) dflt = K_XHTML;
    const char *t = fx_attr(atts, "type");
    if (!t) return dflt;
    if (!strcasecmp(t, "html") || !strcasecmp(t, "text/html")) return mode && !strcasecmp(mode, "xml") ? K_XHTML : K_HTML;
    if (!strcasecmp(t, "xhtml") || !strcasecmp(t, "application/xhtml+xml")) return K_XHTML;
    if (!strcasecmp(t, "text") || !strncasecmp(t, "text/", 5)) return dflt == K_HTML || dflt == K_XHTML ? dflt : K_TEXT;
    /* RFC 4287 4.1.3.3: any other MIME type that is not XML is base64 */
    size_t n = strlen(t);
    if (strchr(t, '/') && !(n >= 4 && (!strcasecmp(t + n - 4, "/xml") || !strcasecmp(t + n - 4, "+xml"))))
        return mode ? dflt : K_BASE64;
    return dflt;
}

/* ---- what elements mean -------------------------------------------------------------------- */

/* How the text of a captured element is read. */
enum how { H_TEXT, H_AUTO, H_HTML, H_XHTML, H_ATOM };

/* The item slot a field fills; a field whose slot is set is not captured again (the first wins). */
static const char **slot(struct fx *p, enum field f)
{
    struct xitem *x = &p->it;
    switch (f) {
    case F_TITLE: return &x->title;
    case F_LINK: return &x->link;
    case F_GUID: return &x->guid;
    case F_ID: return &x->id;
    case F_DESC: return &x->desc;
    case F_CONTENT: return &x->content;
    case F_PUBDATE: return &x->pubdate;
    case F_UPDATED: return &x->updated;
    case F_AUTHOR: return &x->author;
    case F_DC_CREATOR: return &x->dc_creator;
    case F_IT_AUTHOR: return &x->it_author;
    case F_IT_DURATION: return &x->it_duration;
    case F_IT_SUMMARY: return &x->it_summary;
    case F_M_TITLE: return &x->m_title;
    case F_M_DESC: return &x->m_desc;
    case F_YT_VIDEO: return &x->yt_video;
    case F_YT_CHANNEL: return &x->yt_channel;
    case F_AUTHOR_NAME: return &x->author_name;
    case F_AUTHOR_URI: return &x->author_uri;
    case F_AUTHOR_EMAIL: return &x->author_email;
    case F_CH_TITLE: return &p->ch_title;
    case F_CH_LINK: return &p->ch_link;
    case F_CH_AUTHOR_NAME: case F_CH_AUTHOR: return &p->ch_author;
    default: return NULL;   /* lists (categories, keywords): every one is captured */
    }
}

static void capture(struct fx *p, enum field f, enum how h, const XML_Char **atts)
{
    const char **s = slot(p, f);
    if (s && *s) return;
    enum kind k = K_TEXT;
    int markup = 0;
    switch (h) {
    case H_TEXT: break;
    case H_AUTO: k = K_AUTO; markup = 1; break;
    case H_HTML: k = K_HTML; markup = 1; break;
    case H_XHTML: k = K_XHTML; markup = 1; break;
    case H_ATOM:
        k = fx_atom_kind(atts, K_TEXT);
        markup = k == K_HTML || k == K_XHTML;
        break;
    }
    fx_capture(p, f, k, markup);
}

/* ---- attribute handlers ---- */

/* Which of several links is the item's (or the feed's): alternate over everything, HTML over
 * other types; enclosures are media, and self/edit/replies links point at feeds, not pages. */
static int link_score(const char *rel, const char *type)
{
    if (!rel || !*rel || !strcasecmp(rel, "alternate") ||
        !strcasecmp(rel, "http://www.iana.org/assignments/relation/alternate")) {
        if (!type || !strcasecmp(type, "text/html") || !strcasecmp(type, "application/xhtml+xml")) return 4;
        return 3;
    }
    if (!strcasecmp(rel, "enclosure") || !strcasecmp(rel, "self") || !strcasecmp(rel, "edit") ||
        !strcasecmp(rel, "replies") || !strcasecmp(rel, "license") || !strcasecmp(rel, "hub") ||
        !strcasecmp(rel, "next") || !strcasecmp(rel, "previous") || !strcasecmp(rel, "first") ||
        !strcasecmp(rel, "last") || !strcasecmp(rel, "edit-media") || !strcasecmp(rel, "payment"))
        return 0;
    return 1;
}

static void item_link(struct fx *p, const XML_Char **atts)
{
    struct xitem *x = &p->it;
    const char *href = fx_attr(atts, "href");
    if (!href) {
        /* RSS, and Atom 0.3 documents written like RSS: the link is the element's text */
        if (!x->link) capture(p, F_LINK, H_TEXT, atts);
        return;
    }
    const char *rel = fx_attr(atts, "rel");
    if (rel && !strcasecmp(rel, "enclosure")) { fx_add_media(p, atts, 1, "href"); return; }
    int sc = link_score(rel, fx_attr(atts, "type"));
    if (sc > x->link_score) {
        x->link = fx_resolve(p, fx_base(p), href);
        x->link_score = sc;
    }
}

static void chan_link(struct fx *p, const XML_Char **atts)
{
    const char *href = fx_attr(atts, "href");
    if (!href) {
        if (!p->ch_link) capture(p, F_CH_LINK, H_TEXT, atts);
        return;
    }
    int sc = link_score(fx_attr(atts, "rel"), fx_attr(atts, "type"));
    if (sc > p->ch_link_score) {
        p->ch_link = fx_resolve(p, fx_base(p), href);
        p->ch_link_score = sc;
    }
}

static void guid(struct fx *p, const XML_Char **atts)
{
    const char *pl = fx_attr(atts, "isPermaLink");
    if (!p->it.guid) p->it.guid_permalink = !pl || strcasecmp(pl, "false") != 0;
    capture(p, F_GUID, H_TEXT, atts);
}

static void content(struct fx *p, const XML_Char **atts)
{
    if (!fx_attr(atts, "src")) capture(p, F_CONTENT, H_ATOM, atts);
}

static void author(struct fx *p, const XML_Char **atts)
{
    /* Atom's author is a container (name, uri, email); RSS's is text (the children's text, if
     * any, is then only white space and is ignored) */
    if (!p->is_atom) capture(p, F_AUTHOR, H_TEXT, atts);
}

static const char *image_href(const XML_Char **atts)
{
    const char *h = fx_attr(atts, "href");
    return h ? h : fx_attr(atts, "url");
}

static void it_image(struct fx *p, const XML_Char **atts)
{
    const char *h = image_href(atts);
    if (!p->it.it_image && h) p->it.it_image = fx_resolve(p, fx_base(p), h);
}

static void it_link(struct fx *p, const XML_Char **atts)
{
    const char *rel = fx_attr(atts, "rel");
    if (rel && !strcasecmp(rel, "image")) it_image(p, atts);
}

static void chan_it_image(struct fx *p, const XML_Char **atts)
{
    const char *h = image_href(atts);
    if (!p->ch_it_image && h) p->ch_it_image = fx_resolve(p, fx_base(p), h);
}

static void chan_it_link(struct fx *p, const XML_Char **atts)
{
    const char *rel = fx_attr(atts, "rel");
    if (rel && !strcasecmp(rel, "image")) chan_it_image(p, atts);
}

static void category(struct fx *p, const XML_Char **atts)
{
    /* Atom: term (and label) attributes; RSS: the text */
    const char *t = fx_attr(atts, "term");
    if (t && !feed_blank(t)) fx_add_category(p, t, strlen(t));
    else if (!t) capture(p, F_CATEGORY, H_TEXT, atts);
}

static void it_category(struct fx *p, const XML_Char **atts)
{
    const char *t = fx_attr(atts, "text");
    if (t && !feed_blank(t)) fx_add_category(p, t, strlen(t));
}

static void enclosure(struct fx *p, const XML_Char **atts) { fx_add_media(p, atts, 1, "url"); }
static void m_content(struct fx *p, const XML_Char **atts) { fx_add_media(p, atts, 0, "url"); }

static void m_desc(struct fx *p, const XML_Char **atts)
{
    const char *t = fx_attr(atts, "type");
    capture(p, F_M_DESC, (t && !strcasecmp(t, "html")) ? H_HTML : H_TEXT, atts);
}

static void m_star(struct fx *p, const XML_Char **atts)
{
    const char *c = fx_attr(atts, "count"), *av = fx_attr(atts, "average");
    if (c) p->it.star_count = arena_strdup(&p->a, c);
    if (av) p->it.star_avg = arena_strdup(&p->a, av);
}

static void m_stats(struct fx *p, const XML_Char **atts)
{
    const char *v = fx_attr(atts, "views");
    if (v) p->it.views = arena_strdup(&p->a, v);
}

/* Where an element must sit for a rule to apply. */
enum where {
    W_ITEM,     /* a child of the item/entry */
    W_MEDIA,    /* a child of the item or of its media:group */
    W_MCHILD,   /* as W_MEDIA, or a child of media:content */
    W_COMM,     /* a child of media:community */
    W_AUTHOR,   /* a child of the item's author */
    W_CHAN,     /* a child of the channel/feed */
    W_CHAUTHOR, /* a child of the feed's author */
    W_ITCAT,    /* in an item, a child of itunes:category (its subcategory) */
};

struct rule {
    unsigned char tag, where, field, how;
    void (*fn)(struct fx *p, const XML_Char **atts);
};

/* Order matters only among rules for the same tag and place: the first that applies runs. */
static const struct rule rules[] = {
    /* items: the RSS/Atom core */
    {T_TITLE, W_ITEM, F_TITLE, H_ATOM, NULL},
    {T_LINK, W_ITEM, 0, 0, item_link},
    {T_GUID, W_ITEM, 0, 0, guid},
    {T_ID, W_ITEM, F_ID, H_TEXT, NULL},
    {T_DESCRIPTION, W_ITEM, F_DESC, H_AUTO, NULL},
    {T_ABSTRACT, W_ITEM, F_DESC, H_AUTO, NULL},
    {T_SUMMARY, W_ITEM, F_DESC, H_ATOM, NULL},
    {T_CONTENT, W_ITEM, 0, 0, content},
    {T_BODY, W_ITEM, F_CONTENT, H_XHTML, NULL},
    {T_FULLITEM, W_ITEM, F_CONTENT, H_HTML, NULL},
    {T_CONTENT_ENCODED, W_ITEM, F_CONTENT, H_HTML, NULL},
    {T_PUBDATE, W_ITEM, F_PUBDATE, H_TEXT, NULL},
    {T_PUBLISHED, W_ITEM, F_PUBDATE, H_TEXT, NULL},
    {T_ISSUED, W_ITEM, F_PUBDATE, H_TEXT, NULL},
    {T_DC_DATE, W_ITEM, F_PUBDATE, H_TEXT, NULL},
    {T_UPDATED, W_ITEM, F_UPDATED, H_TEXT, NULL},
    {T_MODIFIED, W_ITEM, F_UPDATED, H_TEXT, NULL},
    {T_AUTHOR, W_ITEM, 0, 0, author},
    {T_CATEGORY, W_ITEM, 0, 0, category},
    {T_ENCLOSURE, W_ITEM, 0, 0, enclosure},
    /* Dublin Core */
    {T_DC_CREATOR, W_ITEM, F_DC_CREATOR, H_TEXT, NULL},
    {T_DC_TITLE, W_ITEM, F_TITLE, H_TEXT, NULL},
    {T_DC_DESC, W_ITEM, F_DESC, H_AUTO, NULL},
    {T_DC_SUBJECT, W_ITEM, F_CATEGORY, H_TEXT, NULL},
    /* iTunes */
    {T_IT_AUTHOR, W_ITEM, F_IT_AUTHOR, H_TEXT, NULL},
    {T_IT_DURATION, W_ITEM, F_IT_DURATION, H_TEXT, NULL},
    {T_IT_SUMMARY, W_ITEM, F_IT_SUMMARY, H_TEXT, NULL},
    {T_IT_IMAGE, W_ITEM, 0, 0, it_image},
    {T_IT_LINK, W_ITEM, 0, 0, it_link},
    {T_IT_CATEGORY, W_ITEM, 0, 0, it_category},
    {T_IT_CATEGORY, W_ITCAT, 0, 0, it_category},
    {T_IT_CATEGORY, W_CHAN, 0, 0, NULL},
    {T_IT_KEYWORDS, W_ITEM, F_KEYWORDS, H_TEXT, NULL},
    /* YouTube */
    {T_YT_VIDEOID, W_ITEM, F_YT_VIDEO, H_TEXT, NULL},
    {T_YT_CHANNELID, W_ITEM, F_YT_CHANNEL, H_TEXT, NULL},
    /* Media RSS sits on the item, in media:group, and (thumbnails, titles) in media:content */
    {T_M_CONTENT, W_MEDIA, 0, 0, m_content},
    {T_M_THUMB, W_MCHILD, 0, 0, fx_add_thumb},
    {T_M_TITLE, W_MEDIA, F_M_TITLE, H_TEXT, NULL},
    {T_M_DESC, W_MEDIA, 0, 0, m_desc},
    {T_M_CATEGORY, W_MEDIA, F_CATEGORY, H_TEXT, NULL},
    {T_M_STAR, W_COMM, 0, 0, m_star},
    {T_M_STATS, W_COMM, 0, 0, m_stats},
    /* the entry's author */
    {T_NAME, W_AUTHOR, F_AUTHOR_NAME, H_TEXT, NULL},
    {T_URI, W_AUTHOR, F_AUTHOR_URI, H_TEXT, NULL},
    {T_EMAIL, W_AUTHOR, F_AUTHOR_EMAIL, H_TEXT, NULL},
    /* the channel */
    {T_TITLE, W_CHAN, F_CH_TITLE, H_ATOM, NULL},
    {T_DC_TITLE, W_CHAN, F_CH_TITLE, H_TEXT, NULL},
    {T_LINK, W_CHAN, 0, 0, chan_link},
    {T_IT_IMAGE, W_CHAN, 0, 0, chan_it_image},
    {T_IT_LINK, W_CHAN, 0, 0, chan_it_link},
    {T_DC_CREATOR, W_CHAN, F_CH_AUTHOR, H_TEXT, NULL},
    {T_IT_AUTHOR, W_CHAN, F_CH_AUTHOR, H_TEXT, NULL},
    {T_NAME, W_CHAUTHOR, F_CH_AUTHOR_NAME, H_TEXT, NULL},
};

static int placed(struct fx *p, enum where w, int parent)
{
    int in_item = p->item_depth > 0;
    int child = in_item && p->depth == p->item_depth + 1;
    switch (w) {
    case W_ITEM: return child;
    case W_MEDIA: return child || (in_item && parent == T_M_GROUP);
    case W_MCHILD: return child || (in_item && (parent == T_M_GROUP || parent == T_M_CONTENT));
    case W_COMM: return in_item && parent == T_M_COMMUNITY;
    case W_AUTHOR: return in_item && parent == T_AUTHOR && p->depth == p->item_depth + 2;
    case W_CHAN: return !in_item && (parent == T_CHANNEL || parent == T_FEED);
    case W_CHAUTHOR: return !in_item && parent == T_AUTHOR && p->depth == 3 && p->is_atom;
    case W_ITCAT: return in_item && parent == T_IT_CATEGORY;
    }
    return 0;
}

void fx_start_rules(struct fx *p, enum tag tag, enum ns ns, int parent, const XML_Char **atts)
{
    (void)ns;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct rule *r = &rules[i];
        if (r->tag != tag || !placed(p, r->where, parent)) continue;
        if (r->fn) r->fn(p, atts);
        else if (r->field) capture(p, r->field, r->how, atts);
        return;
    }
}

/* SPDX-License-Identifier: ISC */
/* feed_xml — what the three parts of the XML feed parser share.  Private to src/sources.
 *
 * feed_xml.c drives expat and recovers from what real feeds get wrong; feed_xml_ns.c knows the
 * namespaces and holds the handler tables that say what each element means where it sits;
 * feed_xml_item.c turns what was collected for an item into a struct item. */
#ifndef WINNOW_FEED_XML_H
#define WINNOW_FEED_XML_H

#include <stddef.h>
#include <stdint.h>

#include <expat.h>

#include "item.h"
#include "util.h"

#define FX_MAX_DEPTH 256
#define FX_MAX_FIELD (256 * 1024)
#define FX_MAX_CATS 32
#define FX_MAX_ENCS 16

enum ns { NS_NONE, NS_RSS, NS_RSS090, NS_RDF, NS_ATOM, NS_ATOM03, NS_CONTENT, NS_DC, NS_DCTERMS,
          NS_MEDIA, NS_ITUNES, NS_YT, NS_XHTML, NS_OTHER };

enum tag {
    T_OTHER, T_RSS, T_RDF, T_FEED, T_CHANNEL, T_ITEM, T_ENTRY, T_TITLE, T_LINK, T_DESCRIPTION,
    T_GUID, T_PUBDATE, T_AUTHOR, T_ENCLOSURE, T_ID, T_PUBLISHED, T_UPDATED, T_SUMMARY, T_CONTENT,
    T_NAME, T_URI, T_EMAIL, T_ISSUED, T_MODIFIED, T_CATEGORY, T_BODY, T_FULLITEM, T_ABSTRACT,
    T_CONTENT_ENCODED, T_DC_CREATOR, T_DC_DATE, T_DC_TITLE, T_DC_DESC, T_DC_SUBJECT,
    T_M_CONTENT, T_M_GROUP, T_M_THUMB, T_M_TITLE, T_M_DESC, T_M_COMMUNITY, T_M_STAR, T_M_STATS,
    T_M_CATEGORY, T_IT_DURATION, T_IT_IMAGE, T_IT_AUTHOR, T_IT_SUMMARY, T_IT_CATEGORY,
    T_IT_KEYWORDS, T_IT_LINK, T_YT_VIDEOID, T_YT_CHANNELID, T_HTML, T_MAX
};

/* What a captured element's text becomes. */
enum field {
    F_NONE, F_TITLE, F_LINK, F_GUID, F_ID, F_DESC, F_CONTENT, F_PUBDATE, F_UPDATED, F_AUTHOR,
    F_AUTHOR_NAME, F_AUTHOR_URI, F_AUTHOR_EMAIL, F_DC_CREATOR, F_IT_AUTHOR, F_IT_DURATION,
    F_IT_SUMMARY, F_M_TITLE, F_M_DESC, F_YT_VIDEO, F_YT_CHANNEL, F_CATEGORY, F_KEYWORDS,
    F_CH_TITLE, F_CH_LINK, F_CH_AUTHOR_NAME, F_CH_AUTHOR,
};

/* How a text field is to be read. */
enum kind { K_TEXT, K_HTML, K_XHTML, K_AUTO, K_BASE64 };

struct media {
    const char *url, *type, *medium;
    int64_t size, duration;
    int w, h;
};

struct xitem {
    const char *title; enum kind title_kind;
    const char *link; int link_score;
    const char *guid, *id, *rdf_about;
    int guid_permalink;
    const char *desc; enum kind desc_kind;
    const char *content; enum kind content_kind;
    const char *it_summary;
    const char *m_title, *m_desc; enum kind m_desc_kind;
    const char *author, *author_name, *author_uri, *author_email, *dc_creator, *it_author;
    const char *pubdate, *updated;
    const char *it_duration, *it_image;
    const char *yt_video, *yt_channel;
    const char *star_count, *star_avg, *views;
    struct media enc_av, enc_img, mc_av, mc_img;
    struct media encs[FX_MAX_ENCS]; int n_encs;     /* every enclosure, in document order */
    const char *cats[FX_MAX_CATS]; int n_cats;
    const char *thumb; int thumb_w, thumb_h; int64_t thumb_area;
};

struct frame {
    unsigned char tag;
    unsigned char ns;
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
    char *alias_ns;            /* an unknown root namespace read as the core (RSS/Atom) names */
    size_t alias_len;

    struct frame st[FX_MAX_DEPTH + 1];
    int depth;                 /* st[1..depth] are open */
    int item_depth;            /* depth of the open item/entry, 0 = none */
    int n_items;               /* items finished in this document */
    struct xitem it;

    /* capture of the current text field */
    enum field cap;
    enum kind cap_kind;
    int cap_depth, cap_markup;
    const char *cap_base;
    struct strbuf text;
    struct strbuf scratch;      /* for what an item's end writes (its enclosures' JSON), reused */

    /* feed level */
    const char *ch_title, *ch_link, *ch_author, *ch_it_image;
    int ch_link_score;
};

/* feed_xml.c */
/* feed_parse_xml for a body that is UTF-8 already (the feed adapter converted it, with the HTTP
 * charset): no second look at its encoding. */
int fx_parse_utf8(const char *body, size_t len, const char *base_url, struct item_sink *out,
                  struct error *err);
/* The same for a body charset_to_utf8_checked found xml_clean: xmlprep_repair is skipped. */
int fx_parse_utf8_clean(const char *body, size_t len, const char *base_url, struct item_sink *out,
                        struct error *err, int xml_clean);
void fx_fail(struct fx *p, const char *msg);
const char *fx_attr(const XML_Char **atts, const char *name);
int fx_starts_ci(const char *s, const char *prefix);
const char *fx_base(struct fx *p);
const char *fx_resolve(struct fx *p, const char *base, const char *ref);
void fx_capture(struct fx *p, enum field f, enum kind k, int markup);

/* feed_xml_ns.c: classifies a name ("uri local" or "local") and runs the start-tag rules of
 * the element at the top of the stack (not inside a captured field, not the root). */
enum tag fx_classify(struct fx *p, const char *name, enum ns *nsp, const char **localp);
void fx_start_rules(struct fx *p, enum tag tag, enum ns ns, int parent, const XML_Char **atts);
/* What an Atom-style type="" (or Atom 0.3 mode="") attribute says about the text. */
enum kind fx_atom_kind(const XML_Char **atts, enum kind dflt);

/* feed_xml_item.c */
void fx_item_begin(struct fx *p);
void fx_item_end(struct fx *p);
void fx_finish_capture(struct fx *p);
void fx_add_media(struct fx *p, const XML_Char **atts, int enclosure, const char *url_attr);
void fx_add_thumb(struct fx *p, const XML_Char **atts);
void fx_add_category(struct fx *p, const char *s, size_t n);
/* "Name (email)", "email (Name)", "Name <email>" → the name; the email into *email. */
const char *fx_author_name(struct fx *p, const char *s, const char **email);

#endif

/* SPDX-License-Identifier: ISC */
/* feed_xml — RSS 0.9x/1.0/2.0, Atom 1.0/0.3 and CDF (with Media RSS, iTunes, Dublin Core and
 * YouTube extensions) through expat, streaming: one pass, a fixed element stack, no tree.
 *
 * This file drives expat: the element stack, xml:base, capturing text, the document's root, and
 * recovery.  What each element means is in the handler tables of feed_xml_ns.c; how an item is
 * assembled is in feed_xml_item.c.  Text is captured only for elements that matter, and each
 * captured field is capped, so a hostile 10 MiB title costs one pass and 256 KiB of memory.
 *
 * Hostile XML: DTD entity declarations are refused outright (billion laughs, quadratic blow-up,
 * external entities), external subsets are never read, nesting is capped.  Broken-but-common
 * input is repaired instead of rejected, as browsers' feed readers do: any charset becomes UTF-8
 * first (charset.c), stray control bytes are dropped, a bare '&' is text, an undeclared entity
 * stays as text, and a document cut inside its final closing tags is finished. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <libxml/HTMLparser.h>

#include "charset.h"
#include "feed_xml.h"
#include "feedutil.h"
#include "source.h"
#include "text.h"
#include "xmlprep.h"

#define CHUNK (64 * 1024)
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns# "

void fx_fail(struct fx *p, const char *msg)
{
    if (p->failed) return;
    p->failed = 1;
    error_set(p->err, "%s", msg);
    XML_StopParser(p->xp, XML_FALSE);
}

const char *fx_attr(const XML_Char **atts, const char *name)
{
    if (!atts[0]) return NULL;
    for (int i = 0; atts[i]; i += 2)
        if (atts[i][0] == name[0] && !strcmp(atts[i], name)) return atts[i + 1];
    /* CDF and hand-written feeds spell attributes in upper case (HREF); strcasecmp compares
     * tolower of each byte, so names whose first bytes differ so are skipped */
    int c0 = tolower((unsigned char)name[0]);
    for (int i = 0; atts[i]; i += 2)
        if (tolower((unsigned char)atts[i][0]) == c0 && !strcasecmp(atts[i], name)) return atts[i + 1];
    return NULL;
}

int fx_starts_ci(const char *s, const char *prefix)
{
    return s && !strncasecmp(s, prefix, strlen(prefix));
}

/* The base relative references in the current element resolve against. */
const char *fx_base(struct fx *p)
{
    /* RFC 4287 and browsers resolve against xml:base, else the document's own URL; the channel
     * link is only a fallback when the caller does not know where the document came from. */
    const char *b = p->st[p->depth].base;
    if (b) return b;
    if (p->doc_base) return p->doc_base;
    if (p->ch_link && (fx_starts_ci(p->ch_link, "http://") || fx_starts_ci(p->ch_link, "https://")))
        return p->ch_link;
    return NULL;
}

/* Always a copy in the parse arena: expat's attribute strings die with the handler call, and
 * url_resolve hands absolute references back as they are. */
const char *fx_resolve(struct fx *p, const char *base, const char *ref)
{
    if (!ref) return NULL;
    const char *r = url_resolve(&p->a, base, ref);
    return r == ref ? arena_strdup(&p->a, ref) : r;
}

void fx_capture(struct fx *p, enum field f, enum kind k, int markup)
{
    p->cap = f;
    p->cap_kind = k;
    p->cap_depth = p->depth;
    p->cap_markup = markup;
    p->cap_base = fx_base(p);
    sb_reset(&p->text);
}

static void text_add(struct fx *p, const char *s, size_t n)
{
    struct strbuf *b = &p->text;
    if (b->len >= FX_MAX_FIELD) return;
    if (n > FX_MAX_FIELD - b->len) n = FX_MAX_FIELD - b->len;
    if (b->len + n + 1 > b->cap) sb_reserve(b, n);   /* expat's pieces are small: mostly no call */
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
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

static void add_markup_start(struct fx *p, const char *local, const XML_Char **atts)
{
    text_add(p, "<", 1);
    text_add(p, local, strlen(local));
    const char *alt = fx_attr(atts, "alt");
    if (alt) { text_add(p, " alt=\"", 6); text_add_escaped(p, alt, strlen(alt)); text_add(p, "\"", 1); }
    text_add(p, ">", 1);
}

static void bad_root(struct fx *p, const char *local)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.40s", local);
    for (char *c = buf; *c; c++) if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F) *c = '?';
    char msg[128];
    snprintf(msg, sizeof msg, "not a feed: the document is <%s>, not RSS or Atom", buf);
    fx_fail(p, msg);
}

static void on_item(struct fx *p, enum tag tag, enum ns ns, const XML_Char **atts);

/* The root element says the format.  A feed root in a namespace nobody knows (a draft format, a
 * typo) is read as if its children had the core names: that is what its children look like. */
static void on_root(struct fx *p, const char *name, enum tag tag, enum ns ns, const char *local,
                    const XML_Char **atts)
{
    if (ns == NS_OTHER && (!strcasecmp(local, "feed") || !strcasecmp(local, "rss") ||
                           !strcasecmp(local, "channel"))) {
        const char *sp = strchr(name, ' ');
        p->alias_len = (size_t)(sp - name);
        p->alias_ns = arena_strndup(&p->a, name, p->alias_len);
        tag = !strcasecmp(local, "feed") ? T_FEED : !strcasecmp(local, "rss") ? T_RSS : T_CHANNEL;
        p->st[p->depth].tag = (unsigned char)tag;
        ns = NS_ATOM03;
    }
    if (tag == T_RSS) {
        const char *v = fx_attr(atts, "version");
        p->format = (v && !strncmp(v, "0.9", 3)) ? "rss0.9x" : "rss2.0";
    } else if (tag == T_RDF) {
        p->format = "rss1.0";
    } else if (tag == T_FEED) {
        const char *v = fx_attr(atts, "version");
        p->format = ns == NS_ATOM03 || (ns != NS_ATOM && v && !strncmp(v, "0.", 2)) ? "atom0.3" : "atom1.0";
        p->is_atom = 1;
    } else if (tag == T_ENTRY) {
        /* an Atom entry document (RFC 4287 4.1.2): a feed of one */
        p->format = ns == NS_ATOM03 ? "atom0.3" : "atom1.0";
        p->is_atom = 1;
        on_item(p, tag, ns, atts);
    } else if (tag == T_CHANNEL) {
        /* Microsoft's Channel Definition Format: <CHANNEL HREF=...><ITEM HREF=...>; a lower-case
         * <channel> root is an RSS document that lost its <rss> */
        p->format = strcmp(local, "CHANNEL") ? "rss0.9x" : "cdf";
        const char *href = fx_attr(atts, "href");
        if (href) { p->ch_link = fx_resolve(p, fx_base(p), href); p->ch_link_score = 4; }
    } else if (tag == T_HTML) {
        fx_fail(p, "not a feed: got an HTML page");
    } else {
        bad_root(p, local);
    }
}

static void on_item(struct fx *p, enum tag tag, enum ns ns, const XML_Char **atts)
{
    if (tag == T_ITEM && ns == NS_RSS090) p->format = "rss0.9x";
    fx_item_begin(p);
    const char *about = fx_attr(atts, RDF_NS "about");
    if (about && !feed_blank(about)) p->it.rdf_about = arena_strdup(&p->a, about);
    const char *href = fx_attr(atts, "href");    /* CDF */
    if (href && !feed_blank(href)) { p->it.link = fx_resolve(p, fx_base(p), href); p->it.link_score = 4; }
    const char *lastmod = fx_attr(atts, "lastmod");
    if (lastmod) p->it.updated = arena_strdup(&p->a, lastmod);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct fx *p = ud;
    if (p->failed) return;
    if (p->depth >= FX_MAX_DEPTH) { fx_fail(p, "nesting too deep"); return; }
    enum ns ns;
    const char *local;
    enum tag tag = fx_classify(p, name, &ns, &local);
    int parent = p->st[p->depth].tag;
    /* RSS 1.0 with its namespace misspelt: the RDF root's channel and items name it */
    if (ns == NS_OTHER && parent == T_RDF && p->depth == 1 && !p->alias_ns &&
        (!strcmp(local, "channel") || !strcmp(local, "item"))) {
        p->alias_len = (size_t)(local - 1 - name);
        p->alias_ns = arena_strndup(&p->a, name, p->alias_len);
        tag = fx_classify(p, name, &ns, &local);
    }
    p->depth++;
    struct frame *f = &p->st[p->depth];
    f->tag = (unsigned char)tag;
    f->ns = (unsigned char)ns;
    f->base = p->st[p->depth - 1].base;
    const char *xb = fx_attr(atts, "http://www.w3.org/XML/1998/namespace base");
    if (xb) f->base = fx_resolve(p, f->base ? f->base : p->doc_base, xb);

    if (p->cap) {
        /* inside a captured field: child elements are markup of HTML content */
        if (p->cap_markup) add_markup_start(p, local, atts);
        return;
    }
    if (p->depth == 1) { on_root(p, name, tag, ns, local, atts); return; }
    /* items are children of channel (RSS 2.0, CDF) or siblings of it (RSS 1.0); entries of feed */
    if (p->item_depth == 0 &&
        ((tag == T_ITEM && (parent == T_CHANNEL || parent == T_RDF || parent == T_RSS)) ||
         (tag == T_ENTRY && parent == T_FEED))) {
        on_item(p, tag, ns, atts);
        return;
    }
    fx_start_rules(p, tag, ns, parent, atts);
}

static void on_end(void *ud, const XML_Char *name)
{
    struct fx *p = ud;
    if (p->failed) return;
    if (p->cap) {
        if (p->depth == p->cap_depth) {
            fx_finish_capture(p);
        } else if (p->cap_markup) {
            const char *sp = strchr(name, ' ');
            const char *local = sp ? sp + 1 : name;
            text_add(p, "</", 2);
            text_add(p, local, strlen(local));
            text_add(p, ">", 1);
        }
    }
    if (p->item_depth && p->depth == p->item_depth) fx_item_end(p);
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
 * them as skipped when the document has an external DTD it did not read.  One that HTML does not
 * know either stays as the text it was ("&doesnotexist;"), as browsers show it. */
static void on_skipped(void *ud, const XML_Char *name, int is_param)
{
    struct fx *p = ud;
    if (is_param || !p->cap || p->failed) return;
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    char u[4];
    int n = e ? utf8_encode(e->value, u) : 0;
    if (!e) {
        char *t = arena_printf(&p->a, "&%.64s;", name);
        if (p->cap_kind == K_XHTML || p->cap_kind == K_HTML || p->cap_kind == K_AUTO) {
            text_add(p, "&amp;", 5);
            text_add(p, t + 1, strlen(t + 1));
        } else {
            text_add(p, t, strlen(t));
        }
        return;
    }
    if (p->cap_kind == K_XHTML) text_add_escaped(p, u, (size_t)n);
    else text_add(p, u, (size_t)n);
}

static void on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                           int value_len, const XML_Char *base, const XML_Char *system_id,
                           const XML_Char *public_id, const XML_Char *notation)
{
    fx_fail(ud, "entity declarations are refused");
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
    p->depth = p->item_depth = p->n_items = 0;
    p->cap = F_NONE;
    p->format = NULL;
    p->is_atom = 0;
    p->alias_ns = NULL;
    p->ch_title = p->ch_link = p->ch_author = p->ch_it_image = NULL;
    p->ch_link_score = 0;
    error_clear(p->err);
}

static int truncation(enum XML_Error code)
{
    return code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
           code == XML_ERROR_UNCLOSED_CDATA_SECTION || code == XML_ERROR_PARTIAL_CHAR;
}

/* A document cut inside its final closing tags ("...</item></channel></rss" at the end) lost
 * nothing but markup: every item was complete. */
static int cut_at_last_tag(const struct fx *p, const char *s, size_t n)
{
    if (!p->format || p->item_depth || p->cap || p->failed) return 0;
    size_t i = n;
    while (i > 0 && s[i - 1] != '>') i--;
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i < n && s[i] == '<') {
        if (++i >= n || s[i] != '/') return 0;
        i++;
        while (i < n && (isalnum((unsigned char)s[i]) || s[i] == ':' || s[i] == '-' || s[i] == '_')) i++;
        while (i < n && isspace((unsigned char)s[i])) i++;
    }
    return i >= n;
}

/* Two entries with the same guid in one document are two items (an aggregator repeating an id,
 * a feed without ids whose entries share a title): the later ones get the guid with a hash of
 * their own content, and their position when even that is the same, so each stays apart and
 * keeps its identity from one refresh to the next. */
static int cmp_guid(const void *a, const void *b)
{
    const struct item *x = *(const struct item *const *)a, *y = *(const struct item *const *)b;
    int c = strcmp(x->guid, y->guid);
    return c ? c : (x < y ? -1 : x > y);
}

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; s && *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ULL; }
    return h ^ 0xFF;
}

static void split_same_guids(struct item_sink *out, size_t from)
{
    size_t n = out->n - from;
    if (n < 2) return;
    struct item **v = xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = &out->items[from + i];
    qsort(v, n, sizeof *v, cmp_guid);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i]->guid, v[i - 1]->guid)) continue;
        size_t first = i - 1;
        const char *orig = v[first]->guid;
        for (; i < n && !strcmp(v[i]->guid, orig); i++) {
            struct item *it = v[i];
            uint64_t h = fnv(it->title, 1469598103934665603ULL);
            h = fnv(it->summary, h);
            h = fnv(it->url, h);
            h = fnv(it->media_url, h);
            char *g = arena_printf(&out->arena, "%.3900s#%016llx", orig, (unsigned long long)h);
            for (size_t k = first; k < i; k++)
                if (!strcmp(v[k]->guid, g)) {
                    g = arena_printf(&out->arena, "%.3900s#%016llx-%zu", orig, (unsigned long long)h,
                                     (size_t)(it - out->items) - from);
                    break;
                }
            it->guid = g;
        }
        i--;
    }
    free(v);
}

/* Parses a UTF-8 body; rc as feed_parse_xml.  Two slips expat stops at are retried once each,
 * in whichever order they show up: HTML entities without a DTD (an external DTD reference makes
 * expat skip them, see on_skipped) and prefixes used without a declaration. */
static int parse_utf8(struct fx *p, const char *s, size_t n, size_t keep)
{
    enum XML_Error code = XML_ERROR_NONE;
    unsigned long line = 0;
    char *doc = NULL;
    size_t dn = n;
    int tried_dtd = 0, tried_ns = 0;
    int rc = run(p, s, n, &code, &line);
    while (rc < 0 && ((code == XML_ERROR_UNDEFINED_ENTITY && !tried_dtd) ||
                      (code == XML_ERROR_UNBOUND_PREFIX && !tried_ns))) {
        const char *cur = doc ? doc : s;
        size_t nn = 0;
        char *next;
        if (code == XML_ERROR_UNDEFINED_ENTITY) { tried_dtd = 1; next = xmlprep_with_dtd(cur, dn, &nn); }
        else { tried_ns = 1; next = xmlprep_declare_prefixes(cur, dn, &nn); }
        if (!next) break;
        free(doc);
        doc = next;
        dn = nn;
        fx_reset(p, p->out, keep);
        enum XML_Error code2 = XML_ERROR_NONE;
        unsigned long line2 = 0;
        rc = run(p, doc, dn, &code2, &line2);
        /* a handler's own failure (code2 0) keeps its message */
        code = code2;
        line = line2;
    }
    free(doc);
    if (rc < 0 && truncation(code) && cut_at_last_tag(p, s, n)) return 0;
    if (rc < 0 && code != XML_ERROR_NONE) {
        if (truncation(code))
            error_set(p->err, "truncated: unexpected end of input at line %lu", line);
        else
            error_set(p->err, "not valid XML at line %lu: %s", line, XML_ErrorString(code));
    }
    return rc;
}

int feed_parse_xml(const char *body, size_t len, const char *base_url, struct item_sink *out,
                   struct error *err)
{
    if (!body || len == 0) { error_set(err, "empty response"); return -1; }
    /* the parser reads UTF-8 only */
    char used[CHARSET_NAME_MAX];
    size_t cn = 0;
    int clean = 0;
    char *conv = charset_to_utf8_checked(body, len, NULL, 1, &cn, used, &clean);
    int rc = fx_parse_utf8_clean(conv ? conv : body, conv ? cn : len, base_url, out, err, clean);
    free(conv);
    return rc;
}

int fx_parse_utf8(const char *body, size_t len, const char *base_url, struct item_sink *out,
                  struct error *err)
{
    return fx_parse_utf8_clean(body, len, base_url, out, err, 0);
}

int fx_parse_utf8_clean(const char *body, size_t len, const char *base_url, struct item_sink *out,
                        struct error *err, int xml_clean)
{
    if (!body || len == 0) { error_set(err, "empty response"); return -1; }
    if (len > (size_t)1 << 30) { error_set(err, "feed too large"); return -1; }
    if (xmlprep_skip_space(body, len) >= len) { error_set(err, "empty response"); return -1; }
    if (xmlprep_is_html_page(body, len)) { error_set(err, "not a feed: got an HTML page"); return -1; }

    struct fx p;
    memset(&p, 0, sizeof p);
    p.out = out;
    p.err = err;
    p.doc_base = base_url;
    arena_init(&p.a);
    sb_init(&p.text);
    sb_init(&p.scratch);
    size_t keep = out->n;

    size_t rn = 0, an = 0;
    /* the charset pass already looked at every byte for what repair would mend */
    char *fixed = xml_clean ? NULL : xmlprep_repair(body, len, &rn);
    const char *s = fixed ? fixed : body;
    size_t n = fixed ? rn : len;
    char *amp = xmlprep_fix_refs(s, n, &an);
    if (amp) { s = amp; n = an; }

    int rc = parse_utf8(&p, s, n, keep);
    if (rc == 0 && !p.format) { error_set(err, "not a feed: no RSS or Atom root element"); rc = -1; }

    if (rc == 0) {
        split_same_guids(out, keep);
        item_sink_meta(out, p.ch_title, p.ch_link, p.format);
    } else {
        out->n = keep;    /* a broken document yields nothing, not half a feed */
    }
    free(amp);
    free(fixed);
    sb_free(&p.text);
    sb_free(&p.scratch);
    arena_free(&p.a);
    return rc;
}

/* SPDX-License-Identifier: ISC */
/* html — HTML fragments from feeds to plain text, through libxml2's forgiving HTML parser.
 *
 * The parser runs in SAX mode: no tree is built, which halves the cost on a podcast feed's show
 * notes, and the walk needs no recursion (the parser keeps its own element stack), so 100 000
 * nested <div>s cost time in proportion to their size and no C stack.  White space is collapsed the
 * way a browser collapses it; block elements turn into line breaks, paragraphs into a blank line. */
#include "html.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "text.h"

/* Summaries bigger than this are cut before parsing: nobody reads past it, and it bounds the tree
 * libxml2 builds for hostile input. */
#define HTML_MAX_IN (1u << 20)

enum kind { K_INLINE, K_DROP, K_LINE, K_PARA, K_LIST, K_LI, K_BR, K_IMG, K_CELL, K_PRE };

/* Called for every element twice, so it is a switch on the first letter rather than a table scan.
 * libxml2's HTML parser hands names over in lower case. */
static enum kind classify(const char *n)
{
#define IS(lit) (!strcmp(n, lit))
    switch (n[0]) {
    case 'a': return IS("article") || IS("aside") || IS("address") ? K_LINE : K_INLINE;
    case 'b': return IS("br") ? K_BR : IS("blockquote") ? K_PARA : K_INLINE;
    case 'c': return IS("center") || IS("caption") ? K_LINE : K_INLINE;
    case 'd': return IS("div") || IS("dt") || IS("dd") || IS("details") ? K_LINE : IS("dl") ? K_PARA : K_INLINE;
    case 'f': return IS("figure") ? K_PARA : IS("figcaption") || IS("footer") || IS("form") || IS("fieldset") ? K_LINE : K_INLINE;
    case 'h':
        if (n[1] >= '1' && n[1] <= '6' && !n[2]) return K_PARA;
        return IS("hr") ? K_PARA : IS("header") ? K_LINE : IS("head") ? K_DROP : K_INLINE;
    case 'i': return IS("img") ? K_IMG : K_INLINE;
    case 'l': return IS("li") ? K_LI : K_INLINE;
    case 'm': return IS("main") ? K_LINE : K_INLINE;
    case 'n': return IS("nav") ? K_LINE : IS("noscript") ? K_DROP : K_INLINE;
    /* <object>, <embed>, <applet> are inline: their fallback text is what a reader can show, and
     * dropping them made an unclosed one swallow the rest of the text */
    case 'o': return IS("ol") ? K_LIST : K_INLINE;
    case 'p': return !n[1] ? K_PARA : IS("pre") ? K_PRE : K_INLINE;
    case 's': return IS("script") || IS("style") || IS("svg") ? K_DROP : IS("section") || IS("summary") ? K_LINE : K_INLINE;
    case 't':
        if (IS("td") || IS("th")) return K_CELL;
        return IS("tr") ? K_LINE : IS("table") ? K_PARA : IS("title") || IS("template") ? K_DROP : K_INLINE;
    case 'u': return IS("ul") ? K_LIST : K_INLINE;
    default: return K_INLINE;
    }
#undef IS
}

struct out {
    struct strbuf b;
    int nl;          /* line breaks wanted before the next text (0..2) */
    int sp;          /* a collapsed space is wanted before the next text */
    int lists;       /* list nesting, for bullets' indentation */
    int pre;         /* inside <pre>: white space is kept */
    int drop;        /* inside script/style/head...: nothing is shown */
    int applet_closed; /* the input closes its <applet>: its fallback text is dropped */
    int number_links;  /* links and pictures get [N] in the text and a list at its end */
    struct strbuf links;   /* "[N] URL" lines, in reading order */
    int nlinks;
    char *href;        /* of the <a> being read, until it closes */
};

/* A URL worth a number: one a reader can open (relative ones have no base here). */
static int linkable(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8) || !strncasecmp(u, "mailto:", 7));
}

static const char *attr_of(const xmlChar **atts, const char *name)
{
    for (int i = 0; atts && atts[i]; i += 2)
        if (!strcasecmp((const char *)atts[i], name)) return (const char *)atts[i + 1];
    return NULL;
}

/* The next link's number, its URL added to the list at the end. */
static int add_link(struct out *o, const char *url)
{
    o->nlinks++;
    sb_printf(&o->links, "[%d] ", o->nlinks);
    for (const char *c = url; *c; c++)
        if ((unsigned char)*c >= 0x20 && *c != 0x7f) sb_addc(&o->links, *c);
    sb_addc(&o->links, '\n');
    return o->nlinks;
}

static int is_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static size_t trailing_nl(const struct strbuf *b)
{
    size_t k = 0;
    while (k < b->len && b->s[b->len - 1 - k] == '\n') k++;
    return k;
}

/* Settles the pending breaks or space before new text is written. */
static void flush(struct out *o)
{
    struct strbuf *b = &o->b;
    if (b->len == 0) { o->nl = o->sp = 0; return; }
    if (o->nl) {
        while (b->len && b->s[b->len - 1] == ' ') b->s[--b->len] = 0;
        size_t have = trailing_nl(b);
        for (size_t k = have; k < (size_t)o->nl; k++) sb_addc(b, '\n');
        o->nl = o->sp = 0;
        return;
    }
    if (o->sp) {
        char last = b->s[b->len - 1];
        if (last != ' ' && last != '\n') sb_addc(b, ' ');
        o->sp = 0;
    }
}

static void want_break(struct out *o, int n)
{
    if (o->nl < n) o->nl = n;
}

static void emit_text(struct out *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (o->pre) {
            if (c == '\n') { flush(o); sb_addc(&o->b, '\n'); i++; continue; }
            if (c == '\r') { i++; continue; }
        } else if (is_ws(c)) {
            o->sp = 1;
            i++;
            continue;
        }
        /* U+00A0 becomes a plain space that is never collapsed away */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            flush(o);
            sb_addc(&o->b, ' ');
            i += 2;
            continue;
        }
        size_t j = i + 1;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if ((!o->pre && is_ws(d)) || (o->pre && (d == '\n' || d == '\r')) || d == 0xC2) break;
            j++;
        }
        flush(o);
        sb_add(&o->b, s + i, j - i);
        i = j;
    }
}

static void enter(struct out *o, const xmlChar **atts, enum kind k)
{
    switch (k) {
    case K_PARA: want_break(o, 2); break;
    case K_LINE: want_break(o, 1); break;
    case K_PRE: want_break(o, 2); o->pre++; break;
    case K_LIST: want_break(o, o->lists ? 1 : 2); o->lists++; break;
    case K_BR:
        /* a <br> is a real line break even at the start of a line: two make a blank line */
        if (o->b.len && o->nl < 2) o->nl++;
        break;
    case K_LI:
        want_break(o, 1);
        flush(o);
        for (int i = 1; i < o->lists && i < 8; i++) sb_adds(&o->b, "  ");
        sb_adds(&o->b, "\xe2\x80\xa2 ");
        break;
    case K_IMG: {
        const char *alt = NULL;
        for (int i = 0; atts && atts[i]; i += 2)
            if (!strcmp((const char *)atts[i], "alt")) { alt = (const char *)atts[i + 1]; break; }
        const char *src = attr_of(atts, "src");
        if (o->number_links && linkable(src)) {
            /* a picture in the text: numbered like a link, opened the same way */
            char mark[32];
            int n = snprintf(mark, sizeof mark, "[image %d", add_link(o, src));
            emit_text(o, mark, (size_t)n);
            const char *s = alt ? alt : "";
            size_t len = strlen(s);
            while (len && is_ws((unsigned char)*s)) { s++; len--; }
            while (len && is_ws((unsigned char)s[len - 1])) len--;
            if (len) {
                sb_adds(&o->b, ": ");
                emit_text(o, s, len);
            }
            sb_addc(&o->b, ']');
        } else if (alt) {
            const char *s = alt;
            size_t len = strlen(s);
            while (len && is_ws((unsigned char)*s)) { s++; len--; }
            while (len && is_ws((unsigned char)s[len - 1])) len--;
            if (len) {
                emit_text(o, "[image:", 7);
                o->sp = 1;
                emit_text(o, s, len);
                sb_addc(&o->b, ']');
            }
        }
        break;
    }
    default: break;
    }
}

static void leave(struct out *o, enum kind k)
{
    switch (k) {
    case K_PARA: want_break(o, 2); break;
    case K_LINE: case K_LI: want_break(o, 1); break;
    case K_PRE: want_break(o, 2); if (o->pre) o->pre--; break;
    case K_LIST: if (o->lists) o->lists--; want_break(o, o->lists ? 1 : 2); break;
    case K_CELL: o->sp = 1; break;
    default: break;
    }
}

static struct out *out_of(void *ctx)
{
    return ((htmlParserCtxtPtr)ctx)->_private;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    struct out *o = out_of(ctx);
    if (o->drop) { o->drop++; return; }
    enum kind k = classify((const char *)name);
    /* a closed applet's body is the fallback for browsers without Java, which feed readers drop;
     * an unclosed one must not swallow the text after it, so it is dropped only when closed */
    if (k == K_INLINE && o->applet_closed && !strcmp((const char *)name, "applet")) k = K_DROP;
    if (k == K_DROP) o->drop = 1;
    else enter(o, atts, k);
    if (o->number_links && !o->drop && (name[0] == 'a' || name[0] == 'A') && !name[1] && !o->href) {
        const char *h = attr_of(atts, "href");
        if (linkable(h)) o->href = xstrdup(h);
    }
}

static void on_end(void *ctx, const xmlChar *name)
{
    struct out *o = out_of(ctx);
    if (o->drop) { o->drop--; return; }
    leave(o, classify((const char *)name));
    if (o->href && (name[0] == 'a' || name[0] == 'A') && !name[1]) {
        /* "Squarespace [4]": the number right after the link's text */
        char mark[24];
        int n = snprintf(mark, sizeof mark, "[%d]", add_link(o, o->href));
        o->sp = 1;
        emit_text(o, mark, (size_t)n);
        free(o->href);
        o->href = NULL;
    }
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    struct out *o = out_of(ctx);
    if (!o->drop && len > 0) emit_text(o, (const char *)s, (size_t)len);
}

/* Valid UTF-8 without C0 controls other than TAB/LF/CR: what libxml2 takes without switching to
 * Latin-1 guessing or dropping the rest of the text. */
static int clean_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F) { i++; continue; }
        if (c < 0x80) {
            if (c != '\t' && c != '\n' && c != '\r') return 0;
            i++;
            continue;
        }
        unsigned cp;
        int l = utf8_decode(p + i, n - i, &cp);
        if (cp == 0xFFFD && !(l == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)) return 0;
        i += (size_t)l;
    }
    return 1;
}

/* libxml2's global set-up is not safe to race; summaries may be converted on worker threads. */
static void init_once(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, xmlInitParser);
}

static char *convert(struct arena *a, const char *html, size_t len, int number_links);

char *html_to_text(struct arena *a, const char *html, size_t len) { return convert(a, html, len, 0); }

char *html_to_text_linked(struct arena *a, const char *html, size_t len) { return convert(a, html, len, 1); }

static char *convert(struct arena *a, const char *html, size_t len, int number_links)
{
    if (!html || !len) return arena_strdup(a, "");
    if (len > HTML_MAX_IN) {
        len = HTML_MAX_IN;
        while (len && ((unsigned char)html[len] & 0xC0) == 0x80) len--;   /* whole characters */
    }
    /* Text without markup or entities is already what we would produce; keep its line breaks. */
    if (!memchr(html, '<', len) && !memchr(html, '&', len)) return arena_strndup(a, html, len);

    char *fixed = NULL;
    const char *in = html;
    if (!clean_utf8(html, len)) {
        fixed = text_sanitize_dup(html, len, len * 3 + 16, TEXT_MULTILINE | TEXT_KEEP_TABS | TEXT_NO_TRIM);
        in = fixed;
        len = strlen(fixed);
    }

    init_once();
    struct out o = {0};
    sb_init(&o.b);
    sb_init(&o.links);
    o.number_links = number_links;
    o.applet_closed = memmem(in, len, "</applet", 8) || memmem(in, len, "</APPLET", 8);
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(in, (int)len);
    if (!ctxt) {
        char *r = arena_strndup(a, in, len);
        free(fixed);
        sb_free(&o.b);
        sb_free(&o.links);
        return r;
    }
    *ctxt->sax = sax;
    ctxt->_private = &o;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
    /* the input is valid UTF-8 by now: never let the parser guess Latin-1 */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
    free(fixed);

    free(o.href);
    while (o.b.len && (o.b.s[o.b.len - 1] == '\n' || o.b.s[o.b.len - 1] == ' ')) o.b.len--;
    if (o.nlinks) {
        /* the list the numbers point into, at the end (the reader's detail shows it as links) */
        sb_printf(&o.b, "\n\n%s\n", HTML_LINKS_HEADING);
        sb_add(&o.b, o.links.s, o.links.len);
        while (o.b.len && o.b.s[o.b.len - 1] == '\n') o.b.len--;
    }
    char *r = arena_strndup(a, o.b.s ? o.b.s : "", o.b.len);
    sb_free(&o.b);
    sb_free(&o.links);
    return r;
}

int html_looks_like(const char *s, size_t len)
{
    if (!s) return 0;
    /* a tag needs a '>' after its '<': find the last one once, so "<a<a<a..." stays linear */
    size_t last_gt = len;
    while (last_gt > 0 && s[last_gt - 1] != '>') last_gt--;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '<' && i + 1 < len) {
            unsigned char c = (unsigned char)s[i + 1];
            if ((isalpha(c) || c == '/' || c == '!') && last_gt > i + 2) return 1;
        } else if (s[i] == '&' && i + 2 < len) {
            size_t j = i + 1;
            if (s[j] == '#') {
                j++;
                if (j < len && (s[j] == 'x' || s[j] == 'X')) j++;
                size_t d = j;
                while (j < len && isxdigit((unsigned char)s[j])) j++;
                if (j > d && j < len && s[j] == ';') return 1;
            } else {
                size_t d = j;
                while (j < len && j - d < 32 && isalnum((unsigned char)s[j])) j++;
                if (j - d >= 2 && j < len && s[j] == ';') return 1;
            }
        }
    }
    return 0;
}

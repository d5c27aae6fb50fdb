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
#include <stdint.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "text.h"
#include "utf8run.h"

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
    int ref;           /* the byte-at-a-time writing and scans of before (for the tests) */
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

/* Text as it is written byte by byte, white space collapsed (kept inside <pre>): what emit_text
 * below does faster outside <pre>, and the reference the tests compare it with. */
static void emit_text_slow(struct out *o, const char *s, size_t n)
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

/* The bytes a word's copy stops to look at: white space, and 0xC2 (U+00A0 is a space). */
static const unsigned char word_stop[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, [0xC2] = 1,
};

/* How many of the 8 bytes at u, from the first, a word's copy takes as they are: none of them
 * at most 0x20 (white space and the other controls, which the byte loop looks at) nor 0xC2.  The
 * tests are exact for every byte, so the lowest failing byte is the first. */
static inline size_t word_run8(const unsigned char *u)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t lows = 0x7F7F7F7F7F7F7F7Full, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, u, 8);
    uint64_t le20 = ~((w & lows) + 0x5F5F5F5F5F5F5F5Full) & ~w & highs;   /* < 0x21 */
    uint64_t x = w ^ 0xC2C2C2C2C2C2C2C2ull;
    uint64_t c2 = ~(((x & lows) + lows) | x) & highs;                    /* == 0xC2 */
    uint64_t bad = le20 | c2;
    return bad ? (size_t)__builtin_ctzll(bad) >> 3 : 8;
#else
    (void)u;
    return 0;
#endif
}

/* Text outside <pre>: each run of white space is one pending space, each word is written after
 * the pending breaks or space are settled, and U+00A0 is a plain space that is never collapsed
 * away.  A word is written straight into the buffer, byte by byte, with room made once: this is
 * where a summary's text goes through, every byte of it. */
static void emit_text(struct out *o, const char *s, size_t n)
{
    if (o->pre || o->ref) { emit_text_slow(o, s, n); return; }
    const unsigned char *u = (const unsigned char *)s;
    struct strbuf *b = &o->b;
    /* Room for it all, once: a word's bytes (an NBSP becomes one) each take at most one, the space
     * before a word takes one of the white space bytes that made it, and the breaks settled before
     * the first word at most two; and 8 for word_run8's whole-word stores. */
    sb_reserve(b, n + 2 + 8);
    size_t i = 0;
    while (i < n) {
        if (is_ws(u[i])) {
            o->sp = 1;
            i++;
            continue;
        }
        if (!o->nl && o->sp && b->len) {
            char last = b->s[b->len - 1];
            if (last != ' ' && last != '\n') b->s[b->len++] = ' ';
            o->sp = 0;
        } else if (o->nl || o->sp || !b->len) {
            flush(o);
        }
        char *w = b->s + b->len;
        while (i < n) {
            if (i + 8 <= n) {
                size_t k = word_run8(u + i);
                memcpy(w, u + i, 8);
                w += k;
                i += k;
                if (k == 8) continue;
            }
            if (i >= n) break;
            unsigned char c = u[i];
            if (!word_stop[c]) { *w++ = (char)c; i++; continue; }
            if (is_ws(c)) {
                /* one space and a plain byte after it: what the settling below would write (the
                 * word's last byte is never white space; an NBSP's ' ' takes no other) */
                if (c == ' ' && i + 1 < n && !word_stop[u[i + 1]]) {
                    if (w[-1] != ' ') *w++ = ' ';
                    i++;
                    continue;
                }
                break;
            }
            if (c == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) { *w++ = ' '; i += 2; }
            else { *w++ = (char)c; i++; }
        }
        b->len = (size_t)(w - b->s);
        b->s[b->len] = 0;
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

static void out_start(struct out *o, const xmlChar *name, const xmlChar **atts)
{
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

static void out_end(struct out *o, const xmlChar *name)
{
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

static void out_text(struct out *o, const char *s, size_t len)
{
    if (!o->drop && len > 0) emit_text(o, s, len);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) { out_start(out_of(ctx), name, atts); }
static void on_end(void *ctx, const xmlChar *name) { out_end(out_of(ctx), name); }
static void on_text(void *ctx, const xmlChar *s, int len)
{
    if (len > 0) out_text(out_of(ctx), (const char *)s, (size_t)len);
}

/* ---- The fast path ----
 * Most summaries are a few paragraphs of text with bold, links and entities.  For those, libxml2's
 * parser (two thirds of the parse of a feed of 60-word summaries) is replaced by a scan that
 * understands only a strict, well-nested subset and hands the same events to the same handlers
 * above.  Anything outside the subset (a comment, an unquoted attribute, an unknown entity, a
 * block inside a paragraph, a mismatched end tag...) makes it give up, and the fragment goes
 * through libxml2 as before: the subset is where the two agree (tests/unit/test_html.c compares
 * them on random fragments). */

#define FAST_DEPTH 32
#define FAST_ATTS 8

enum fclass { F_NONE, F_INLINE, F_VOID, F_BLOCK, F_LIST, F_LI, F_PARA };

static enum fclass fast_class(const char *n)
{
    static const char *const inl[] = {"a", "b", "i", "em", "strong", "span", "u", "s", "code", "small",
                                      "sub", "sup", "mark", "cite", "q", "abbr", "del", "ins", "tt",
                                      "strike", "big", "font", NULL};
    for (int i = 0; inl[i]; i++)
        if (n[0] == inl[i][0] && !strcmp(n, inl[i])) return F_INLINE;
    if (!strcmp(n, "br") || !strcmp(n, "img")) return F_VOID;
    if (!strcmp(n, "p")) return F_PARA;
    if (!strcmp(n, "div") || !strcmp(n, "blockquote")) return F_BLOCK;
    if (n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && !n[2]) return F_BLOCK;
    if (!strcmp(n, "ul") || !strcmp(n, "ol")) return F_LIST;
    if (!strcmp(n, "li")) return F_LI;
    return F_NONE;
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* An entity at s (after the '&'): its UTF-8 in out, the bytes it spans; 0 when it is not one the
 * fast path decodes the way libxml2 does. */
static size_t fast_entity(const char *s, size_t n, char out[8], size_t *outlen)
{
    static const struct { const char *name; const char *utf8; } named[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"nbsp", "\xc2\xa0"},
    };
    size_t j = 0;
    if (n && s[0] == '#') {
        unsigned long cp = 0;
        int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
        j = hex ? 2 : 1;
        size_t d = j;
        while (j < n && j - d < 7 && (hex ? isxdigit((unsigned char)s[j]) : is_digit((unsigned char)s[j]))) {
            unsigned char c = (unsigned char)s[j];
            cp = cp * (hex ? 16 : 10) + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
            j++;
        }
        if (j == d || j >= n || s[j] != ';') return 0;
        if (!((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0xd800) || (cp >= 0xe000 && cp < 0xfffe) ||
              (cp >= 0x10000 && cp <= 0x10ffff)))
            return 0;
        *outlen = (size_t)utf8_encode((unsigned)cp, out);
        return j + 1;
    }
    while (j < n && j < 8 && is_alpha((unsigned char)s[j])) j++;
    if (j == 0 || j >= n || s[j] != ';') return 0;
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (strlen(named[k].name) == j && !memcmp(named[k].name, s, j)) {
            *outlen = strlen(named[k].utf8);
            memcpy(out, named[k].utf8, *outlen);
            return j + 1;
        }
    return 0;
}

struct ftag {
    char name[12];
    int end, selfclose, natts;
    const xmlChar *atts[2 * FAST_ATTS + 1];
    char anames[FAST_ATTS][16];
};

/* One tag at s[0] == '<'; the bytes it spans, 0 to give up.  Attribute values are copied into
 * vals (NUL-terminated), which lives as long as the tag is handled. */
static size_t fast_tag(const char *s, size_t n, struct ftag *t, struct strbuf *vals)
{
    size_t i = 1;
    t->end = t->selfclose = t->natts = 0;
    if (i < n && s[i] == '/') { t->end = 1; i++; }
    size_t k = 0;
    if (i >= n || !is_alpha((unsigned char)s[i])) return 0;
    while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]))) {
        if (k + 1 >= sizeof t->name) return 0;
        t->name[k++] = (char)((unsigned char)s[i++] | 0x20);
    }
    t->name[k] = 0;
    size_t offs[2 * FAST_ATTS];
    sb_reset(vals);
    for (;;) {
        size_t ws = i;
        while (i < n && is_blank((unsigned char)s[i])) i++;
        if (i >= n) return 0;
        if (s[i] == '>') { i++; break; }
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '>' && !t->end) { t->selfclose = 1; i += 2; break; }
        if (t->end || i == ws || t->natts == FAST_ATTS || !is_alpha((unsigned char)s[i])) return 0;
        char *an = t->anames[t->natts];
        k = 0;
        while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) || s[i] == '-')) {
            if (k + 1 >= sizeof t->anames[0]) return 0;
            an[k++] = (char)((unsigned char)s[i++] | 0x20);
        }
        an[k] = 0;
        if (i >= n || s[i] != '=') return 0;   /* a bare attribute: libxml2's business */
        i++;
        if (i >= n || (s[i] != '"' && s[i] != '\'')) return 0;
        char q = s[i++];
        size_t v = i;
        while (i < n && s[i] != q) {
            if (s[i] == '&' || s[i] == '<' || (unsigned char)s[i] < 0x20) return 0;
            i++;
        }
        if (i >= n) return 0;
        offs[2 * t->natts] = vals->len;
        sb_add(vals, s + v, i - v);
        sb_addc(vals, 0);
        i++;
        for (int a = 0; a < t->natts; a++)
            if (!strcmp(t->anames[a], an)) return 0;   /* libxml2 drops the repeat */
        t->natts++;
    }
    for (int a = 0; a < t->natts; a++) {
        t->atts[2 * a] = (const xmlChar *)t->anames[a];
        t->atts[2 * a + 1] = (const xmlChar *)(vals->s + offs[2 * a]);
    }
    t->atts[2 * t->natts] = NULL;
    return i;
}

struct fstate {
    struct out *o;
    char names[FAST_DEPTH][12];
    enum fclass cls[FAST_DEPTH];
    int depth;
    int seen;       /* a tag or text has been read: libxml2 has opened <html><body> by now */
    int in_a;
    int implied;    /* names[0] is the paragraph libxml2 implies around leading text */
};

static void fast_push(struct fstate *f, const char *name, enum fclass c, const xmlChar **atts)
{
    size_t l = strlen(name);   /* fast_tag's names are shorter than the slot; snprintf's cut all the same */
    if (l >= sizeof f->names[0]) l = sizeof f->names[0] - 1;
    memcpy(f->names[f->depth], name, l);
    f->names[f->depth][l] = 0;
    f->cls[f->depth++] = c;
    out_start(f->o, (const xmlChar *)name, atts);
}

static void fast_pop(struct fstate *f)
{
    f->depth--;
    out_end(f->o, (const xmlChar *)f->names[f->depth]);
}

/* Opens the paragraph libxml2 implies around text that comes before any tag. */
static void fast_text_starts(struct fstate *f)
{
    if (!f->seen) {
        fast_push(f, "p", F_PARA, NULL);
        f->implied = 1;
    }
    f->seen = 1;
}

/* A start or end tag; -1 to give up. */
static int fast_element(struct fstate *f, const struct ftag *t)
{
    enum fclass c = fast_class(t->name);
    enum fclass top = f->depth ? f->cls[f->depth - 1] : F_NONE;
    if (c == F_NONE) return -1;
    if (t->end) {
        if (!f->depth || strcmp(f->names[f->depth - 1], t->name)) return -1;
        if (c == F_INLINE && t->name[0] == 'a' && !t->name[1]) f->in_a = 0;
        fast_pop(f);
        return 0;
    }
    f->seen = 1;
    if (c == F_INLINE || c == F_VOID) {
        if (top == F_LIST) return -1;
        if (t->name[0] == 'a' && !t->name[1]) {
            if (f->in_a) return -1;
            if (!t->selfclose) f->in_a = 1;
        }
    } else {
        /* a block: only where libxml2 would open it without closing anything first, or after
         * the implied paragraph, which it closes */
        if (f->implied && f->depth == 1 && top == F_PARA) {
            if (c == F_LI) return -1;
            fast_pop(f);
            top = f->depth ? f->cls[f->depth - 1] : F_NONE;
        }
        if (c == F_LI ? top != F_LIST : !(top == F_NONE || top == F_BLOCK || top == F_LI)) return -1;
        if (top == F_BLOCK && f->names[f->depth - 1][0] == 'h') return -1;
    }
    if (f->depth == FAST_DEPTH) return -1;
    fast_push(f, t->name, c, (const xmlChar **)t->atts);
    if (c == F_VOID || t->selfclose) {
        if (c == F_INLINE && t->name[0] == 'a' && !t->name[1]) f->in_a = 0;
        fast_pop(f);
    }
    return 0;
}

/* The whole fragment through the fast path: 0 when it was in the subset and o holds its text,
 * -1 when it gave up (o is then in some partial state the caller throws away). */
static int fast_convert(struct out *o, const char *s, size_t n)
{
    struct fstate f = {.o = o};
    struct ftag t;
    struct strbuf vals;
    sb_init(&vals);
    int rc = 0;
    size_t i = 0;
    while (rc == 0 && i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            size_t used = fast_tag(s + i, n - i, &t, &vals);
            rc = used ? fast_element(&f, &t) : -1;
            i += used;
        } else if (c == '&') {
            char u[8];
            size_t ul = 0, used = fast_entity(s + i + 1, n - i - 1, u, &ul);
            if (!used || (f.depth && f.cls[f.depth - 1] == F_LIST)) { rc = -1; break; }
            fast_text_starts(&f);
            out_text(o, u, ul);
            i += 1 + used;
        } else {
            size_t j = i;
            int blank = 1;
            while (j < n && s[j] != '<' && s[j] != '&') {
                if (!is_blank((unsigned char)s[j])) {
                    /* not blank: only the end of the text is still to find */
                    blank = 0;
                    if (!o->ref) j += utf8run_until2((const unsigned char *)s + j, n - j, '<', '&');
                    while (j < n && s[j] != '<' && s[j] != '&') j++;
                    break;
                }
                j++;
            }
            /* blanks before a tag are nothing to libxml2; blanks before an entity are text */
            if (!blank || (j < n && s[j] == '&')) {
                if (f.depth && f.cls[f.depth - 1] == F_LIST) { rc = -1; break; }
                fast_text_starts(&f);
            }
            out_text(o, s + i, j - i);
            i = j;
        }
    }
    /* what is still open closes at the end, innermost first, as libxml2 closes it */
    while (rc == 0 && f.depth) fast_pop(&f);
    sb_free(&vals);
    return rc;
}

/* Valid UTF-8 without C0 controls other than TAB/LF/CR: what libxml2 takes without switching to
 * Latin-1 guessing or dropping the rest of the text. */
static int clean_utf8(const char *s, size_t n, int ref)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F) { i++; i += ref ? 0 : utf8run_printable(p + i, n - i); continue; }
        size_t quick = c >= 0x80 && !ref ? utf8run_char(p + i, n - i) : 0;
        if (quick) { i += quick; continue; }
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

static char *convert(struct arena *a, const char *html, size_t len, int number_links, int fast, int ref);

char *html_to_text(struct arena *a, const char *html, size_t len) { return convert(a, html, len, 0, 1, 0); }

char *html_to_text_linked(struct arena *a, const char *html, size_t len) { return convert(a, html, len, 1, 1, 0); }

char *html_to_text_libxml(struct arena *a, const char *html, size_t len, int number_links)
{
    return convert(a, html, len, number_links, 0, 0);
}

char *html_to_text_ref(struct arena *a, const char *html, size_t len, int number_links)
{
    return convert(a, html, len, number_links, 1, 1);
}

static void out_init(struct out *o, int number_links, int ref)
{
    memset(o, 0, sizeof *o);
    sb_init(&o->b);
    sb_init(&o->links);
    o->number_links = number_links;
    o->ref = ref;
}

static void out_free(struct out *o)
{
    free(o->href);
    sb_free(&o->b);
    sb_free(&o->links);
}

/* libxml2's SAX parse of the whole fragment into o; -1 when it could not even start. */
static int libxml_convert(struct out *o, const char *in, size_t len)
{
    init_once();
    o->applet_closed = memmem(in, len, "</applet", 8) || memmem(in, len, "</APPLET", 8);
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(in, (int)len);
    if (!ctxt) return -1;
    *ctxt->sax = sax;
    ctxt->_private = o;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
    /* the input is valid UTF-8 by now: never let the parser guess Latin-1 */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
    return 0;
}

static char *convert(struct arena *a, const char *html, size_t len, int number_links, int fast, int ref)
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
    if (!clean_utf8(html, len, ref)) {
        fixed = text_sanitize_dup(html, len, len * 3 + 16, TEXT_MULTILINE | TEXT_KEEP_TABS | TEXT_NO_TRIM);
        in = fixed;
        len = strlen(fixed);
    }

    struct out o;
    out_init(&o, number_links, ref);
    sb_reserve(&o.b, len + 16);   /* the text is rarely longer than its markup: one allocation */
    int done = fast && fast_convert(&o, in, len) == 0;
    if (!done) {
        out_free(&o);
        out_init(&o, number_links, ref);
        if (libxml_convert(&o, in, len) != 0) {
            char *r = arena_strndup(a, in, len);
            free(fixed);
            out_free(&o);
            return r;
        }
    }
    free(fixed);

    while (o.b.len && (o.b.s[o.b.len - 1] == '\n' || o.b.s[o.b.len - 1] == ' ')) o.b.len--;
    if (o.nlinks) {
        /* the list the numbers point into, at the end (the reader's detail shows it as links) */
        sb_printf(&o.b, "\n\n%s\n", HTML_LINKS_HEADING);
        sb_add(&o.b, o.links.s, o.links.len);
        while (o.b.len && o.b.s[o.b.len - 1] == '\n') o.b.len--;
    }
    char *r = arena_strndup(a, o.b.s ? o.b.s : "", o.b.len);
    out_free(&o);
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

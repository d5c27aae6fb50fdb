/* SPDX-License-Identifier: ISC */
/* xmlprep — readies a feed body for expat: recognises HTML pages, repairs what real feeds get
 * wrong (invalid UTF-8, stray control bytes), offers the lenient retry for undeclared HTML
 * entities, and teaches expat single-byte charsets through iconv. */
#include "xmlprep.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "text.h"
#include "util.h"
#include "utf8run.h"

enum repair { R_NONE, R_UTF8, R_BYTES };

/* Single-byte charsets expat does not know (windows-1251, koi8-r, ...), through iconv. */
int xmlprep_unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info)
{
    /* a charset name, not a path or an iconv option ("//TRANSLIT") */
    size_t n = strlen(name);
    if (n == 0 || n > 40) return XML_STATUS_ERROR;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("-_.:", name[i])) return XML_STATUS_ERROR;
    iconv_t cd = iconv_open("UTF-32LE", name);
    if (cd == (iconv_t)-1) return XML_STATUS_ERROR;
    int ok = 1;
    for (int b = 0; b < 256 && ok; b++) {
        char in = (char)b;
        unsigned char outb[8];
        char *ip = &in, *op = (char *)outb;
        size_t il = 1, ol = sizeof outb;
        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != sizeof outb - 4) {
            if (errno == EINVAL || b < 0x80) ok = 0;    /* multi-byte, or not ASCII-based */
            info->map[b] = -1;
            continue;
        }
        int cp = outb[0] | outb[1] << 8 | outb[2] << 16 | outb[3] << 24;
        if (b < 0x80 && cp != b) ok = 0;
        info->map[b] = cp;
    }
    iconv_close(cd);
    info->data = NULL;
    info->convert = NULL;
    info->release = NULL;
    return ok ? XML_STATUS_OK : XML_STATUS_ERROR;
}

size_t xmlprep_skip_space(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < n && isspace((unsigned char)s[i])) i++;
    return i;
}

/* True when the document starts like an HTML page (after an optional XML declaration and
 * comments), which expat would otherwise report as some obscure syntax error. */
int xmlprep_is_html_page(const char *s, size_t n)
{
    size_t i = xmlprep_skip_space(s, n);
    for (int guard = 0; guard < 64 && i < n; guard++) {
        if (n - i >= 5 && !memcmp(s + i, "<?xml", 5)) {
            const char *e = memmem(s + i, n - i, "?>", 2);
            if (!e) return 0;
            i = (size_t)(e - s) + 2;
        } else if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            const char *e = memmem(s + i, n - i, "-->", 3);
            if (!e) return 0;
            i = (size_t)(e - s) + 3;
        } else {
            break;
        }
        while (i < n && isspace((unsigned char)s[i])) i++;
    }
    if (n - i >= 14 && !strncasecmp(s + i, "<!doctype html", 14)) {
        /* an XHTML DOCTYPE on an <rss> or <feed> is a feed all the same: the root decides */
        const char *e = memchr(s + i, '>', n - i);
        if (!e) return 1;
        i = (size_t)(e - s) + 1;
        while (i < n && isspace((unsigned char)s[i])) i++;
        while (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            const char *c = memmem(s + i, n - i, "-->", 3);
            if (!c) return 1;
            i = (size_t)(c - s) + 3;
            while (i < n && isspace((unsigned char)s[i])) i++;
        }
        return !(n - i >= 2 && s[i] == '<' && (n - i < 5 || strncasecmp(s + i, "<html", 5)));
    }
    if (n - i >= 5 && !strncasecmp(s + i, "<html", 5) &&
        (n - i == 5 || isspace((unsigned char)s[i + 5]) || s[i + 5] == '>'))
        return 1;
    return 0;
}

/* How the body may be repaired: as UTF-8 (declared so or undeclared), byte-wise for other
 * ASCII-based charsets (C0 bytes are never part of a character there), or not at all (UTF-16/32). */
static enum repair repair_mode(const char *s, size_t n)
{
    if (n >= 2 && ((unsigned char)s[0] == 0xFF || (unsigned char)s[0] == 0xFE)) return R_NONE;
    if (n >= 2 && (s[0] == 0 || s[1] == 0)) return R_NONE;
    size_t i = (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) ? 3 : 0;
    if (n - i < 5 || memcmp(s + i, "<?xml", 5)) return R_UTF8;
    const char *e = memmem(s + i, n - i > 256 ? 256 : n - i, "?>", 2);
    if (!e) return R_UTF8;
    const char *d = s + i;
    const char *enc = memmem(d, (size_t)(e - d), "encoding", 8);
    if (!enc) return R_UTF8;
    enc += 8;
    while (enc < e && (isspace((unsigned char)*enc) || *enc == '=')) enc++;
    if (enc >= e || (*enc != '"' && *enc != '\'')) return R_UTF8;
    enc++;
    size_t len = 0;
    while (enc + len < e && enc[len] != '"' && enc[len] != '\'') len++;
    if ((len == 5 && !strncasecmp(enc, "utf-8", 5)) || (len == 4 && !strncasecmp(enc, "utf8", 4)) ||
        (len == 8 && !strncasecmp(enc, "us-ascii", 8)) || (len == 5 && !strncasecmp(enc, "ascii", 5)))
        return R_UTF8;
    for (size_t k = 0; k + 1 < len; k++)
        if ((enc[k] == '1' && enc[k + 1] == '6') || (enc[k] == '3' && enc[k + 1] == '2') ||
            !strncasecmp(enc + k, "ucs", 3 < len - k ? 3 : len - k))
            return R_NONE;
    return R_BYTES;
}

static int xml_c0_bad(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

/* Returns a repaired copy (malloc'd) when the body needs one, else NULL.  UTF-8 mode: invalid
 * sequences and U+FFFE/U+FFFF become U+FFFD, C0 controls that XML forbids are dropped. */
static char *repair(const char *s, size_t n, enum repair mode, size_t *outn)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    /* first find whether anything is wrong; most feeds are clean */
    while (i < n) {
        unsigned char c = u[i];
        if (c >= 0x20 && c < 0x80) { i++; i += utf8run_ascii(u + i, n - i, 0); continue; }
        if (c < 0x80) { if (xml_c0_bad(c)) break; i++; continue; }
        if (mode != R_UTF8) { i++; continue; }
        size_t quick = utf8run_char(u + i, n - i);
        if (quick) { i += quick; continue; }
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && l == 1) break;
        if (cp == 0xFFFE || cp == 0xFFFF) break;
        i += (size_t)l;
    }
    if (i >= n || mode == R_NONE) return NULL;

    char *r = xmalloc(n * 3 + 1);
    memcpy(r, s, i);
    size_t o = i;
    while (i < n) {
        unsigned char c = u[i];
        if (c < 0x80) {
            if (!xml_c0_bad(c)) r[o++] = (char)c;
            i++;
            continue;
        }
        if (mode != R_UTF8) { r[o++] = (char)c; i++; continue; }
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFE || cp == 0xFFFF) cp = 0xFFFD;
        if (cp == 0xFFFD) { memcpy(r + o, "\xEF\xBF\xBD", 3); o += 3; }
        else { memcpy(r + o, s + i, (size_t)l); o += (size_t)l; }
        i += (size_t)l;
    }
    r[o] = 0;
    *outn = o;
    return r;
}

/* For "undefined entity" (HTML entities in a feed without a DTD): the same body with an external
 * DTD reference spliced in after the XML declaration, which makes expat report unknown entities as
 * skipped instead of failing.  The DTD is never read. */
char *xmlprep_with_dtd(const char *s, size_t n, size_t *outn)
{
    static const char decl[] = "<!DOCTYPE feed SYSTEM \"about:legacy-entities\">";
    if (memmem(s, n > 4096 ? 4096 : n, "<!DOCTYPE", 9)) return NULL;
    size_t at = xmlprep_skip_space(s, n);
    if (n - at >= 5 && !memcmp(s + at, "<?xml", 5)) {
        const char *e = memmem(s + at, n - at, "?>", 2);
        if (!e) return NULL;
        at = (size_t)(e - s) + 2;
    } else {
        at = 0;
    }
    char *r = xmalloc(n + sizeof decl);
    memcpy(r, s, at);
    memcpy(r + at, decl, sizeof decl - 1);
    memcpy(r + at + sizeof decl - 1, s + at, n - at);
    *outn = n + sizeof decl - 1;
    return r;
}

char *xmlprep_repair(const char *s, size_t n, size_t *outn)
{
    return repair(s, n, repair_mode(s, n), outn);
}

/* Length of a well-formed reference at s ("&name;", "&#123;", "&#x1F;", with 'X' accepted and
 * reported in *upper_x), or 0. */
static size_t ref_len(const char *s, size_t n, size_t *upper_x)
{
    size_t i = 1;
    *upper_x = 0;
    if (i < n && s[i] == '#') {
        i++;
        int hex = 0;
        if (i < n && (s[i] == 'x' || s[i] == 'X')) { if (s[i] == 'X') *upper_x = i; hex = 1; i++; }
        size_t d = i;
        while (i < n && i - d < 16 && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) i++;
        return (i > d && i < n && s[i] == ';') ? i + 1 : 0;
    }
    size_t d = i;
    while (i < n && i - d < 64 &&
           (isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == ':' ||
            (i > d && (isdigit((unsigned char)s[i]) || s[i] == '.' || s[i] == '-') ) ||
            (unsigned char)s[i] >= 0x80))
        i++;
    return (i > d && i < n && s[i] == ';') ? i + 1 : 0;
}

/* In an attribute value, a named reference other than XML's five: expat would drop it (it reports
 * skipped entities only in text).  An HTML entity becomes its character, anything else stays as
 * the text it was.  Returns 1 when it wrote a replacement for s[0..l). */
static int attr_ref(struct strbuf *b, const char *s, size_t l)
{
    static const char *const xml5[] = {"amp", "lt", "gt", "quot", "apos"};
    if (l < 3 || s[1] == '#') return 0;
    char name[72];
    size_t nl = l - 2 < sizeof name - 1 ? l - 2 : sizeof name - 1;
    memcpy(name, s + 1, nl);
    name[nl] = 0;
    for (size_t k = 0; k < 5; k++)
        if (!strcmp(name, xml5[k])) return 0;
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    if (e) {
        char u[4];
        int ul = utf8_encode(e->value, u);
        if (e->value == '"') sb_adds(b, "&quot;");
        else if (e->value == '<') sb_adds(b, "&lt;");
        else if (e->value == '&') sb_adds(b, "&amp;");
        else sb_add(b, u, (size_t)ul);
    } else {
        sb_adds(b, "&amp;");
        sb_add(b, s + 1, l - 1);
    }
    return 1;
}

/* True when every '&' in s starts a reference the pass below leaves as it is wherever it stands
 * (in text, in a value, in markup it skips): one of XML's five named ones, or a numeric one without
 * an upper-case X.  Most feeds' references are all of that kind, and memchr finds them faster
 * than the pass walks the markup. */
static int refs_all_plain(const char *s, size_t n)
{
    for (const char *a = memchr(s, '&', n); a; a = memchr(a + 1, '&', n - (size_t)(a + 1 - s))) {
        size_t upper = 0;
        size_t l = ref_len(a, n - (size_t)(a - s), &upper);
        if (!l || upper) return 0;
        if (a[1] == '#') continue;
        size_t nl = l - 2;
        const char *nm = a + 1;
        if (!((nl == 2 && (!memcmp(nm, "lt", 2) || !memcmp(nm, "gt", 2))) || (nl == 3 && !memcmp(nm, "amp", 3)) ||
              (nl == 4 && (!memcmp(nm, "quot", 4) || !memcmp(nm, "apos", 4)))))
            return 0;
    }
    return 1;
}

static char *fix_refs(const char *s, size_t n, size_t *outn, int quick);

char *xmlprep_fix_refs(const char *s, size_t n, size_t *outn) { return fix_refs(s, n, outn, 1); }

char *xmlprep_fix_refs_slow(const char *s, size_t n, size_t *outn) { return fix_refs(s, n, outn, 0); }

/* quick: the shortcuts (the check above, and scans a word at a time); 0 only for the tests */
static char *fix_refs(const char *s, size_t n, size_t *outn, int quick)
{
    if (quick && refs_all_plain(s, n)) return NULL;
    struct strbuf b;
    int changed = 0, in_tag = 0;
    char quote = 0;
    size_t run = 0;
    sb_init(&b);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (in_tag) {
            /* the bytes of a tag that change nothing: inside a value, all but its quote and '&';
             * outside, all but quotes and '>' (a word at a time, then byte by byte) */
            if (quote) {
                if (c != quote && c != '&') {
                    i++;
                    if (quick) i += utf8run_until2(u + i, n - i, (unsigned char)quote, '&');
                    while (i < n && s[i] != quote && s[i] != '&') i++;
                    continue;
                }
            } else if (c != '"' && c != '\'' && c != '>') {
                i++;
                if (quick) i += utf8run_until3(u + i, n - i, '"', '\'', '>');
                while (i < n && s[i] != '"' && s[i] != '\'' && s[i] != '>') i++;
                continue;
            }
            if (quote && c == quote) quote = 0;
            else if (!quote && (c == '"' || c == '\'')) quote = c;
            else if (!quote && c == '>') in_tag = 0;
            if (c != '&' || !quote) { i++; continue; }
        } else if (c == '<' && n - i >= 2 && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_')) {
            in_tag = 1;   /* the commonest '<' first; the three below start with "<!" or "<?" */
            quote = 0;
            i++;
            continue;
        } else if (c == '<' && n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
            const char *e = memmem(s + i, n - i, "]]>", 3);
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        } else if (c == '<' && n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            const char *e = memmem(s + i, n - i, "-->", 3);
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        } else if (c == '<' && n - i >= 2 && s[i + 1] == '?') {
            const char *e = memmem(s + i, n - i, "?>", 2);
            i = e ? (size_t)(e - s) + 2 : n;
            continue;
        }
        if (c != '&') {
            /* text up to the next tag or reference: nothing to look at */
            i++;
            if (!in_tag) {
                if (quick) i += utf8run_until2(u + i, n - i, '<', '&');
                while (i < n && s[i] != '<' && s[i] != '&') i++;
            }
            continue;
        }
        size_t upper = 0;
        size_t l = ref_len(s + i, n - i, &upper);
        if (l && !upper && !(in_tag && quote)) { i += l; continue; }
        size_t mark = b.len;
        sb_add(&b, s + run, i - run);
        if (l && upper) {
            sb_add(&b, s + i, upper);
            sb_addc(&b, 'x');
            sb_add(&b, s + i + upper + 1, l - upper - 1);
            i += l;
        } else if (l) {
            if (!attr_ref(&b, s + i, l)) {   /* a reference expat reads: nothing to change */
                b.len = mark;
                i += l;
                continue;
            }
            i += l;
        } else {
            sb_adds(&b, "&amp;");
            i++;
        }
        run = i;
        changed = 1;
    }
    if (!changed) { sb_free(&b); return NULL; }
    sb_add(&b, s + run, n - run);
    *outn = b.len;
    return b.s;
}

static const struct { const char *prefix, *uri; } known_ns[] = {
    {"dc", "http://purl.org/dc/elements/1.1/"}, {"dcterms", "http://purl.org/dc/terms/"},
    {"content", "http://purl.org/rss/1.0/modules/content/"},
    {"itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"}, {"media", "http://search.yahoo.com/mrss/"},
    {"atom", "http://www.w3.org/2005/Atom"}, {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"xhtml", "http://www.w3.org/1999/xhtml"}, {"yt", "http://www.youtube.com/xml/schemas/2015"},
};

char *xmlprep_declare_prefixes(const char *s, size_t n, size_t *outn)
{
    char found[32][32];
    int nf = 0;
    for (size_t i = 1; i + 2 < n && nf < 32; i++) {
        if (s[i - 1] != '<' && s[i - 1] != '/' && s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '\n') continue;
        if (!isalpha((unsigned char)s[i]) && s[i] != '_') continue;
        size_t j = i;
        while (j < n && j - i < 31 && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.')) j++;
        if (j + 1 >= n || s[j] != ':' || !(isalpha((unsigned char)s[j + 1]) || s[j + 1] == '_')) continue;
        size_t l = j - i;
        if ((l == 5 && !memcmp(s + i, "xmlns", 5)) || (l == 3 && !strncasecmp(s + i, "xml", 3))) continue;
        char pfx[32];
        memcpy(pfx, s + i, l);
        pfx[l] = 0;
        int dup = 0;
        for (int k = 0; k < nf; k++) dup |= !strcmp(found[k], pfx);
        if (dup) continue;
        char decl[48];
        snprintf(decl, sizeof decl, "xmlns:%s=", pfx);
        if (memmem(s, n, decl, strlen(decl))) continue;
        memcpy(found[nf++], pfx, l + 1);
        i = j;
    }
    if (!nf) return NULL;
    /* the root start tag: the first element after the prolog */
    size_t at = 0;
    for (;;) {
        const char *lt = memchr(s + at, '<', n - at);
        if (!lt) return NULL;
        at = (size_t)(lt - s);
        if (at + 1 < n && (isalpha((unsigned char)s[at + 1]) || s[at + 1] == '_')) break;
        const char *end = n - at >= 4 && !memcmp(s + at, "<!--", 4) ? memmem(s + at, n - at, "-->", 3)
                                                                     : memchr(s + at, '>', n - at);
        if (!end) return NULL;
        at = (size_t)(end - s) + 1;
    }
    at++;
    while (at < n && !isspace((unsigned char)s[at]) && s[at] != '>' && s[at] != '/') at++;
    struct strbuf b;
    sb_init(&b);
    sb_add(&b, s, at);
    for (int k = 0; k < nf; k++) {
        const char *uri = NULL;
        for (size_t q = 0; q < sizeof known_ns / sizeof known_ns[0]; q++)
            if (!strcasecmp(found[k], known_ns[q].prefix)) uri = known_ns[q].uri;
        if (uri) sb_printf(&b, " xmlns:%s=\"%s\"", found[k], uri);
        else sb_printf(&b, " xmlns:%s=\"urn:x-winnow:undeclared:%s\"", found[k], found[k]);
    }
    sb_add(&b, s + at, n - at);
    *outn = b.len;
    return b.s;
}

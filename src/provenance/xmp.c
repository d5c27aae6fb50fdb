/* SPDX-License-Identifier: ISC */
/* XMP packets: the IPTC DigitalSourceType (and the 2025 AI-system fields) and dcterms:provenance,
 * read with expat in namespace mode so that any prefix works.  A packet is data from a stranger: a
 * DOCTYPE stops the parse (XMP never has one, and entities are the classic amplification trick),
 * elements nest at most XMP_MAX_DEPTH deep and captured text is bounded. */
#include "prov_int.h"

#include <expat.h>
#include <string.h>

#define XMP_MAX_DEPTH 64
#define NS_SEP '\x01'

static const char NS_IPTC[] = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
static const char NS_DCT[] = "http://purl.org/dc/terms/";
static const char NS_RDF[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

enum field { F_NONE = -1, F_DST = 0, F_DSFT, F_AISYS, F_PROV, F_COUNT };

struct xstate {
    XML_Parser parser;
    int depth;
    enum field capture;
    int capture_depth;
    char text[F_COUNT][256];
    size_t tlen;
    char buf[256];
    int stopped;
};

/* "uri\x01local" against a namespace and a local name. */
static int name_is(const char *name, const char *ns, const char *local)
{
    size_t nl = strlen(ns);
    return !strncmp(name, ns, nl) && name[nl] == NS_SEP && !strcmp(name + nl + 1, local);
}

static enum field field_of(const char *name)
{
    if (name_is(name, NS_IPTC, "DigitalSourceType")) return F_DST;
    if (name_is(name, NS_IPTC, "DigitalSourceFileType")) return F_DSFT;
    if (name_is(name, NS_IPTC, "AISystemUsed")) return F_AISYS;
    if (name_is(name, NS_DCT, "provenance")) return F_PROV;
    return F_NONE;
}

static void trim_into(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    if (n >= cap) n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
}

static void set_field(struct xstate *x, enum field f, const char *v, size_t n)
{
    if (f == F_NONE || x->text[f][0]) return;    /* the first value wins */
    trim_into(x->text[f], sizeof x->text[f], v, n);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xstate *x = ud;
    if (++x->depth > XMP_MAX_DEPTH) {
        x->stopped = 1;
        XML_StopParser(x->parser, XML_FALSE);
        return;
    }
    for (int i = 0; atts[i] && atts[i + 1]; i += 2) {
        enum field f = field_of(atts[i]);
        if (f != F_NONE) set_field(x, f, atts[i + 1], strlen(atts[i + 1]));
    }
    if (x->capture != F_NONE) return;            /* inside a captured property: rdf:Alt, rdf:li */
    enum field f = field_of(name);
    if (f == F_NONE) return;
    for (int i = 0; atts[i] && atts[i + 1]; i += 2)
        if (name_is(atts[i], NS_RDF, "resource")) {
            set_field(x, f, atts[i + 1], strlen(atts[i + 1]));
            return;
        }
    x->capture = f;
    x->capture_depth = x->depth;
    x->tlen = 0;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct xstate *x = ud;
    (void)name;
    if (x->capture != F_NONE && x->depth == x->capture_depth) {
        set_field(x, x->capture, x->buf, x->tlen);
        x->capture = F_NONE;
    }
    x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xstate *x = ud;
    if (x->capture == F_NONE || len <= 0) return;
    size_t room = sizeof x->buf - 1 - x->tlen;
    size_t n = (size_t)len < room ? (size_t)len : room;
    memcpy(x->buf + x->tlen, s, n);
    x->tlen += n;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    struct xstate *x = ud;
    (void)name; (void)sysid; (void)pubid; (void)has_internal;
    x->stopped = 1;
    XML_StopParser(x->parser, XML_FALSE);
}

int prov_xmp_read(const uint8_t *p, size_t n, struct prov_xmp *out)
{
    memset(out, 0, sizeof *out);
    if (!p || !n) return -1;
    if (n > PROV_MAX_XMP) n = PROV_MAX_XMP;
    struct xstate x;
    memset(&x, 0, sizeof x);
    x.capture = F_NONE;
    x.parser = XML_ParserCreateNS(NULL, NS_SEP);
    if (!x.parser) return -1;
    XML_SetUserData(x.parser, &x);
    XML_SetElementHandler(x.parser, on_start, on_end);
    XML_SetCharacterDataHandler(x.parser, on_text);
    XML_SetStartDoctypeDeclHandler(x.parser, on_doctype);
    /* A packet may carry padding or junk after the root; whatever was read before an error
     * still counts, since nothing here is more than a hint. */
    XML_Parse(x.parser, (const char *)p, (int)n, XML_TRUE);
    XML_ParserFree(x.parser);
    const char *dst = x.text[F_DST][0] ? x.text[F_DST] : x.text[F_DSFT];
    trim_into(out->source_type, sizeof out->source_type, dst, strlen(dst));
    trim_into(out->ai_system, sizeof out->ai_system, x.text[F_AISYS], strlen(x.text[F_AISYS]));
    trim_into(out->provenance, sizeof out->provenance, x.text[F_PROV], strlen(x.text[F_PROV]));
    return (out->source_type[0] || out->ai_system[0] || out->provenance[0]) ? 0 : 1;
}

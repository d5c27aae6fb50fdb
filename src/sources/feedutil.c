/* SPDX-License-Identifier: ISC */
#include "feedutil.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "text.h"

int feed_blank(const char *s)
{
    if (!s) return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s)) return 0;
    return 1;
}

char *feed_title_from_text(struct arena *a, const char *text)
{
    if (!text) return NULL;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f') p++;
        if (*p == '\n') { p++; continue; }
        break;
    }
    if (!*p) return NULL;
    const char *e = p;
    while (*e && *e != '\n' && *e != '\r') e++;
    while (e > p && isspace((unsigned char)e[-1])) e--;

    /* Walk at most FEED_DERIVED_TITLE_CHARS characters, remembering the last blank. */
    const char *q = p, *last_blank = NULL;
    size_t chars = 0;
    while (q < e && chars < FEED_DERIVED_TITLE_CHARS) {
        unsigned cp;
        int l = utf8_decode((const unsigned char *)q, (size_t)(e - q), &cp);
        if (l <= 0) l = 1;
        if (*q == ' ' || *q == '\t') last_blank = q;
        q += l;
        chars++;
    }
    if (q >= e) return arena_strndup(a, p, (size_t)(e - p));
    /* Cut at a word boundary unless that throws away more than a third of the title. */
    const char *cut = q;
    if (last_blank && (size_t)(last_blank - p) * 3 >= (size_t)(q - p) * 2) cut = last_blank;
    while (cut > p && (cut[-1] == ' ' || cut[-1] == '\t' || cut[-1] == ',' || cut[-1] == ';' ||
                       cut[-1] == ':'))
        cut--;
    size_t n = (size_t)(cut - p);
    char *r = arena_alloc(a, n + 4);
    memcpy(r, p, n);
    memcpy(r + n, "\xe2\x80\xa6", 4);
    return r;
}

int64_t feed_parse_count(const char *s)
{
    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (!isdigit((unsigned char)*s)) return -1;
    int64_t v = 0;
    for (; isdigit((unsigned char)*s); s++) {
        if (v > (INT64_MAX - 9) / 10) return -1;
        v = v * 10 + (*s - '0');
    }
    while (isspace((unsigned char)*s)) s++;
    return *s ? -1 : v;
}

int64_t feed_parse_duration(const char *s)
{
    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    int64_t parts[3];
    int n = 0;
    for (;;) {
        if (!isdigit((unsigned char)*s) || n == 3) return -1;
        int64_t v = 0;
        int digits = 0;
        for (; isdigit((unsigned char)*s); s++) {
            if (++digits > 12) return -1;
            v = v * 10 + (*s - '0');
        }
        parts[n++] = v;
        if (*s == ':') { s++; continue; }
        break;
    }
    if (*s == '.' || *s == ',') {                /* fractional seconds */
        s++;
        while (isdigit((unsigned char)*s)) s++;
    }
    while (isspace((unsigned char)*s)) s++;
    if (*s) return -1;
    if (n == 1) return parts[0];
    if (n == 2) return parts[0] * 60 + parts[1];
    return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

const char *feed_guess_mime(const char *url)
{
    static const struct { const char *ext, *mime; } tab[] = {
        {"mp3", "audio/mpeg"}, {"m4a", "audio/mp4"}, {"aac", "audio/aac"}, {"ogg", "audio/ogg"},
        {"oga", "audio/ogg"}, {"opus", "audio/opus"}, {"flac", "audio/flac"}, {"wav", "audio/wav"},
        {"mp4", "video/mp4"}, {"m4v", "video/mp4"}, {"webm", "video/webm"}, {"mov", "video/quicktime"},
        {"mkv", "video/x-matroska"}, {"m3u8", "application/vnd.apple.mpegurl"},
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"}, {"gif", "image/gif"},
        {"webp", "image/webp"}, {"avif", "image/avif"},
    };
    if (!url) return NULL;
    /* the extension of the path: stop at query or fragment */
    size_t end = strcspn(url, "?#");
    size_t dot = end;
    while (dot > 0 && url[dot - 1] != '.' && url[dot - 1] != '/') dot--;
    if (dot == 0 || url[dot - 1] != '.') return NULL;
    size_t n = end - dot;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strlen(tab[i].ext) == n && !strncasecmp(url + dot, tab[i].ext, n)) return tab[i].mime;
    return NULL;
}

/* One character reference at s ('&' first); writes its UTF-8 into out and returns the bytes
 * consumed, or 0 when s does not start a reference we know. */
static size_t char_ref(const char *s, char out[4], int *outlen)
{
    unsigned cp = 0;
    size_t i = 1;
    if (s[i] == '#') {
        i++;
        int hex = s[i] == 'x' || s[i] == 'X';
        if (hex) i++;
        size_t d = i;
        while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])) {
            unsigned v = isdigit((unsigned char)s[i]) ? (unsigned)(s[i] - '0')
                                                      : (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
            if (cp > 0x10FFFF) return 0;
            cp = cp * (hex ? 16 : 10) + v;
            i++;
        }
        if (i == d || s[i] != ';') return 0;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    } else {
        char name[33];
        size_t k = 0;
        while (isalnum((unsigned char)s[i]) && k < sizeof name - 1) name[k++] = s[i++];
        name[k] = 0;
        if (k == 0 || s[i] != ';') return 0;
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        if (!e) return 0;
        cp = e->value;
    }
    *outlen = utf8_encode(cp, out);
    return i + 1;
}

char *feed_decode_entities(struct arena *a, char *s)
{
    if (!s || !strchr(s, '&')) return s;
    size_t n = strlen(s);
    char *r = arena_alloc(a, n + 1);       /* a reference is never shorter than its UTF-8 */
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '&') {
            char u[4];
            int ul = 0;
            size_t used = char_ref(s + i, u, &ul);
            if (used) {
                memcpy(r + o, u, (size_t)ul);
                o += (size_t)ul;
                i += used;
                continue;
            }
        }
        r[o++] = s[i++];
    }
    r[o] = 0;
    return r;
}

void feed_json_str(struct strbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(b, '"');
    size_t run = 0, i = 0;
    for (; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sb_add(b, s + run, i - run);
        run = i + 1;
        char e[6] = {'\\', 0};
        size_t el = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default:
            e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15];
            el = 6;
        }
        sb_add(b, e, el);
    }
    sb_add(b, s + run, i - run);
    sb_addc(b, '"');
}

int feed_json_count(struct strbuf *b, int64_t v)
{
    /* cJSON prints a number with "%1.15g": plain digits below 10^15 */
    if (v < 0 || v >= 1000000000000000LL) return 0;
    char d[24];
    size_t n = sizeof d;
    do { d[--n] = (char)('0' + v % 10); v /= 10; } while (v);
    sb_add(b, d + n, sizeof d - n);
    return 1;
}

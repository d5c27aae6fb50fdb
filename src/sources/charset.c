/* SPDX-License-Identifier: ISC */
/* charset — a feed body in any encoding becomes UTF-8 (see charset.h for the order of evidence). */
#include "charset.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "util.h"
#include "utf8run.h"

/* windows-1252's 0x80..0x9F; the rest of its upper half is latin-1. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

unsigned charset_cp1252(unsigned char b)
{
    if (b < 0x80) return b;
    if (b < 0xA0) return cp1252_hi[b - 0x80];
    return b;
}

/* The windows-1252 byte that stands for cp, or -1. */
static int cp1252_byte(unsigned cp)
{
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] == cp && cp != 0xFFFD) return 0x80 + i;
    /* a double-encoding tool that used latin-1 kept the C1 bytes as themselves */
    if (cp >= 0x80 && cp <= 0x9F) return (int)cp;
    return -1;
}

enum family { FAM_UTF8, FAM_ICONV };

/* What a charset label means: the name iconv is given and the name reported, by label with case,
 * '-', '_', '.', ' ' and ':' ignored.  The latin-1 and ASCII labels are read as windows-1252, as
 * browsers do (their 0x80..0x9F are cp1252's punctuation in practice, never C1 controls). */
static const struct { const char *label, *iconv, *report; enum family fam; } aliases[] = {
    {"utf8", NULL, "utf-8", FAM_UTF8}, {"unicode11utf8", NULL, "utf-8", FAM_UTF8},
    {"usascii", NULL, "utf-8", FAM_UTF8}, {"ascii", NULL, "utf-8", FAM_UTF8},
    {"utf16", "UTF-16", "utf-16", FAM_ICONV}, {"utf16le", "UTF-16LE", "utf-16le", FAM_ICONV},
    {"utf16be", "UTF-16BE", "utf-16be", FAM_ICONV}, {"ucs2", "UTF-16", "utf-16", FAM_ICONV},
    {"unicode", "UTF-16", "utf-16", FAM_ICONV}, {"iso10646ucs2", "UTF-16", "utf-16", FAM_ICONV},
    {"utf32", "UTF-32", "utf-32", FAM_ICONV}, {"utf32le", "UTF-32LE", "utf-32le", FAM_ICONV},
    {"utf32be", "UTF-32BE", "utf-32be", FAM_ICONV}, {"ucs4", "UTF-32", "utf-32", FAM_ICONV},
    {"iso88591", "WINDOWS-1252", "windows-1252", FAM_ICONV},
    {"latin1", "WINDOWS-1252", "windows-1252", FAM_ICONV},
    {"l1", "WINDOWS-1252", "windows-1252", FAM_ICONV}, {"cp819", "WINDOWS-1252", "windows-1252", FAM_ICONV},
    {"windows1252", "WINDOWS-1252", "windows-1252", FAM_ICONV},
    {"cp1252", "WINDOWS-1252", "windows-1252", FAM_ICONV},
    {"xsjis", "CP932", "shift_jis", FAM_ICONV}, {"sjis", "CP932", "shift_jis", FAM_ICONV},
    {"shiftjis", "CP932", "shift_jis", FAM_ICONV}, {"mskanji", "CP932", "shift_jis", FAM_ICONV},
    {"windows31j", "CP932", "shift_jis", FAM_ICONV}, {"cp932", "CP932", "shift_jis", FAM_ICONV},
    {"gb2312", "GB18030", "gb18030", FAM_ICONV}, {"gbk", "GB18030", "gb18030", FAM_ICONV},
    {"xgbk", "GB18030", "gb18030", FAM_ICONV}, {"cp936", "GB18030", "gb18030", FAM_ICONV},
    {"euccn", "GB18030", "gb18030", FAM_ICONV}, {"gb18030", "GB18030", "gb18030", FAM_ICONV},
    {"euckr", "CP949", "euc-kr", FAM_ICONV}, {"ksc56011987", "CP949", "euc-kr", FAM_ICONV},
    {"cp949", "CP949", "euc-kr", FAM_ICONV}, {"big5", "BIG5-HKSCS", "big5", FAM_ICONV},
    {"big5hkscs", "BIG5-HKSCS", "big5", FAM_ICONV}, {"xeucjp", "EUC-JP", "euc-jp", FAM_ICONV},
    {"tis620", "CP874", "windows-874", FAM_ICONV}, {"iso885911", "CP874", "windows-874", FAM_ICONV},
    {"ksc5601", "CP949", "euc-kr", FAM_ICONV}, {"windows949", "CP949", "euc-kr", FAM_ICONV},
    {"xeuckr", "CP949", "euc-kr", FAM_ICONV}, {"csshiftjis", "CP932", "shift_jis", FAM_ICONV},
    /* Mac charsets by the names Python and browsers use; glibc spells them its own way */
    {"macroman", "MACINTOSH", "macintosh", FAM_ICONV}, {"xmacroman", "MACINTOSH", "macintosh", FAM_ICONV},
    {"macintosh", "MACINTOSH", "macintosh", FAM_ICONV}, {"maciceland", "MAC-IS", "mac-iceland", FAM_ICONV},
    {"xmaciceland", "MAC-IS", "mac-iceland", FAM_ICONV}, {"maclatin2", "MAC-CENTRALEUROPE", "mac-latin2", FAM_ICONV},
    {"maccentraleurope", "MAC-CENTRALEUROPE", "mac-latin2", FAM_ICONV},
    {"xmaccentraleurope", "MAC-CENTRALEUROPE", "mac-latin2", FAM_ICONV},
    {"maccyrillic", "MAC-CYRILLIC", "mac-cyrillic", FAM_ICONV},
    {"xmaccyrillic", "MAC-CYRILLIC", "mac-cyrillic", FAM_ICONV}, {"cpis", "CP861", "cp861", FAM_ICONV},
};

static int label_ok(const char *s, size_t n)
{
    if (n == 0 || n >= CHARSET_NAME_MAX - 8) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.: ", s[i])) return 0;
    return 1;
}

/* Fills iconv_name (the name to open) and report from a label; FAM_UTF8 or FAM_ICONV. */
static enum family resolve_label(const char *label, size_t n, char iconv_name[CHARSET_NAME_MAX],
                                 char report[CHARSET_NAME_MAX])
{
    char key[CHARSET_NAME_MAX];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof key; i++)
        if (isalnum((unsigned char)label[i])) key[k++] = (char)tolower((unsigned char)label[i]);
    key[k] = 0;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(aliases[i].label, key)) {
            snprintf(iconv_name, CHARSET_NAME_MAX, "%s", aliases[i].iconv ? aliases[i].iconv : "UTF-8");
            snprintf(report, CHARSET_NAME_MAX, "%s", aliases[i].report);
            return aliases[i].fam;
        }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < CHARSET_NAME_MAX; i++)
        iconv_name[o++] = label[i] == '_' || label[i] == ' ' ? '-' : (char)toupper((unsigned char)label[i]);
    iconv_name[o] = 0;
    for (o = 0; iconv_name[o]; o++) report[o] = (char)tolower((unsigned char)iconv_name[o]);
    report[o] = 0;
    return FAM_ICONV;
}

int charset_from_content_type(const char *ct, char name[CHARSET_NAME_MAX])
{
    if (!ct) return 0;
    while (*ct == ' ' || *ct == '\t') ct++;
    size_t tl = strcspn(ct, "; \t");
    int applies = !strncasecmp(ct, "text/", 5) ||
                  (!strncasecmp(ct, "application/", 12) &&
                   ((tl >= 4 && !strncasecmp(ct + tl - 4, "+xml", 4)) ||
                    (tl >= 4 && !strncasecmp(ct + tl - 4, "/xml", 4)) ||
                    (tl >= 5 && !strncasecmp(ct + tl - 5, "+json", 5)) ||
                    (tl >= 5 && !strncasecmp(ct + tl - 5, "/json", 5)) ||
                    !strncasecmp(ct, "application/xml-", 16)));
    if (!applies) return 0;
    for (const char *p = ct + tl; (p = strchr(p, ';'));) {
        p++;
        while (*p == ' ' || *p == '\t') p++;
        if (strncasecmp(p, "charset", 7)) continue;
        const char *v = p + 7;
        while (*v == ' ' || *v == '\t') v++;
        if (*v != '=') continue;
        v++;
        while (*v == ' ' || *v == '\t') v++;
        if (*v == '"' || *v == '\'') v++;
        size_t n = strcspn(v, "\"'; \t");
        if (!label_ok(v, n)) return 0;
        memcpy(name, v, n);
        name[n] = 0;
        return 1;
    }
    return 0;
}

/* The encoding label of an XML declaration in an ASCII-compatible body (at most 512 bytes read). */
static int decl_label(const char *s, size_t n, const char **lab, size_t *labn)
{
    if (n < 5 || memcmp(s, "<?xml", 5)) return 0;
    size_t lim = n > 512 ? 512 : n;
    const char *e = memmem(s, lim, "?>", 2);
    if (!e) return 0;
    const char *enc = memmem(s, (size_t)(e - s), "encoding", 8);
    if (!enc) return 0;
    enc += 8;
    while (enc < e && (isspace((unsigned char)*enc) || *enc == '=')) enc++;
    if (enc >= e || (*enc != '"' && *enc != '\'')) return 0;
    char q = *enc++;
    const char *end = memchr(enc, q, (size_t)(e - enc));
    if (!end || !label_ok(enc, (size_t)(end - enc))) return 0;
    *lab = enc;
    *labn = (size_t)(end - enc);
    return 1;
}

/* UTF-8 with every byte that is not part of a valid sequence read as windows-1252.  *xml_clean
 * says whether the body (when it needs no change) also lacks what xmlprep_repair looks for: a C0
 * control XML forbids, U+FFFE or U+FFFF. */
static char *utf8_repair(const char *s, size_t n, size_t *outn, int *changed, int *xml_clean)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int clean = 1;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') clean = 0;
            i++;
            i += utf8run_ascii(u + i, n - i, 0);
            continue;
        }
        size_t quick = utf8run_char(u + i, n - i);
        if (quick) { i += quick; continue; }
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && l == 1) break;
        if (cp == 0xFFFE || cp == 0xFFFF) clean = 0;
        i += (size_t)l;
    }
    *xml_clean = clean && i >= n;
    *changed = i < n;
    if (i >= n) return NULL;
    char *r = xmalloc(i + (n - i) * 3 + 1);
    memcpy(r, s, i);
    size_t o = i;
    while (i < n) {
        if (u[i] < 0x80) { r[o++] = (char)u[i++]; continue; }
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && l == 1) {
            o += (size_t)utf8_encode(charset_cp1252(u[i]), r + o);
            i++;
        } else {
            memcpy(r + o, s + i, (size_t)l);
            o += (size_t)l;
            i += (size_t)l;
        }
    }
    r[o] = 0;
    *outn = o;
    return r;
}

/* iconv to UTF-8; what it cannot convert becomes U+FFFD (unit bytes skipped), never a failure.
 * NULL when iconv does not know the charset. */
static char *via_iconv(const char *name, const char *s, size_t n, size_t unit, size_t *outn)
{
    iconv_t cd = iconv_open("UTF-8", name);
    /* "x-" names private ones that often have a public twin ("x-euc-tw") */
    if (cd == (iconv_t)-1 && (name[0] == 'X' || name[0] == 'x') && name[1] == '-')
        cd = iconv_open("UTF-8", name + 2);
    if (cd == (iconv_t)-1) return NULL;
    size_t cap = n * 2 + 64;
    char *r = xmalloc(cap + 1);
    char *ip = (char *)s, *op = r;
    size_t il = n, ol = cap;
    while (il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) break;
        if (errno == E2BIG || ol < 8) {
            size_t used = (size_t)(op - r);
            cap = cap * 2 + 64;
            r = xrealloc(r, cap + 1);
            op = r + used;
            ol = cap - used;
            continue;
        }
        /* EILSEQ: a byte sequence the charset does not have; EINVAL: cut at the end */
        memcpy(op, "\xEF\xBF\xBD", 3);
        op += 3;
        ol -= 3;
        if (errno == EINVAL) break;
        size_t skip = il < unit ? il : unit;
        ip += skip;
        il -= skip;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    *op = 0;
    *outn = (size_t)(op - r);
    return r;
}

/* Replaces the XML declaration at the start of a UTF-8 body by one that says UTF-8, keeping its
 * line breaks.  Returns the new length; r has room (the new declaration is never longer than
 * 40 bytes plus the old one's line breaks, and the old one was at least "<?xml?>"-long plus the
 * encoding pseudo-attribute that made this necessary). */
static char *rewrite_decl(char *r, size_t *n)
{
    size_t i = 0;
    if (*n >= 3 && !memcmp(r, "\xEF\xBB\xBF", 3)) i = 3;
    if (*n - i < 5 || memcmp(r + i, "<?xml", 5)) return r;
    const char *e = memmem(r + i, *n - i > 512 ? 512 : *n - i, "?>", 2);
    if (!e) return r;
    size_t end = (size_t)(e - r) + 2;
    static const char decl[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    size_t lines = 0;
    for (size_t k = i; k < end; k++) lines += r[k] == '\n';
    size_t newlen = sizeof decl - 1 + lines + (*n - end);
    char *out = xmalloc(newlen + 1);
    memcpy(out, decl, sizeof decl - 1);
    memset(out + sizeof decl - 1, '\n', lines);
    memcpy(out + sizeof decl - 1 + lines, r + end, *n - end);
    out[newlen] = 0;
    free(r);
    *n = newlen;
    return out;
}

/* The encoding the first bytes show: a BOM (its length in *bom) or the zero bytes of UTF-16/32. */
static const char *sniff(const unsigned char *u, size_t n, size_t *bom)
{
    *bom = 0;
    if (n >= 4 && !memcmp(u, "\x00\x00\xFE\xFF", 4)) { *bom = 4; return "utf-32be"; }
    if (n >= 4 && !memcmp(u, "\xFF\xFE\x00\x00", 4)) { *bom = 4; return "utf-32le"; }
    if (n >= 2 && !memcmp(u, "\xFE\xFF", 2)) { *bom = 2; return "utf-16be"; }
    if (n >= 2 && !memcmp(u, "\xFF\xFE", 2)) { *bom = 2; return "utf-16le"; }
    if (n >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3)) { *bom = 3; return "utf-8"; }
    if (n >= 4 && !u[0] && !u[1] && !u[2] && u[3]) return "utf-32be";
    if (n >= 4 && u[0] && !u[1] && !u[2] && !u[3]) return "utf-32le";
    if (n >= 2 && !u[0] && u[1]) return "utf-16be";
    if (n >= 2 && u[0] && !u[1]) return "utf-16le";
    return NULL;
}

static int is_wide(const char *name) { return name && strncmp(name, "utf-8", 5) != 0; }

/* "utf-16le", "utf-32be": the name says which end comes first ("utf-16" does not). */
static int has_byte_order(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && (!strcmp(name + n - 2, "le") || !strcmp(name + n - 2, "be"));
}

char *charset_to_utf8(const char *body, size_t len, const char *ct, int is_xml, size_t *outn,
                      char used[CHARSET_NAME_MAX])
{
    int xml_clean;
    return charset_to_utf8_checked(body, len, ct, is_xml, outn, used, &xml_clean);
}

char *charset_to_utf8_checked(const char *body, size_t len, const char *ct, int is_xml, size_t *outn,
                              char used[CHARSET_NAME_MAX], int *xml_clean)
{
    *xml_clean = 0;
    const unsigned char *u = (const unsigned char *)body;
    size_t bom = 0;
    const char *sniffed = sniff(u, len, &bom);
    char label[CHARSET_NAME_MAX] = "";
    const char *lab = NULL;
    size_t labn = 0;
    int declared_other = 0;   /* the declaration names a charset that is not the one used */

    if (bom) {
        lab = sniffed;
        labn = strlen(sniffed);
    } else if (charset_from_content_type(ct, label)) {
        lab = label;
        labn = strlen(label);
    }
    const char *dl = NULL;
    size_t dln = 0;
    int has_decl = !is_wide(sniffed) && decl_label(body + bom, len - bom, &dl, &dln);
    if (!lab && has_decl) { lab = dl; labn = dln; }

    char iname[CHARSET_NAME_MAX], report[CHARSET_NAME_MAX];
    enum family fam = lab ? resolve_label(lab, labn, iname, report) : FAM_UTF8;
    if (!lab) snprintf(report, sizeof report, "utf-8");
    /* bytes with the zero pattern of UTF-16/32 are that, whatever an ASCII-based label says; and a
     * label of UTF-16/32 on a body without those zeros is wrong (the body is ASCII-based) */
    int wide_label = fam == FAM_ICONV && !strncmp(report, "utf-", 4);
    if (is_wide(sniffed) && !bom && !wide_label) {
        fam = resolve_label(sniffed, strlen(sniffed), iname, report);
    } else if (is_wide(sniffed) && !bom && wide_label && !has_byte_order(report)) {
        /* "utf-16" without a BOM: the zeros say which end comes first */
        fam = resolve_label(sniffed, strlen(sniffed), iname, report);
    } else if (!is_wide(sniffed) && wide_label) {
        fam = FAM_UTF8;
        snprintf(report, sizeof report, "utf-8");
    }
    if (has_decl) {
        char di[CHARSET_NAME_MAX], dr[CHARSET_NAME_MAX];
        enum family dfam = resolve_label(dl, dln, di, dr);
        /* only "utf-8" itself may stay: expat reads us-ascii strictly and knows no "utf8" */
        declared_other = !(dfam == fam && (fam == FAM_UTF8 ? dln == 5 && !strncasecmp(dl, "utf-8", 5)
                                                           : !strcmp(di, iname)));
    }

    char *r = NULL;
    size_t rn = 0;
    if (fam == FAM_ICONV) {
        size_t unit = !strncmp(report, "utf-32", 6) ? 4 : !strncmp(report, "utf-16", 6) ? 2 : 1;
        size_t skip = bom && unit > 1 ? bom : 0;
        r = via_iconv(iname, body + skip, len - skip, unit, &rn);
        if (!r) {   /* a charset nobody knows: read it as UTF-8 */
            fam = FAM_UTF8;
            declared_other = has_decl;
            snprintf(report, sizeof report, "utf-8");
        }
    }
    if (fam == FAM_UTF8) {
        int changed = 0, clean = 0;
        size_t skip = bom == 3 ? 3 : 0;
        r = utf8_repair(body + skip, len - skip, &rn, &changed, &clean);
        *xml_clean = clean;   /* what is parsed is body + skip, or a copy of it */
        if (changed && !lab) snprintf(report, sizeof report, "windows-1252");
        if (!r && (declared_other || skip) && is_xml) {
            r = xmalloc(len - skip + 1);
            memcpy(r, body + skip, len - skip);
            r[len - skip] = 0;
            rn = len - skip;
        }
    }
    snprintf(used, CHARSET_NAME_MAX, "%s", report);
    if (!r) return NULL;
    if (is_xml) r = rewrite_decl(r, &rn);
    *outn = rn;
    return r;
}

int charset_fix_double_utf8(char *s)
{
    if (!s) return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    /* pass 1: every non-ASCII character must be a cp1252/latin-1 byte, and the bytes must form
     * UTF-8 with at least one multi-byte sequence */
    unsigned char pend[4];
    int need = 0, have = 0, multi = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) { if (need) return 0; i++; continue; }   /* what the decode gives for it */
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        i += (size_t)l;
        int b = cp1252_byte(cp);
        if (b < 0) return 0;
        if (!need) {
            if (b >= 0xC2 && b <= 0xDF) need = 2;
            else if (b >= 0xE0 && b <= 0xEF) need = 3;
            else if (b >= 0xF0 && b <= 0xF4) need = 4;
            else return 0;
            have = 0;
        } else if ((b & 0xC0) != 0x80) {
            return 0;
        }
        pend[have++] = (unsigned char)b;
        if (have == need) {
            unsigned c2;
            if (utf8_decode(pend, (size_t)have, &c2) != have) return 0;
            need = 0;
            multi = 1;
        }
    }
    if (need || !multi) return 0;
    /* pass 2: rewrite in place; each character maps to one byte, so the string only shrinks */
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        int l = utf8_decode(u + i, n - i, &cp);
        i += (size_t)l;
        s[o++] = cp < 0x80 ? (char)cp : (char)cp1252_byte(cp);
    }
    s[o] = 0;
    return 1;
}

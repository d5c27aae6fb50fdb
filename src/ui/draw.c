/* SPDX-License-Identifier: ISC */
/* draw — every string reaches the screen through ui_draw_text: clipped to its columns by display
 * width, with whatever control character slipped past the sanitiser made visible and harmless,
 * and reduced to ASCII when the terminal's locale cannot show UTF-8. */
#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "ui_int.h"

static int ascii_only;

static const struct glyphs utf8_glyphs = {"▌", "•", "★", "!", "·", "×", "··", "…"};
static const struct glyphs ascii_glyphs = {">", "N", "*", "!", "-", "x", "..", "..."};

void ui_draw_set_ascii(int ascii) { ascii_only = ascii; }
const struct glyphs *ui_draw_glyphs(void) { return ascii_only ? &ascii_glyphs : &utf8_glyphs; }

static void set_elem(int elem)
{
    attr_set(theme_attr(elem), (short)theme_pair(elem), NULL);
}

/* Characters that must never reach the terminal as themselves: C0, DEL, C1 (8-bit CSI/OSC) and
 * the bidi controls that reorder what follows them. */
static int unsafe_cp(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C;
}

/* Pictographs an emoji ZWJ sequence joins (and what may follow them in one: VS16, skin tones). */
static int emoji_cp(unsigned cp)
{
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
           (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0xFE0F || cp == 0x20E3;
}

int ui_draw_text(int y, int x, int w, const char *s, int elem)
{
    if (w <= 0 || !s) return 0;
    move(y, x);
    set_elem(elem);
    char buf[1024];
    size_t bl = 0, n = strlen(s), i = 0;
    int used = 0;
    unsigned prev = 0;
    while (i < n) {
        unsigned cp;
        int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        const char *out = s + i;
        size_t outl = (size_t)l;
        int cw;
        /* An emoji ZWJ sequence (man ZWJ woman ZWJ girl) is one glyph of width 2 to a terminal
         * that joins it (tmux) and several to ncurses, which counts each part: the row came out
         * 6 columns short.  Without the joiner every terminal draws the parts side by side, as
         * ncurses counts them.  A ZWJ in a script (Devanagari) follows no emoji and stays. */
        if (cp == 0x200D && emoji_cp(prev)) {
            i += (size_t)l;
            continue;
        }
        prev = cp;
        if (unsafe_cp(cp)) {
            out = "?";
            outl = 1;
            cw = 1;
        } else if (cp == 0xFFFD && l == 1) {
            /* an invalid byte: never hand it to the terminal raw */
            out = ascii_only ? "?" : "\xEF\xBF\xBD";
            outl = ascii_only ? 1 : 3;
            cw = 1;
        } else if (ascii_only && cp >= 0x80) {
            cw = cp_width(cp);
            if (cw == 0) { i += (size_t)l; continue; }   /* a combining mark: drop it */
            const char *tr = text_ascii_for(cp);   /* ’ “ – — … • as people type them in ASCII */
            out = tr ? tr : cw == 2 ? "??" : "?";
            outl = tr ? strlen(tr) : (size_t)cw;
            if (tr) cw = (int)outl;
        } else {
            cw = cp_width(cp);
        }
        if (used + cw > w) break;
        /* A zero-width character with no cell of this text before it would join whatever was
         * drawn there; after the screen's last column it joined the next row. */
        if (cw == 0 && (used == 0 || (used >= w && x + used >= COLS))) {
            i += (size_t)l;
            continue;
        }
        if (bl + outl >= sizeof buf) {
            addnstr(buf, (int)bl);
            bl = 0;
        }
        memcpy(buf + bl, out, outl);
        bl += outl;
        used += cw;
        i += (size_t)l;
    }
    if (bl) addnstr(buf, (int)bl);
    return used;
}

/* The first ASCII-case-insensitive occurrence of n (of length nl) in s, or NULL. */
static const char *find_ci(const char *s, const char *n, size_t nl)
{
    for (; *s; s++) {
        size_t k = 0;
        while (k < nl && s[k] && tolower((unsigned char)s[k]) == tolower((unsigned char)n[k])) k++;
        if (k == nl) return s;
    }
    return NULL;
}

int ui_draw_text_hl(int y, int x, int w, const char *s, int elem, const char *needle, int hl_elem)
{
    size_t nl = needle ? strlen(needle) : 0;
    if (!nl || !s) return ui_draw_text(y, x, w, s, elem);
    int used = 0;
    char buf[1024];
    const char *p = s;
    while (*p && used < w) {
        const char *m = find_ci(p, needle, nl);
        size_t plain = m ? (size_t)(m - p) : strlen(p);
        for (int part = 0; part < 2 && used < w; part++) {
            size_t len = part ? (m ? nl : 0) : plain;
            const char *from = part ? m : p;
            if (!len) continue;
            if (len >= sizeof buf) len = sizeof buf - 1;
            memcpy(buf, from, len);
            buf[len] = 0;
            used += ui_draw_text(y, x + used, w - used, buf, part ? hl_elem : elem);
        }
        if (!m) break;
        p = m + nl;
    }
    return used;
}

int ui_draw_text_right(int y, int x, int w, const char *s, int elem)
{
    if (w <= 0 || !s) return 0;
    int tw = text_width(s);
    if (tw > w) tw = w;
    return ui_draw_text(y, x + w - tw, tw, s, elem);
}

void ui_draw_fill(int y, int x, int w, int elem)
{
    if (w <= 0) return;
    move(y, x);
    set_elem(elem);
    static const char spaces[] = "                                                                ";
    while (w > 0) {
        int k = w < (int)sizeof spaces - 1 ? w : (int)sizeof spaces - 1;
        addnstr(spaces, k);
        w -= k;
    }
}

void ui_fmt_count(int64_t n, char *buf, size_t len)
{
    char tmp[32];
    int neg = n < 0;
    unsigned long long v = neg ? (unsigned long long)(-n) : (unsigned long long)n;
    int k = snprintf(tmp, sizeof tmp, "%llu", v);
    char out[48];
    size_t o = 0;
    if (neg) out[o++] = '-';
    for (int i = 0; i < k; i++) {
        if (i && (k - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = 0;
    snprintf(buf, len, "%s", out);
}

static int local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return t >= 0 && localtime_r(&tt, tm) != NULL;
}

void ui_fmt_date(int64_t t, char *buf, size_t n)
{
    struct tm tm;
    if (!n) return;
    if (!local_tm(t, &tm) || strftime(buf, n, "%Y-%m-%d", &tm) == 0) buf[0] = 0;
}

void ui_fmt_datetime(int64_t t, char *buf, size_t n)
{
    struct tm tm;
    if (!n) return;
    if (!local_tm(t, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M", &tm) == 0) buf[0] = 0;
}

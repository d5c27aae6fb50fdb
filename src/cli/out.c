/* SPDX-License-Identifier: ISC */
/* out — what the CLI writes to stdout and stderr passes the one sanitiser on the way out, whatever
 * printed it: titles from the store, file names and values the user gave, a server's messages.
 * Where the stream is a terminal whose locale is not UTF-8, the text is reduced to ASCII as the
 * reader does (draw.c): UTF-8 bytes 0x80..0x9F are C1 controls (8-bit CSI, OSC) to such a
 * terminal.  A pipe keeps UTF-8, so `--json` stays valid JSON for the program reading it.
 *
 * Built on fopencookie: the filtered stream replaces stdout/stderr for the subcommands whose
 * output is text (not thumb, whose output is escape sequences, nor play and the reader, which
 * hand the terminal to mpv and ncurses through the same stdio). */
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

struct out_filter {
    FILE *real;
    int ascii;
    unsigned char tail[4];   /* an incomplete UTF-8 sequence at the end of the last write */
    size_t ntail;
};

static struct out_filter filters[2];
static FILE *filtered[2];

int cli_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

void cli_ascii_into(struct strbuf *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned cp;
        int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += (size_t)l;
        if (cp < 0x80) { sb_addc(out, (char)cp); continue; }
        int w = cp_width(cp);
        if (w == 0) continue;                  /* a combining mark or joiner: drop it */
        sb_adds(out, w == 2 ? "??" : "?");
    }
}

/* How many bytes at the end of buf (n) start a UTF-8 sequence that is not complete yet. */
static size_t incomplete_tail(const unsigned char *buf, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = buf[n - k];
        if ((c & 0xC0) == 0x80) continue;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
    struct out_filter *f = cookie;
    size_t n = f->ntail + size;
    unsigned char *all = xmalloc(n + 1);
    memcpy(all, f->tail, f->ntail);
    memcpy(all + f->ntail, buf, size);
    size_t keep = incomplete_tail(all, n);
    f->ntail = keep;
    memcpy(f->tail, all + n - keep, keep);
    n -= keep;
    /* the layout the CLI made (padding, tabs, blank lines) stays; controls and bad bytes go */
    char *clean = text_sanitize_dup((const char *)all, n, n * 3 + 16,
                                    TEXT_NO_TRIM | TEXT_MULTILINE | TEXT_KEEP_TABS);
    free(all);
    if (f->ascii) {
        struct strbuf b;
        sb_init(&b);
        cli_ascii_into(&b, clean);
        fwrite(b.s ? b.s : "", 1, b.len, f->real);
        sb_free(&b);
    } else {
        fputs(clean, f->real);
    }
    free(clean);
    fflush(f->real);
    return (ssize_t)size;
}

static void filters_flush(void)
{
    for (int k = 0; k < 2; k++)
        if (filtered[k]) fflush(filtered[k]);
}

void cli_filter_output(void)
{
    FILE **std[2] = {&stdout, &stderr};
    int utf8 = cli_locale_utf8();
    for (int k = 0; k < 2; k++) {
        FILE *real = *std[k];
        filters[k].real = real;
        filters[k].ascii = !utf8 && isatty(fileno(real));
        cookie_io_functions_t io = {.write = filter_write};
        FILE *f = fopencookie(&filters[k], "w", io);
        if (!f) continue;
        /* stderr unbuffered would cut messages into pieces; a line at a time keeps them whole */
        setvbuf(f, NULL, (k == 1 || isatty(fileno(real))) ? _IOLBF : _IOFBF, BUFSIZ);
        filtered[k] = f;
        *std[k] = f;
    }
    atexit(filters_flush);
}

void cli_filter_end(void)
{
    FILE **std[2] = {&stdout, &stderr};
    for (int k = 0; k < 2; k++) {
        if (!filtered[k]) continue;
        fflush(filtered[k]);
        *std[k] = filters[k].real;
        fclose(filtered[k]);
        filtered[k] = NULL;
        fflush(filters[k].real);
    }
}

void cli_fputs_clean(const char *s, FILE *to)
{
    char *clean = text_sanitize_dup(s, strlen(s), strlen(s) * 3 + 16, TEXT_NO_TRIM | TEXT_MULTILINE);
    if (!cli_locale_utf8() && isatty(fileno(to))) {
        struct strbuf b;
        sb_init(&b);
        cli_ascii_into(&b, clean);
        fwrite(b.s ? b.s : "", 1, b.len, to);
        sb_free(&b);
    } else {
        fputs(clean, to);
    }
    free(clean);
}

void cli_printf_clean(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    if (s) cli_fputs_clean(s, stdout);
    free(s);
}

const char *cli_col(char *buf, size_t size, const char *s, int cols, int cut)
{
    if (!s) s = "";
    int used = 0;
    size_t n = cut ? text_fit(s, cols, &used) : strlen(s);
    if (!cut) used = text_width(s);
    if (n > size - 1) n = text_fit(s, (int)(size / 4), &used);   /* never reached for the CLI's widths */
    memcpy(buf, s, n);
    while (used < cols && n < size - 1) { buf[n++] = ' '; used++; }
    buf[n] = 0;
    return buf;
}

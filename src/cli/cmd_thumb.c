/* SPDX-License-Identifier: ISC */
/* `winnow thumb FILE|URL`: a picture rendered as terminal cells on standard output — a quick
 * preview, and how the thumbnail engine is tested from a shell. */
#include "cli.h"
#include "fetch.h"
#include "image.h"
#include "thumb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


/* The picture's bytes, never more than a decoder may be shown. */
static int load(struct app *app, const char *src, char **buf, size_t *len, struct error *err)
{
    if (!app_arg_is_url(src)) return read_file(src, IMAGE_MAX_BYTES, buf, len, err);
    /* the user named it on the command line: a file:// URL is theirs to give */
    return app_fetch_one(app, src, IMAGE_MAX_BYTES, 0, 1, buf, len, err);
}

/* Colours from the environment: COLORTERM for 24-bit (ssh does not forward it, so 256 is the
 * default), NO_COLOR for none. */
static enum thumb_colors default_colors(void)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return THUMB_COLORS_NONE;
    const char *ct = getenv("COLORTERM");
    if (ct && (!strcasecmp(ct, "truecolor") || !strcasecmp(ct, "24bit"))) return THUMB_COLORS_DIRECT;
    return THUMB_COLORS_256;
}

static const struct cli_opt thumb_opts[] = {
    {'s', "size", CLI_ARG, "COLSxROWS", 0, "the box the picture is fitted into (40x15)"},
    {'c', "colors", CLI_ARG, "16|256|direct|ascii", 0, "colour depth (direct under COLORTERM=truecolor, "
                                                        "ascii under NO_COLOR, else 256)"},
    {'g', "graphics", CLI_ARG, "sixel|kitty", 0, "pixels instead of coloured cells"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int thumb_exec(struct app *app, const struct cli_args *a)
{
    int cols = 40, rows = 15;
    enum thumb_colors colors = default_colors();
    enum thumb_pixels gfx = THUMB_PIXELS_SYMBOLS;
    const char *val;
    if ((val = cli_get(a, 's'))) {
        char *end;
        long c = strtol(val, &end, 10);
        long r = (*end == 'x' || *end == 'X') ? strtol(end + 1, &end, 10) : -1;
        if (*end || c < 1 || r < 1 || c > 1000 || r > 1000)
            return cli_usage_error("thumb", "--size wants COLSxROWS, e.g. 40x15 (1..1000 each), not \"%s\"", val);
        cols = (int)c;
        rows = (int)r;
    }
    if ((val = cli_get(a, 'c')) && thumb_colors_parse(val, &colors) < 0)
        return cli_usage_error("thumb", "--colors wants 16, 256, direct or ascii, not \"%s\"", val);
    if ((val = cli_get(a, 'g')) &&
        (thumb_pixels_parse(val, &gfx) < 0 || (gfx != THUMB_PIXELS_SIXEL && gfx != THUMB_PIXELS_KITTY)))
        return cli_usage_error("thumb", "--graphics wants sixel or kitty, not \"%s\"", val);
    if (a->argc > 1)
        return cli_usage_error("thumb", "one picture at a time (got \"%s\" and \"%s\")", a->argv[0], a->argv[1]);
    if (!a->argc) return cli_usage_error("thumb", "which picture? give a FILE or URL");
    const char *src = a->argv[0];

    struct thumb_opts o;
    thumb_opts_default(&o, cols, rows);
    o.colors = colors;
    /* one picture, not a page of them: the finer glyphs are worth their cost here */
    o.fine = 1;
    /* "ascii" means plain characters: no colour and no symbol outside ASCII */
    if (colors == THUMB_COLORS_NONE) o.ascii = 1;
    if (isatty(STDOUT_FILENO)) thumb_cell_size(STDOUT_FILENO, &o.cell_w, &o.cell_h);

    struct error err;
    error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    if (load(app, src, &buf, &len, &err) < 0) {
        cli_error("thumb: %s", err.msg);
        return 1;
    }
    int max_w, max_h;
    thumb_pixel_box(&o, &max_w, &max_h);
    if (gfx != THUMB_PIXELS_SYMBOLS) {
        /* pixels want the real pixel size of the box; the cell size is a guess when unknown */
        int cw = o.cell_w > 1 ? o.cell_w : 10, ch = o.cell_h > 2 ? o.cell_h : 20;
        max_w = cols * cw;
        max_h = rows * ch;
    }
    struct image img;
    if (image_decode(buf, len, max_w, max_h, &img, &err) < 0) {
        cli_error("thumb: %s: %s", src, err.msg);
        free(buf);
        return 1;
    }
    free(buf);
    int rc = 0;
    if (gfx != THUMB_PIXELS_SYMBOLS) {
        struct strbuf sb;
        sb_init(&sb);
        int gc, gr;
        if (o.cell_w <= 1 || o.cell_h <= 2) o.cell_w = o.cell_h = 0;
        if (thumb_render_graphics(&img, &o, gfx, &sb, &gc, &gr, &err) < 0) {
            cli_error("thumb: %s: %s", src, err.msg);
            rc = 1;
        } else {
            fwrite(sb.s, 1, sb.len, stdout);
            fputc('\n', stdout);
        }
        sb_free(&sb);
    } else {
        struct thumb t;
        if (thumb_render(&img, &o, &t, &err) < 0) {
            cli_error("thumb: %s: %s", src, err.msg);
            rc = 1;
        } else {
            if (thumb_print_ansi(stdout, &t) < 0) rc = 1;
            thumb_free(&t);
        }
    }
    image_free(&img);
    if (fflush(stdout) != 0) rc = 1;
    return rc;
}

const struct cli_cmd_entry cli_thumb_entry = {
    .name = "thumb",
    .operands = "FILE|URL",
    .operands_first = 1,
    .summary = "print a picture as a terminal thumbnail",
    .opts = thumb_opts,
    .help = "Decodes a JPEG, PNG, WebP, GIF or AVIF (chosen by its bytes) from a file or URL and prints\n"
            "it as coloured cells fitted into COLSxROWS (default 40x15).  --colors: direct (24-bit; the\n"
            "default when COLORTERM says truecolor), 256 (the default), 16, or ascii (plain characters,\n"
            "the default under NO_COLOR).  --graphics prints sixel or kitty pixels instead.\n",
    .needs = CLI_NEEDS_CONFIG,
    .raw_output = 1,
    .exec = thumb_exec,
};

/* SPDX-License-Identifier: ISC */
/* GIF through giflib: the first frame only, read record by record and line by line so that an
 * animation's later frames are never decoded (DGifSlurp would decode them all). */
#include "image_int.h"

#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

struct gsrc {
    const uint8_t *buf;
    size_t len, pos;
    int short_read;
};

static int gif_read(GifFileType *g, GifByteType *dst, int n)
{
    struct gsrc *s = g->UserData;
    if (n <= 0) return 0;
    size_t left = s->len - s->pos;
    if ((size_t)n > left) {
        s->short_read = 1;
        n = (int)left;
    }
    memcpy(dst, s->buf + s->pos, (size_t)n);
    s->pos += (size_t)n;
    return n;
}

static int gif_fail(GifFileType *g, const struct gsrc *s, int code, struct error *err)
{
    if (s->short_read) error_set(err, "GIF: truncated data");
    else {
        const char *m = GifErrorString(g ? g->Error : code);
        error_set(err, "GIF: %s", m ? m : "cannot decode");
    }
    return -1;
}

/* One canvas row: transparent outside the frame, palette colours inside. */
static void compose_row(uint8_t *dst, int cw, int left, int fw, const GifPixelType *idx,
                        const ColorMapObject *map, int transparent)
{
    memset(dst, 0, (size_t)cw * 4);
    if (!idx) return;
    uint8_t *p = dst + (size_t)left * 4;
    for (int x = 0; x < fw; x++, p += 4) {
        int c = idx[x];
        if (c == transparent || c >= map->ColorCount) continue;
        p[0] = map->Colors[c].Red;
        p[1] = map->Colors[c].Green;
        p[2] = map->Colors[c].Blue;
        p[3] = 255;
    }
}

static int read_frame(GifFileType *g, struct gsrc *s, int transparent, int max_w, int max_h,
                      struct image *out, struct error *err)
{
    if (DGifGetImageDesc(g) == GIF_ERROR) return gif_fail(g, s, 0, err);
    const GifImageDesc *d = &g->Image;
    if (img_check_size("GIF frame", (unsigned long)d->Width, (unsigned long)d->Height, IMAGE_MAX_PIXELS,
                       err) < 0)
        return -1;
    const ColorMapObject *map = d->ColorMap ? d->ColorMap : g->SColorMap;
    if (!map || map->ColorCount <= 0) {
        error_set(err, "GIF: no colour table");
        return -1;
    }
    int fw = d->Width, fh = d->Height, left = d->Left, top = d->Top;
    int cw = g->SWidth, ch = g->SHeight;
    /* a frame that spills out of the logical screen is shown on its own */
    if (cw <= 0 || ch <= 0 || left < 0 || top < 0 || left > cw - fw || top > ch - fh) {
        cw = fw;
        ch = fh;
        left = top = 0;
    }
    if (img_check_size("GIF", (unsigned long)cw, (unsigned long)ch, IMAGE_MAX_PIXELS, err) < 0) return -1;
    out->src_w = cw;
    out->src_h = ch;

    struct img_scaler sc;
    if (img_scaler_init(&sc, cw, ch, max_w, max_h, err) < 0) return -1;
    GifPixelType *line = NULL, *frame = NULL;
    if (d->Interlace) {
        /* rows arrive in four passes; hold the frame's palette indices until all are in */
        if (img_check_size("interlaced GIF", (unsigned long)fw, (unsigned long)fh,
                           IMAGE_MAX_INTERLACED_PIXELS, err) < 0)
            goto fail;
        frame = malloc((size_t)fw * fh);
        if (!frame) {
            error_set(err, "GIF: out of memory");
            goto fail;
        }
        static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        for (int p = 0; p < 4; p++)
            for (int y = start[p]; y < fh; y += step[p])
                if (DGifGetLine(g, frame + (size_t)y * fw, fw) == GIF_ERROR) {
                    gif_fail(g, s, 0, err);
                    goto fail;
                }
    } else {
        line = malloc((size_t)fw);
        if (!line) {
            error_set(err, "GIF: out of memory");
            goto fail;
        }
    }
    for (int y = 0; y < ch; y++) {
        const GifPixelType *idx = NULL;
        if (y >= top && y < top + fh) {
            if (frame) idx = frame + (size_t)(y - top) * fw;
            else {
                if (DGifGetLine(g, line, fw) == GIF_ERROR) {
                    gif_fail(g, s, 0, err);
                    goto fail;
                }
                idx = line;
            }
        }
        compose_row(img_scaler_row(&sc, y), cw, left, fw, idx, map, transparent);
        img_scaler_push(&sc, y);
    }
    free(line);
    free(frame);
    img_scaler_finish(&sc, out);
    return 0;
fail:
    free(line);
    free(frame);
    img_scaler_free(&sc);
    return -1;
}

int img_decode_gif(const uint8_t *buf, size_t len, int max_w, int max_h, struct image *out,
                   struct error *err)
{
    struct gsrc s = {buf, len, 0, 0};
    int code = 0;
    GifFileType *g = DGifOpen(&s, gif_read, &code);
    if (!g) return gif_fail(NULL, &s, code, err);
    /* a zero screen size is tolerated (the frame's own size is used), a huge one is not */
    if (g->SWidth > 0 && g->SHeight > 0 &&
        img_check_size("GIF", (unsigned long)g->SWidth, (unsigned long)g->SHeight, IMAGE_MAX_PIXELS,
                       err) < 0) {
        DGifCloseFile(g, &code);
        return -1;
    }
    int transparent = -1, rc = -1;
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(g, &type) == GIF_ERROR) {
            rc = gif_fail(g, &s, 0, err);
            break;
        }
        if (type == IMAGE_DESC_RECORD_TYPE) {
            rc = read_frame(g, &s, transparent, max_w, max_h, out, err);
            break;
        }
        if (type == EXTENSION_RECORD_TYPE) {
            int ext_code;
            GifByteType *ext = NULL;
            if (DGifGetExtension(g, &ext_code, &ext) == GIF_ERROR) {
                rc = gif_fail(g, &s, 0, err);
                break;
            }
            if (ext_code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4) {
                GraphicsControlBlock gcb;
                if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
            }
            while (ext) {
                if (DGifGetExtensionNext(g, &ext) == GIF_ERROR) {
                    rc = gif_fail(g, &s, 0, err);
                    goto done;
                }
            }
            continue;
        }
        if (type == TERMINATE_RECORD_TYPE) {
            error_set(err, "GIF: no image in the file");
            break;
        }
        error_set(err, "GIF: unexpected record");
        break;
    }
done:
    DGifCloseFile(g, &code);
    return rc;
}

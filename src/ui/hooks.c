/* hooks — where the provenance engine meets the reader: the two badge cells at the front of every
 * item row, the detail view's provenance section, and the hide/only curation test.  The badge of
 * an item folds its platform signals with whatever media scan the reader has for its thumbnail or
 * media head (thumbs.c keeps those), under the user's rules.
 *
 * Building a badge parses the item's extra JSON and labels, which is too much to redo for every
 * row of every frame (a key repeat redraws 30 times a second), so the cells are cached by item id;
 * a new scan or new rules bump a generation number that invalidates them all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov.h"
#include "ui.h"
#include "ui_int.h"

static struct {
    const struct prov_rules *rules;
    ui_scan_lookup_fn lookup;
    void *user;
    unsigned gen;
    int ascii;
    int hide_ai;
} ctx;

#define BADGE_SLOTS 512   /* several pages of rows; direct-mapped by item id */

struct badge_slot {
    int64_t id;
    unsigned gen;
    int ascii, elem;
    char cells[2][8];
};
static struct badge_slot *slots;

void ui_hooks_set(const struct prov_rules *rules, ui_scan_lookup_fn lookup, void *user, int ascii)
{
    ctx.ascii = ascii;
    ctx.rules = rules;
    ctx.lookup = lookup;
    ctx.user = user;
    ctx.gen++;
    if (!rules && !lookup) {
        free(slots);
        slots = NULL;
    }
}

void ui_hooks_changed(void) { ctx.gen++; }

unsigned ui_hooks_generation(void) { return ctx.gen; }

static void badge_of(const struct item *it, struct prov_badge *b)
{
    const struct prov_media *m = ctx.lookup ? ctx.lookup(it, ctx.user) : NULL;
    prov_badge_for_item(b, it, m, ctx.rules);
}

static int elem_of(int severity, const struct prov_cell c[2])
{
    if (severity >= 3) return EL_BADGE_BAD;
    if (severity == 2) return EL_BADGE_WARN;
    if (severity == 1 && (c[0].style == PROV_STYLE_TRUSTED || c[0].style == PROV_STYLE_VALID ||
                          c[1].style == PROV_STYLE_CAPTURE))
        return EL_BADGE_GOOD;
    return EL_BADGE;
}

void ui_badge_cells(const struct item *it, int ascii, char out[2][8], int *elem)
{
    struct badge_slot *s = NULL;
    if (it->id > 0) {
        if (!slots) slots = xcalloc(BADGE_SLOTS, sizeof *slots);
        s = &slots[(uint64_t)it->id % BADGE_SLOTS];
        if (s->id == it->id && s->gen == ctx.gen && s->ascii == ascii) {
            memcpy(out, s->cells, sizeof s->cells);
            *elem = s->elem;
            return;
        }
    }
    struct prov_badge *b = xmalloc(sizeof *b);   /* a few KB: not for the stack of a draw */
    badge_of(it, b);
    struct prov_cell c[2];
    int sev = prov_badge_cells(b, ascii, c);
    free(b);
    snprintf(out[0], 8, "%s", c[0].glyph);
    snprintf(out[1], 8, "%s", c[1].glyph);
    *elem = elem_of(sev, c);
    if (s) {
        s->id = it->id;
        s->gen = ctx.gen;
        s->ascii = ascii;
        s->elem = *elem;
        memcpy(s->cells, out, sizeof s->cells);
    }
}

void ui_provenance_lines(const struct item *it, struct strbuf *out)
{
    struct prov_badge *b = xmalloc(sizeof *b);
    badge_of(it, b);
    prov_badge_lines(b, ctx.ascii, out);
    if (b->has_media && b->media.head_only) sb_adds(out, "          (scanned the first MiBs of the media)\n");
    free(b);
}

void ui_hooks_hide_ai(int on) { ctx.hide_ai = on; }

int ui_prov_allow(const struct item *it)
{
    if (!ctx.rules && !ctx.hide_ai) return 1;
    struct prov_badge *b = xmalloc(sizeof *b);
    badge_of(it, b);
    int ok = !(ctx.hide_ai && prov_filter_hit(b, "ai") == 1) && prov_rules_allow(ctx.rules, b);
    free(b);
    return ok;
}

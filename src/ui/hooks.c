/* SPDX-License-Identifier: ISC */
/* hooks — where the stored provenance verdicts meet the reader: the two badge cells at the front
 * of every item row and the detail view's provenance section.  Everything is asked of the session
 * (app_badge_*), which builds the badge from what the store says and caches the cells per item;
 * the reader only maps a badge's tone to theme colours. */
#include <string.h>

#include "ui.h"
#include "ui_int.h"

void ui_badge_cells(struct ui *u, const struct item *it, char out[2][8], int *elem)
{
    switch (app_badge_cells(u->app, it, u->ascii, out)) {
    case APP_TONE_BAD: *elem = EL_BADGE_BAD; break;
    case APP_TONE_WARN: *elem = EL_BADGE_WARN; break;
    case APP_TONE_GOOD: *elem = EL_BADGE_GOOD; break;
    default: *elem = EL_BADGE; break;
    }
}

void ui_provenance_lines(struct ui *u, const struct item *it, struct strbuf *out)
{
    app_badge_lines(u->app, it, u->ascii, out);
}

unsigned ui_prov_generation(struct ui *u) { return app_prov_generation(u->app); }

int ui_item_withheld(struct ui *u, const struct item *it)
{
    return u->app->cfg.sensitive_media != CONFIG_SENSITIVE_SHOW && app_item_sensitive(u->app, it, NULL, 0);
}

/* hooks — the parts of the reader later features fill in, kept in one place so each is one
 * function to replace: the two badge cells at the front of every item row (provenance) and the
 * detail view's provenance section.  Until then they hold placeholders of the right size. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

void ui_badge_cells(const struct item *it, int ascii, char out[2][8], int *elem)
{
    (void)it;
    snprintf(out[0], 8, "%s", ascii ? "." : "\xC2\xB7");
    snprintf(out[1], 8, "%s", ascii ? "." : "\xC2\xB7");
    *elem = EL_BADGE;
}

void ui_provenance_lines(const struct item *it, struct strbuf *out)
{
    (void)it;
    sb_adds(out, "Not checked yet: provenance signals (platform labels, C2PA and IPTC metadata) "
                 "arrive with the provenance engine.\n");
}

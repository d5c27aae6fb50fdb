/* SPDX-License-Identifier: ISC */
/* prompt — the one-line editor on the message line: search (incremental), filter, a link to
 * follow, and y/n questions.  What the text means is decided in ui.c; this file only edits it. */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ui_int.h"

void ui_prompt_open(struct ui *u, enum prompt_kind kind, const char *label, const char *initial)
{
    struct prompt *p = &u->prompt;
    p->kind = kind;
    snprintf(p->label, sizeof p->label, "%s", label);
    snprintf(p->text, sizeof p->text, "%s", initial ? initial : "");
    p->len = strlen(p->text);
    p->note[0] = 0;
    u->msg[0] = 0;
    if (kind != PR_CONFIRM) curs_set(1);
}

static void drop_last_char(struct prompt *p)
{
    while (p->len > 0) {
        unsigned char c = (unsigned char)p->text[--p->len];
        if ((c & 0xC0) != 0x80) break;   /* stop at the first byte of a UTF-8 sequence */
    }
    p->text[p->len] = 0;
}

/* Returns 1 when the key was an editing key (the text may have changed). */
int ui_prompt_key(struct ui *u, int key)
{
    struct prompt *p = &u->prompt;
    key = ui_key_normalise(key);
    if (key == UI_KEY_FN + KEY_BACKSPACE) {
        drop_last_char(p);
        return 1;
    }
    if (key == 21) {   /* ^U */
        p->len = 0;
        p->text[0] = 0;
        return 1;
    }
    if (key == 23) {   /* ^W: the last word and the spaces before it */
        while (p->len > 0 && p->text[p->len - 1] == ' ') p->text[--p->len] = 0;
        while (p->len > 0 && p->text[p->len - 1] != ' ') drop_last_char(p);
        return 1;
    }
    /* printable characters only: a pasted control never enters the text */
    if (key >= 0x20 && key < UI_KEY_FN && key != 0x7F && !(key >= 0x80 && key < 0xA0)) {
        char enc[8];
        int l = utf8_encode((unsigned)key, enc);
        if (p->len + (size_t)l < sizeof p->text) {
            memcpy(p->text + p->len, enc, (size_t)l);
            p->len += (size_t)l;
            p->text[p->len] = 0;
        }
        return 1;
    }
    return 0;
}

void ui_prompt_draw(struct ui *u, int y, int w)
{
    struct prompt *p = &u->prompt;
    ui_draw_fill(y, 0, w, EL_NORMAL);
    int nw = p->note[0] ? ui_draw_text_right(y, 0, w - 1, p->note, EL_ERROR) + 2 : 0;
    w -= nw;
    int x = ui_draw_text(y, 0, w, p->label, EL_PROMPT);
    /* show the end of a long text: that is where the typing happens */
    const char *t = p->text;
    int room = w - x - 1;
    while (room > 0 && text_width(t) > room) {
        unsigned cp;
        t += utf8_decode((const unsigned char *)t, strlen(t), &cp);
    }
    x += ui_draw_text(y, x, room, t, EL_NORMAL);
    move(y, x < w ? x : w - 1);
}

/* SPDX-License-Identifier: ISC */
/* keymap — the reader's actions, their default keys, key names for `bind KEY ACTION` lines, and
 * the help view, which is generated from the live keymap so it can never disagree with it. */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "ui.h"

static const struct ui_action_info actions[ACT__COUNT] = {
    [ACT_NONE] = {"none", "", "unbinds the key"},
    [ACT_DOWN] = {"down", "Moving", "next line (a count moves that many: 5j)"},
    [ACT_UP] = {"up", "Moving", "previous line"},
    [ACT_PAGE_DOWN] = {"page-down", "Moving", "next page"},
    [ACT_PAGE_UP] = {"page-up", "Moving", "previous page"},
    [ACT_HALF_DOWN] = {"half-page-down", "Moving", "half a page down"},
    [ACT_HALF_UP] = {"half-page-up", "Moving", "half a page up"},
    [ACT_TOP] = {"top", "Moving", "first line"},
    [ACT_BOTTOM] = {"bottom", "Moving", "last line (with a count: that line, 25G)"},
    [ACT_OPEN] = {"open", "Views", "open the feed or item under the cursor; in a clip's detail, play it"},
    [ACT_BACK] = {"back", "Views", "back to the previous view"},
    [ACT_QUIT] = {"quit", "Views", "back; quits from the first view"},
    [ACT_QUIT_NOW] = {"quit-now", "Views", "quit from anywhere"},
    [ACT_NEXT_ITEM] = {"next-item", "Views", "detail: show the next item"},
    [ACT_PREV_ITEM] = {"prev-item", "Views", "detail: show the previous item"},
    [ACT_FEEDS] = {"feeds", "Views", "the feeds, with counts, tags and errors"},
    [ACT_RIVER] = {"all-items", "Views", "all items of all feeds, newest first"},
    [ACT_ERRORS] = {"errors", "Views", "the failures of the last refresh"},
    [ACT_HELP] = {"help", "Views", "this help"},
    [ACT_SEARCH] = {"search", "Finding", "search titles, summaries and categories as you type: words where they start (\"snake_ca\" finds snake_case)"},
    [ACT_SEARCH_NEXT] = {"search-next", "Finding", "next match"},
    [ACT_SEARCH_PREV] = {"search-prev", "Finding", "previous match"},
    [ACT_FILTER] = {"filter", "Finding", "show only items with words starting so, or category:NAME (empty: all)"},
    [ACT_TOGGLE_UNREAD] = {"toggle-unread", "Finding", "show only unread items, or all"},
    [ACT_TOGGLE_HIDE_AI] = {"toggle-hide-ai", "Finding", "hide items declared or labelled AI-made "
                                                         "(generated, edited, synthetic), or show them"},
    [ACT_OPEN_LINK] = {"open-link", "Items", "open the link with open-command (3o: link 3)"},
    [ACT_COPY_LINK] = {"copy-link", "Items", "copy the link to the clipboard (OSC 52; 3y: link 3)"},
    [ACT_TOGGLE_READ] = {"toggle-read", "Items", "mark read / unread"},
    [ACT_TOGGLE_STAR] = {"toggle-star", "Items", "star / unstar"},
    [ACT_MARK_ALL_READ] = {"mark-all-read", "Items", "mark every item of this view's feeds read"},
    [ACT_SHOW_ERROR] = {"show-error", "Feeds", "show the last error of the feed"},
    [ACT_REFRESH] = {"refresh", "Feeds", "refresh this feed"},
    [ACT_REFRESH_ALL] = {"refresh-all", "Feeds", "refresh all feeds (typing never waits)"},
    [ACT_ADD_LINK] = {"add-link", "Feeds", "paste a single link to follow"},
    [ACT_CYCLE_THEME] = {"cycle-theme", "Other", "switch to the next theme"},
    [ACT_REDRAW] = {"redraw", "Other", "repaint the whole screen"},
    [ACT_REVEAL] = {"reveal", "Views", "in the detail: show a picture marked sensitive, or text behind a content warning"},
    [ACT_TOGGLE_LAYOUT] = {"toggle-layout", "Other", "items as a list, rows with thumbnails, or a grid of cards"},
    [ACT_LISTS] = {"lists", "Lists", "your lists with their counts (Enter opens one, p plays it)"},
    [ACT_LIST_ADD] = {"add-to-list", "Lists", "add the item (or the selection) to the last-used list"},
    [ACT_LIST_PICK] = {"pick-list", "Lists", "add to a list picked by typing its name, or to a new list"},
    [ACT_LIST_REMOVE] = {"remove", "Lists", "remove from the list shown; in the lists view delete a list"},
    [ACT_MOVE_UP] = {"move-up", "Lists", "move the item one place up in the list shown"},
    [ACT_MOVE_DOWN] = {"move-down", "Lists", "move the item one place down in the list shown"},
    [ACT_SELECT] = {"select", "Lists", "select / unselect the item: a, A, d, s, m, p then act on all "
                                       "(pages elsewhere)"},
    [ACT_SELECT_RANGE] = {"select-range", "Lists", "select every item the cursor passes, until pressed again"},
    [ACT_UNDO] = {"undo", "Lists", "undo the last list change, star or read mark"},
    [ACT_PLAY] = {"play", "Playback", "play the item's media, the selection or a list (q in mpv returns)"},
    [ACT_TOGGLE_PRESET] = {"toggle-preset", "Playback", "terminal video for the next playback: full or "
                                                         "low-bandwidth (SSH)"},
};

static const struct { const char *key; int action; } defaults[] = {
    {"j", ACT_DOWN}, {"Down", ACT_DOWN}, {"^N", ACT_DOWN},
    {"k", ACT_UP}, {"Up", ACT_UP}, {"^P", ACT_UP},
    {"PgDn", ACT_PAGE_DOWN}, {"^F", ACT_PAGE_DOWN},
    {"PgUp", ACT_PAGE_UP}, {"^B", ACT_PAGE_UP},
    {"^D", ACT_HALF_DOWN}, {"^U", ACT_HALF_UP},
    {"g", ACT_TOP}, {"Home", ACT_TOP}, {"G", ACT_BOTTOM}, {"End", ACT_BOTTOM},
    {"Enter", ACT_OPEN}, {"l", ACT_OPEN}, {"Right", ACT_OPEN},
    {"h", ACT_BACK}, {"Left", ACT_BACK}, {"Esc", ACT_BACK}, {"Backspace", ACT_BACK},
    {"q", ACT_QUIT}, {"Q", ACT_QUIT_NOW},
    {"J", ACT_NEXT_ITEM}, {"K", ACT_PREV_ITEM},
    {"F", ACT_FEEDS}, {"i", ACT_RIVER}, {"E", ACT_ERRORS}, {"?", ACT_HELP}, {"F1", ACT_HELP},
    {"/", ACT_SEARCH}, {"n", ACT_SEARCH_NEXT}, {"N", ACT_SEARCH_PREV}, {"f", ACT_FILTER},
    {"U", ACT_TOGGLE_UNREAD}, {"H", ACT_TOGGLE_HIDE_AI},
    {"o", ACT_OPEN_LINK}, {"y", ACT_COPY_LINK}, {"m", ACT_TOGGLE_READ}, {"s", ACT_TOGGLE_STAR},
    {"M", ACT_MARK_ALL_READ},
    {"e", ACT_SHOW_ERROR}, {"r", ACT_REFRESH}, {"R", ACT_REFRESH_ALL}, {"L", ACT_ADD_LINK},
    {"x", ACT_REVEAL}, {"T", ACT_CYCLE_THEME}, {"^L", ACT_REDRAW}, {"v", ACT_TOGGLE_LAYOUT},
    {"W", ACT_LISTS}, {"a", ACT_LIST_ADD}, {"A", ACT_LIST_PICK}, {"d", ACT_LIST_REMOVE},
    {"Delete", ACT_LIST_REMOVE}, {"-", ACT_MOVE_UP}, {"+", ACT_MOVE_DOWN}, {"Space", ACT_SELECT},
    {"V", ACT_SELECT_RANGE}, {"u", ACT_UNDO}, {"p", ACT_PLAY}, {"P", ACT_TOGGLE_PRESET},
};

static const struct { const char *name; int key; } names[] = {
    {"Enter", '\n'}, {"Return", '\n'}, {"Esc", 27}, {"Escape", 27}, {"Space", ' '}, {"Tab", '\t'},
    {"BackTab", UI_KEY_FN + KEY_BTAB}, {"Backspace", UI_KEY_FN + KEY_BACKSPACE},
    {"BS", UI_KEY_FN + KEY_BACKSPACE},
    {"Up", UI_KEY_FN + KEY_UP}, {"Down", UI_KEY_FN + KEY_DOWN}, {"Left", UI_KEY_FN + KEY_LEFT},
    {"Right", UI_KEY_FN + KEY_RIGHT}, {"PgUp", UI_KEY_FN + KEY_PPAGE},
    {"PageUp", UI_KEY_FN + KEY_PPAGE}, {"PgDn", UI_KEY_FN + KEY_NPAGE},
    {"PageDown", UI_KEY_FN + KEY_NPAGE}, {"Home", UI_KEY_FN + KEY_HOME},
    {"End", UI_KEY_FN + KEY_END}, {"Insert", UI_KEY_FN + KEY_IC}, {"Ins", UI_KEY_FN + KEY_IC},
    {"Delete", UI_KEY_FN + KEY_DC}, {"Del", UI_KEY_FN + KEY_DC},
};

const struct ui_action_info *ui_action_info(int action)
{
    if (action < 0 || action >= ACT__COUNT) return &actions[ACT_NONE];
    return &actions[action];
}

int ui_action_by_name(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < ACT__COUNT; i++)
        if (!strcmp(actions[i].name, name)) return i;
    return -1;
}

int ui_key_normalise(int key)
{
    if (key == '\r' || key == UI_KEY_FN + KEY_ENTER) return '\n';
    if (key == 127 || key == 8) return UI_KEY_FN + KEY_BACKSPACE;
    return key;
}

int ui_key_parse(const char *name)
{
    if (!name || !*name) return -1;
    size_t len = strlen(name);
    unsigned cp;
    int l = utf8_decode((const unsigned char *)name, len, &cp);
    if ((size_t)l == len) {
        /* one character: printable only, so a bind line cannot smuggle a control in */
        if (cp < 0x21 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFD) return -1;
        return (int)cp;
    }
    if (len == 2 && name[0] == '^') {
        int c = toupper((unsigned char)name[1]);
        if (c >= 'A' && c <= 'Z') return c - 'A' + 1;
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(names[i].name, name)) return names[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && len <= 3) {
        int n = 0;
        for (size_t i = 1; i < len; i++) {
            if (!isdigit((unsigned char)name[i])) return -1;
            n = n * 10 + (name[i] - '0');
        }
        if (n >= 1 && n <= 12) return UI_KEY_FN + KEY_F(n);
    }
    return -1;
}

void ui_key_name(int key, char *buf, size_t n)
{
    if (!n) return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].key == key) {
            snprintf(buf, n, "%s", names[i].name);
            return;
        }
    if (key >= UI_KEY_FN + KEY_F(1) && key <= UI_KEY_FN + KEY_F(12)) {
        snprintf(buf, n, "F%d", key - UI_KEY_FN - KEY_F(0));
        return;
    }
    if (key >= 1 && key <= 26) {
        snprintf(buf, n, "^%c", 'A' + key - 1);
        return;
    }
    if (key > 0x20 && key < UI_KEY_FN && !(key >= 0x7F && key < 0xA0)) {
        char u[8];
        int l = utf8_encode((unsigned)key, u);
        u[l] = 0;
        snprintf(buf, n, "%s", u);
        return;
    }
    snprintf(buf, n, "<%d>", key);
}

void keymap_bind(struct keymap *km, int key, int action)
{
    key = ui_key_normalise(key);
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key == key) {
            if (action == ACT_NONE) km->b[i] = km->b[--km->n];
            else km->b[i].action = action;
            return;
        }
    if (action == ACT_NONE || km->n >= UI_KEYMAP_MAX) return;
    km->b[km->n].key = key;
    km->b[km->n].action = action;
    km->n++;
}

void keymap_defaults(struct keymap *km)
{
    km->n = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        keymap_bind(km, ui_key_parse(defaults[i].key), defaults[i].action);
}

int keymap_apply_config(struct keymap *km, const struct config *c, const char *cfgname, struct error *err)
{
    for (size_t i = 0; i < c->n_binds; i++) {
        const struct config_bind *b = &c->binds[i];
        int key = ui_key_parse(b->key);
        if (key < 0) {
            error_set(err, "%s:%d: unknown key \"%s\" (a character, ^X, Enter, Esc, Space, Tab, "
                      "PgUp, PgDn, Up, F1 ...)", cfgname, b->line, b->key);
            return -1;
        }
        int act = ui_action_by_name(b->action);
        if (act < 0) {
            struct strbuf names;
            sb_init(&names);
            for (int a = 0; a < ACT__COUNT; a++) sb_printf(&names, "%s%s", names.len ? ", " : "", actions[a].name);
            error_set(err, "%s:%d: unknown action \"%s\" (the actions: %s)", cfgname, b->line, b->action, names.s);
            sb_free(&names);
            return -1;
        }
        keymap_bind(km, key, act);
    }
    return 0;
}

int keymap_lookup(const struct keymap *km, int key)
{
    key = ui_key_normalise(key);
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key == key) return km->b[i].action;
    return ACT_NONE;
}

/* Keys in a stable order: the defaults' order first (so "j, Down" rather than "Down, j"), then
 * the rest as bound. */
void keymap_keys_for(const struct keymap *km, int action, char *buf, size_t n)
{
    if (!n) return;
    buf[0] = 0;
    size_t used = 0;
    int listed[UI_KEYMAP_MAX];
    size_t nl = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t count = pass == 0 ? sizeof defaults / sizeof defaults[0] : km->n;
        for (size_t i = 0; i < count; i++) {
            int key = pass == 0 ? ui_key_normalise(ui_key_parse(defaults[i].key)) : km->b[i].key;
            if (keymap_lookup(km, key) != action) continue;
            int dup = 0;
            for (size_t k = 0; k < nl; k++) dup |= listed[k] == key;
            if (dup || nl >= UI_KEYMAP_MAX) continue;
            listed[nl++] = key;
            char name[32];
            ui_key_name(key, name, sizeof name);
            int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
            if (w < 0 || (size_t)w >= n - used) return;
            used += (size_t)w;
        }
    }
}

void keymap_help(const struct keymap *km, struct strbuf *out)
{
    const char *group = NULL;
    for (int a = 1; a < ACT__COUNT; a++) {
        if (!group || strcmp(group, actions[a].group) != 0) {
            group = actions[a].group;
            sb_printf(out, "%s#%s\n", a == 1 ? "" : "\n", group);
        }
        char keys[160];
        keymap_keys_for(km, a, keys, sizeof keys);
        /* the TAB lets the help view colour the keys; it reads as spaces anywhere else */
        sb_printf(out, "%s\t%-16s %s\n", keys[0] ? keys : "-", actions[a].name, actions[a].help);
    }
    sb_adds(out, "\n#Prompts\n"
                 "Enter accepts, Esc cancels, Backspace and ^W delete, ^U clears the line.\n"
                 "\n#Config\n"
                 "bind KEY ACTION in the config file rebinds a key; bind KEY none unbinds it.\n"
                 "A number before a key repeats or aims it: 5j, 25G, 3o.\n");
}

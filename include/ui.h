/* SPDX-License-Identifier: ISC */
/* ui — the reader's terminal face (ncursesw), built on the app API.  This header is the part of
 * the UI other modules and the unit tests see: the keymap (actions, key names, `bind` lines, the
 * help text), the themes (file parser, colour mapping), the escape sequences winnow writes itself
 * (OSC 52, OSC 8).  Badge cells and provenance lines are the session's (app_badge_*).
 * ui_run itself is declared in cli.h: it is the face `winnow` opens without a subcommand. */
#ifndef WINNOW_UI_H
#define WINNOW_UI_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "item.h"
#include "util.h"

/* ---- keymap ------------------------------------------------------------------------------- */

/* Every action a key can be bound to.  The order is the order of the help view. */
enum ui_action {
    ACT_NONE = 0,
    ACT_DOWN, ACT_UP, ACT_PAGE_DOWN, ACT_PAGE_UP, ACT_HALF_DOWN, ACT_HALF_UP, ACT_TOP, ACT_BOTTOM,
    ACT_OPEN, ACT_BACK, ACT_QUIT, ACT_QUIT_NOW,
    ACT_NEXT_ITEM, ACT_PREV_ITEM,
    ACT_FEEDS, ACT_RIVER, ACT_ERRORS, ACT_HELP,
    ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SEARCH_PREV, ACT_FILTER, ACT_TOGGLE_UNREAD, ACT_TOGGLE_HIDE_AI,
    ACT_OPEN_LINK, ACT_COPY_LINK, ACT_TOGGLE_READ, ACT_TOGGLE_STAR, ACT_MARK_ALL_READ,
    ACT_SHOW_ERROR, ACT_REFRESH, ACT_REFRESH_ALL, ACT_ADD_LINK,
    ACT_CYCLE_THEME, ACT_REDRAW,
    ACT_TOGGLE_LAYOUT,
    ACT_LISTS, ACT_LIST_ADD, ACT_LIST_PICK, ACT_LIST_REMOVE, ACT_MOVE_UP, ACT_MOVE_DOWN,
    ACT_SELECT, ACT_SELECT_RANGE, ACT_UNDO,
    ACT_PLAY, ACT_TOGGLE_PRESET,
    ACT_REVEAL,
    ACT__COUNT
};

struct ui_action_info {
    const char *name;        /* as written in `bind KEY NAME` */
    const char *group;       /* heading in the help view */
    const char *help;        /* one line */
};

/* The table entry of an action (ACT_NONE gives "none": `bind KEY none` unbinds KEY). */
const struct ui_action_info *ui_action_info(int action);
/* The action with that name, or -1. */
int ui_action_by_name(const char *name);

/* Keys are Unicode code points for characters (Enter is '\n', Esc 27, ^A..^Z 1..26) and
 * UI_KEY_FN + an ncurses KEY_* code for function keys, so the two ranges never collide. */
#define UI_KEY_FN 0x200000
/* Parses a key name: a single character ("j", "G", "é"), "^R", or a name (Enter, Esc, Space,
 * Tab, BackTab, Backspace, Up, Down, Left, Right, PgUp, PgDn, Home, End, Insert, Delete,
 * F1..F12; names are case-insensitive).  Returns the key, or -1. */
int ui_key_parse(const char *name);
/* The key's name as ui_key_parse reads it back ("j", "^R", "PgDn"). */
void ui_key_name(int key, char *buf, size_t n);
/* Folds the spellings terminals send for one key (CR and KEY_ENTER are Enter, DEL and ^H are
 * Backspace) so a binding matches all of them. */
int ui_key_normalise(int key);

#define UI_KEYMAP_MAX 256
struct keymap {
    struct { int key, action; } b[UI_KEYMAP_MAX];
    size_t n;
};

void keymap_defaults(struct keymap *km);
/* Binds (or, with ACT_NONE, unbinds) a key; a key has one action, an action any number of keys. */
void keymap_bind(struct keymap *km, int key, int action);
/* Applies the config's `bind KEY ACTION` lines.  On an unknown action or key name: -1 with
 * "NAME:LINE: unknown action \"X\" (winnow help keys ...)" in err. */
int keymap_apply_config(struct keymap *km, const struct config *c, const char *cfgname, struct error *err);
/* The action bound to key, ACT_NONE when unbound. */
int keymap_lookup(const struct keymap *km, int key);
/* The names of the keys bound to action, ", "-separated, into buf ("" when none). */
void keymap_keys_for(const struct keymap *km, int action, char *buf, size_t n);
/* The help text generated from the live keymap: one line per action, "KEYS<TAB>ACTION  what it
 * does", under group headings that start with "#". */
void keymap_help(const struct keymap *km, struct strbuf *out);

/* ---- themes ------------------------------------------------------------------------------- */

/* What a theme colours.  The names (theme files) are those of ui_elem_name. */
enum ui_elem {
    EL_NORMAL, EL_TITLE, EL_STATUS, EL_MESSAGE, EL_ERROR, EL_CURSOR, EL_CURSOR_LINE,
    EL_UNREAD, EL_READ, EL_DATE, EL_SOURCE, EL_FLAG,
    EL_BADGE, EL_BADGE_GOOD, EL_BADGE_WARN, EL_BADGE_BAD,
    EL_FEED_ERROR, EL_COUNT, EL_TAG, EL_HEADING, EL_LABEL, EL_LINK, EL_MATCH, EL_KEY, EL_PROMPT,
    EL_DIM,
    EL__COUNT
};

const char *ui_elem_name(int elem);
int ui_elem_by_name(const char *name);   /* -1 when unknown */

enum theme_color_kind { TC_DEFAULT, TC_INDEX, TC_RGB };
struct theme_color {
    int kind;           /* TC_DEFAULT: the normal element's colour (for normal: the terminal's) */
    int value;          /* 0..255, or 0xRRGGBB */
};

enum {
    TA_BOLD = 1 << 0, TA_DIM = 1 << 1, TA_UNDERLINE = 1 << 2, TA_REVERSE = 1 << 3,
    TA_ITALIC = 1 << 4, TA_STANDOUT = 1 << 5,
};

struct theme_style {
    struct theme_color fg, bg;
    unsigned attrs;     /* TA_* */
};

struct theme {
    char name[64];
    struct theme_style el[EL__COUNT];
};

/* The built-in default (also what a theme file leaves out). */
void theme_builtin(struct theme *t);
/* Parses theme text: `element = FG BG [ATTR...]` lines, # comments.  Colours are names (black,
 * red, green, yellow, blue, magenta, cyan, white, bright-*, default), 0..255 or #rrggbb; attrs
 * bold, dim, underline, reverse, italic, standout, none.  Errors carry "NAME:LINE: ...". */
int theme_parse(struct theme *t, const char *text, const char *name, struct error *err);
int theme_parse_color(const char *s, struct theme_color *out);

/* Where themes are looked up, in order: $XDG_CONFIG_HOME/winnow/themes (config_dir/themes),
 * $WINNOW_THEMES_DIR, the installed WINNOW_DATADIR/themes, ./themes.  The first file NAME.theme
 * found wins.  theme_load falls back to the built-in theme for "default" when no file exists. */
int theme_load(struct theme *t, const char *name, const char *config_dir, struct error *err);
/* The theme names found in those folders, sorted and unique, into names[max][64]; returns the
 * count ("default" is always among them). */
size_t theme_list(const char *config_dir, char (*names)[64], size_t max);

enum color_mode { CM_MONO, CM_8, CM_16, CM_256, CM_DIRECT };
/* The terminal colour for c in a mode: -1 for the terminal default, else a palette index
 * (CM_8/16/256) or, in CM_DIRECT, 0..7 for the ANSI colours and 0xRRGGBB (never below 8, which
 * a direct-colour terminal would read as an ANSI colour) for the rest. */
int theme_map_color(struct theme_color c, enum color_mode m);
/* Nearest xterm-256 index (16..255) and nearest of the first n (8 or 16) ANSI colours. */
int theme_nearest_256(int rgb);
int theme_nearest_ansi(int rgb, int n);
/* The RGB of an xterm-256 palette index (standard xterm values). */
int theme_palette_rgb(int index);
/* An SGR sequence that sets the element's colours and attributes as drawn by the theme in that
 * mode ("\033[0;1;38;5;33m"); for the text winnow rewrites itself inside an OSC 8 link. */
void theme_sgr(const struct theme *t, int elem, enum color_mode m, char *buf, size_t n);

/* ---- escape sequences winnow writes itself ------------------------------------------------- */

/* Standard base64 of n bytes into a malloc'd string. */
char *ui_base64(const unsigned char *s, size_t n);
/* OSC 52 (set the clipboard) carrying text: "\033]52;c;BASE64\a".  NULL when text is empty. */
char *ui_osc52(const char *text);
/* A URL made safe for an OSC 8 target: bytes below 0x21, above 0x7E and ';' percent-encoded, so
 * nothing in it can end or extend the sequence.  NULL when the URL is empty. */
char *ui_osc8_url(const char *url);
/* Splits an open-command into argv (spaces separate; "..." and '...' group) and puts url in
 * place of "%u", or appends it when no argument holds "%u".  NULL-terminated, malloc'd strings;
 * free with ui_argv_free.  NULL when cmd is empty or unbalanced. */
char **ui_open_argv(const char *cmd, const char *url);
/* url without the attach / attachment parameters of a mailto: link (any other URL as it is);
 * malloc'd.  Applied before every open. */
char *ui_mailto_clean(const char *url);
void ui_argv_free(char **argv);

#endif

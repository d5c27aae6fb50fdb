/* SPDX-License-Identifier: ISC */
/* config — the user's config file ($XDG_CONFIG_HOME/winnow/config, `key = value` lines, # comments).
 * Unknown keys and bad values are errors with their line number, never silently ignored. */
#ifndef WINNOW_CONFIG_H
#define WINNOW_CONFIG_H

#include <stddef.h>

#include "util.h"

#define CONFIG_MAX_BINDS 128
#define CONFIG_MAX_PROV 16
#define CONFIG_MAX_MPV_OPTIONS 32
#define CONFIG_MAX_AUTO_LISTS 64
#define CONFIG_MAX_RULE_LINE 1024
#define CONFIG_MAX_YTDLP_OPTIONS 16

/* An `auto-list` line, kept raw: a rule's values may be quoted and hold '=' and '#', which the
 * key = value reading would mangle; lists_rule_parse reads it and errors point at the line. */
struct config_rule {
    char text[CONFIG_MAX_RULE_LINE];
    int line;
};

/* The word-valued settings, parsed once (by config_parse, from the key table) into these values,
 * which the modules that own the settings read: the reader (layout, thumbnails, sensitive-media)
 * and playback (video-output, video-preset, resume).  Each enum is in the order of its words in
 * the table; nobody compares the words again. */
enum config_layout { CONFIG_LAYOUT_LIST, CONFIG_LAYOUT_CARDS, CONFIG_LAYOUT_GRID };
enum config_thumbnails { CONFIG_THUMBS_SYMBOLS, CONFIG_THUMBS_SIXEL, CONFIG_THUMBS_KITTY, CONFIG_THUMBS_OFF };
enum config_sensitive { CONFIG_SENSITIVE_BLUR, CONFIG_SENSITIVE_HIDE, CONFIG_SENSITIVE_SHOW };
enum config_vo { CONFIG_VO_TCT, CONFIG_VO_SIXEL, CONFIG_VO_GPU, CONFIG_VO_AUTO, CONFIG_VO_NONE };
enum config_preset { CONFIG_PRESET_AUTO, CONFIG_PRESET_FULL, CONFIG_PRESET_SSH };
enum config_resume { CONFIG_RESUME_YES, CONFIG_RESUME_NO, CONFIG_RESUME_ASK };

struct config_bind {
    char key[32];
    char action[64];
    int line;
};

struct config {
    int jobs;                 /* parallel transfers (16) */
    int jobs_per_host;        /* (6) */
    int timeout;              /* seconds per transfer (30) */
    int connect_timeout;      /* seconds (10) */
    int max_body_mb;          /* body cap in MiB (16) */
    int max_items;            /* per feed and refresh, 0 = all the feed sends (0) */
    int refresh_on_start;     /* TUI refreshes in the background at start (0) */
    char theme[64];           /* "default" */
    char open_command[256];   /* program that opens a link: "xdg-open" */
    int truecolor;            /* -1 auto (COLORTERM), 0 no, 1 yes */
    int osc8;                 /* OSC 8 hyperlinks in the reader's detail view (0) */
    int ascii;                /* -1 auto (locale not UTF-8), 0 no, 1 yes: ASCII-only drawing */
    int open_in_terminal;     /* open-command needs the terminal (w3m, lynx): the reader steps
                                 aside and waits for it (0) */
    int cursor_line;          /* highlight the whole cursor row, not only the bar (1); no: only
                                 the bar, about half the bytes per cursor move over SSH */
    struct config_bind binds[CONFIG_MAX_BINDS];
    size_t n_binds;
    /* thumbnails and provenance (the reader) */
    enum config_layout layout;           /* the items view (list) */
    enum config_thumbnails thumbnails;   /* (symbols) */
    int thumbnails_force;     /* sixel/kitty even inside tmux or screen (0) */
    int thumb_cache_mb;       /* disk cache of thumbnails in MiB (200) */
    int scan_media;           /* a refresh fetches and scans new items' media for provenance (1) */
    enum config_sensitive sensitive_media;   /* media marked sensitive: blur (a placeholder saying
                                 why until x reveals it), hide (withheld, x does not show it), show */
    /* curation: each `hide = CLASS` / `only = STATE` line, as written, with its line number so
     * the provenance rules (which know the filter names) can check it and point at the line */
    struct config_bind prov_filters[CONFIG_MAX_PROV];   /* key is "hide" or "only" */
    size_t n_prov_filters;
    char trust_anchors[CONFIG_MAX_PROV][256];            /* `trust-anchor = PEM` files */
    size_t n_trust_anchors;
    /* playback (src/app/play.c reads these) */
    enum config_vo video_output;         /* (tct) */
    enum config_preset video_preset;     /* (auto) */
    int audio_only;           /* (0) */
    enum config_resume resume;           /* (yes) */
    int mpv_config;           /* load mpv's own config dir (1) */
    char mpv_options[CONFIG_MAX_MPV_OPTIONS][256];   /* `mpv-option = KEY=VALUE`, in order */
    size_t n_mpv_options;
    /* curation */
    int keep_days;            /* purge unlisted, unstarred items older than this; 0 never (0) */
    int keep_items;           /* per feed: the newest this many stay, plus starred, listed and
                                 lately read items; 0 keeps all (1000) */
    int keep_read_days;       /* items read within this many days stay beyond keep-items (30) */
    int max_new_items;        /* per feed and refresh: new items stored at most; 0 all (1000) */
    struct config_rule auto_lists[CONFIG_MAX_AUTO_LISTS];
    size_t n_auto_lists;
    /* video pages and bridges (src/app/ytdlp.c, src/sources) */
    char ytdlp_path[256];     /* the yt-dlp program ("yt-dlp", looked up on PATH) */
    int ytdlp_timeout;        /* seconds a yt-dlp run may take (30) */
    char ytdlp_options[CONFIG_MAX_YTDLP_OPTIONS][256];   /* `ytdlp-option = ARG`, one argv element each */
    size_t n_ytdlp_options;
    char bridge_x[256];       /* Nitter or RSSHub base URL for X profiles ("") */
};

void config_defaults(struct config *c);

/* Parses a config file.  A missing file is not an error when optional is set. */
int config_load(struct config *c, const char *path, int optional, struct error *err);
/* Parses config text (for tests); name is used in messages. */
int config_parse(struct config *c, const char *text, const char *name, struct error *err);

/* The keys config_parse knows, NULL-terminated, for `winnow help config`. */
const char *const *config_keys(void);

/* The table behind the parser, the defaults and the documentation: one entry per key, ending
 * with name NULL.  lo/hi bound an int; words lists a word key's values (NULL-terminated, word i
 * stored as the int i in the field: the order of the key's enum above); def is the default as
 * written in the file ("" for a repeatable line); meaning is one line for the docs. */
enum config_type { CONFIG_INT, CONFIG_BOOL, CONFIG_AUTOBOOL, CONFIG_WORD, CONFIG_STR, CONFIG_LIST };
struct config_key_info {
    const char *name;
    enum config_type type;
    size_t off, size;
    int lo, hi;
    const char *const *words;
    const char *def, *meaning;
};
const struct config_key_info *config_key_table(void);
/* The values a key takes, in words ("1 to 256", "list, cards, grid", "yes, no"), into buf. */
const char *config_key_values(const struct config_key_info *k, char *buf, size_t n);

#endif

/* SPDX-License-Identifier: ISC */
/* cli — the subcommands: each one a thin face over the app API, so anything the TUI does can be
 * done (and tested) from a shell. */
#ifndef WINNOW_CLI_H
#define WINNOW_CLI_H

#include <stdio.h>

#include "app.h"

/* A subcommand is one entry (tmux's cmd_*_entry): its name, synopsis, options and help beside
 * its code (src/cli/cmd_*.c), and its exec.  The dispatcher (src/cli/entry.c) parses argv with
 * getopt_long from the option table, in one way for every subcommand: options may stand before,
 * between or after the operands (getopt permutes; `--` ends them), --help/-h anywhere prints the
 * help, --db and --config are taken by every subcommand as by winnow itself, an unknown option or
 * a missing value is a usage error (exit 2) naming the option.  The same table makes `winnow
 * help`, `winnow CMD --help`, the man page and the README's table (src/cli/docs.c). */
enum cli_arg { CLI_NO_ARG, CLI_ARG };
enum {
    CLI_OPT_REPEAT = 1,    /* may be given more than once: every value is kept, in order */
    CLI_OPT_HIDDEN = 2,    /* for tests: parsed, but not in the synopsis */
    CLI_OPT_REQUIRED = 4,  /* shown without brackets in the synopsis (export --opml) */
    CLI_OPT_SHORT = 8,     /* -KEY works too (key is then a letter) */
};
struct cli_opt {
    int key;               /* what cli_has/cli_get ask for; -KEY when CLI_OPT_SHORT */
    const char *name;      /* the long name, without -- */
    enum cli_arg arg;
    const char *arg_name;  /* "KIND", "tct|sixel|gpu": the synopsis's word for the value */
    int flags;
    const char *help;      /* one line for the option list of `winnow CMD --help` and the man page */
};

enum cli_needs { CLI_NEEDS_NOTHING, CLI_NEEDS_STORE, CLI_NEEDS_CONFIG };
#define CLI_MAX_OPTS 24

struct cli_args;
struct cli_cmd_entry {
    const char *name;
    const char *operands;  /* the synopsis's operands ("URL|TIMELINE", "[FEED...]") or NULL */
    int operands_first;    /* the operands stand before the options in the synopsis */
    const char *usage;     /* the whole synopsis when it is not made from the table (list, login) */
    const char *summary;   /* one line */
    const struct cli_opt *opts;   /* ending with key 0, or NULL */
    const char *help;      /* the prose of `winnow help NAME` */
    enum cli_needs needs;
    int raw_output;        /* writes escape sequences of its own (play, thumb, demo): no filter */
    const struct cli_cmd_entry *const *subs;   /* actions (list new, list show ...), NULL-ended */
    const char *const *aliases;                /* other names of an action, NULL-ended, or NULL */
    int (*exec)(struct app *app, const struct cli_args *a);
};

/* What the dispatcher parsed for exec: the operands, and each option's values. */
struct cli_args {
    const struct cli_cmd_entry *cmd;
    const char *name;      /* "add", or "list" for its actions: what usage errors name */
    int argc;              /* the operands, in order (options taken out) */
    char **argv;
    char **words;          /* the subcommand's (or action's) name, then the operands: words[1] is argv[0] */
    int count[CLI_MAX_OPTS];
    const char **values[CLI_MAX_OPTS];   /* every value of option i, in order */
};
/* How many times the option with this key was given (0: not). */
int cli_has(const struct cli_args *a, int key);
/* Its last value, or NULL. */
const char *cli_get(const struct cli_args *a, int key);
/* Every value, in order (n of them). */
const char *const *cli_all(const struct cli_args *a, int key, size_t *n);

/* Every subcommand, NULL-ended, in the order of `winnow --help`. */
const struct cli_cmd_entry *const *cli_entries(void);
const struct cli_cmd_entry *cli_find(const char *name);
/* The synopsis after "winnow " (from the table, or the entry's own usage), into buf. */
const char *cli_synopsis(const struct cli_cmd_entry *e, char *buf, size_t n);
/* `winnow help NAME`: usage, summary, help, the actions and the options. */
void cli_print_help(const struct cli_cmd_entry *e, FILE *out);
/* Parses argv (argv[0] is the subcommand's name) for e: 0 and a filled (an entry with actions
 * picks one by argv[1]: a->cmd is then the action's entry), 1 after printing the help (--help),
 * 2 after a usage error; paths receives --db and --config.  Free a with cli_args_free either way. */
int cli_parse(const struct cli_cmd_entry *e, int argc, char **argv, struct cli_args *a,
              struct app_paths *paths);
void cli_args_free(struct cli_args *a);

/* The entries, each beside its code. */
extern const struct cli_cmd_entry cli_add_entry, cli_login_entry, cli_logout_entry, cli_remove_entry,
    cli_feeds_entry, cli_refresh_entry, cli_scan_entry, cli_items_entry, cli_import_entry, cli_export_entry,
    cli_demo_entry, cli_play_entry, cli_lists_entry, cli_list_entry, cli_thumb_entry, cli_badge_entry,
    cli_trust_entry, cli_help_entry;

/* The documentation made from the tables (src/cli/docs.c): what is "config", "keys", "--man" or
 * "--markdown"; part (for --man and --markdown) is "commands", "config" or "keys".  -1 when
 * there is no such part. */
int cli_docs(const char *what, const char *part, FILE *out);
/* Text wrapped at width columns, each line indented (docs.c). */
void cli_wrap(FILE *out, const char *text, int indent, int width);

/* The JSON of an item (src/cli/json.c): one shape for items --json, list show and list export,
 * and its reader for list import (strings point into o; 0, or -1 when o is no item). */
struct cJSON *cli_item_json(struct app *app, const struct item *it);
int cli_item_from_json(const struct cJSON *o, struct item *it, struct arena *a);

/* Prints "winnow: msg" to stderr, through the sanitiser; returns exit code 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "winnow: msg" to stderr; returns exit code 2 (usage). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Output through the sanitiser (src/cli/out.c).  cli_filter_output puts a filter in front of
 * stdout and stderr: text passes text_sanitize, and a terminal whose locale is not UTF-8 gets
 * ASCII; cli_filter_end flushes and takes it away.  cli_fputs_clean writes one string the same
 * way, for the subcommands that keep the raw streams (play, thumb). */
void cli_filter_output(void);
void cli_filter_end(void);
void cli_fputs_clean(const char *s, FILE *to);
void cli_printf_clean(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_locale_utf8(void);
/* s padded with spaces to cols display columns, and (cut) cut to cols on a character boundary,
 * into buf: printf's %-20.20s counts bytes and split characters. */
const char *cli_col(char *buf, size_t size, const char *s, int cols, int cut);
void cli_ascii_into(struct strbuf *out, const char *s);

/* The TUI (src/ui). */
int ui_run(struct app *app);

#endif

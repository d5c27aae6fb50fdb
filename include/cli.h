/* SPDX-License-Identifier: ISC */
/* cli — the subcommands: each one a thin face over the app API, so anything the TUI does can be
 * done (and tested) from a shell. */
#ifndef WINNOW_CLI_H
#define WINNOW_CLI_H

#include <stdio.h>

#include "app.h"

struct cli_cmd {
    const char *name;
    const char *usage;       /* "add URL [--kind KIND] ..." */
    const char *summary;     /* one line */
    const char *help;        /* the rest of `winnow help NAME` */
    int needs_app;           /* 1: open config + database first; 2: config only (no database) */
    int (*run)(struct app *app, int argc, char **argv);
};

const struct cli_cmd *cli_find(const char *name);
const struct cli_cmd *const *cli_commands(void);

/* Subcommand entry points (argv[0] is the subcommand name).  Return the process exit code. */
int cmd_add(struct app *app, int argc, char **argv);
int cmd_remove(struct app *app, int argc, char **argv);
int cmd_feeds(struct app *app, int argc, char **argv);
int cmd_refresh(struct app *app, int argc, char **argv);
int cmd_scan(struct app *app, int argc, char **argv);
int cmd_items(struct app *app, int argc, char **argv);
int cmd_import(struct app *app, int argc, char **argv);
int cmd_export(struct app *app, int argc, char **argv);
int cmd_demo(struct app *app, int argc, char **argv);
int cmd_play(struct app *app, int argc, char **argv);
int cmd_help(struct app *app, int argc, char **argv);
int cmd_badge(struct app *app, int argc, char **argv);
int cmd_trust(struct app *app, int argc, char **argv);
int cmd_thumb(struct app *app, int argc, char **argv);
int cmd_lists(struct app *app, int argc, char **argv);
int cmd_list(struct app *app, int argc, char **argv);
extern const char cmd_list_help[];   /* the rest of `winnow help list` */
int cmd_login(struct app *app, int argc, char **argv);
int cmd_logout(struct app *app, int argc, char **argv);
extern const char cmd_login_help[];  /* the rest of `winnow help login` */
extern const char cmd_list_help[];
/* The documentation made from the tables (src/cli/docs.c): what is "config", "keys", "--man" or
 * "--markdown"; part (for --man and --markdown) is "commands", "config" or "keys".  -1 when
 * there is no such part. */
int cli_docs(const char *what, const char *part, FILE *out);   /* the rest of `winnow help list` */

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

/* SPDX-License-Identifier: ISC */
/* winnow's entry point: global options, subcommand dispatch, --help and --version. */
#include <curses.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include <cjson/cJSON.h>
#include <chafa.h>
#include <expat.h>
#include <libxml/xmlversion.h>

#include "cli.h"
#include "text.h"
#include "config.h"
#include "fetch.h"
#include "player_dl.h"

int cli_error(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* messages quote file names and URLs the user gave: the one sanitiser makes them safe */
    char *clean = text_sanitize_dup(buf, strlen(buf), sizeof buf, 0);
    fprintf(stderr, "winnow: %s\n", clean);
    free(clean);
    return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "winnow%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    const struct cli_cmd_entry *c = cmd ? cli_find(cmd) : NULL;
    char syn[1024];
    if (c) fprintf(stderr, "usage: winnow %s\n", cli_synopsis(c, syn, sizeof syn));
    return 2;
}

static void usage(FILE *out)
{
    fprintf(out,
            "winnow %s — a calm terminal feed reader\n\n"
            "usage: winnow [--db PATH] [--config PATH] [SUBCOMMAND [ARGS]]\n\n"
            "With no subcommand winnow opens the reader (the TUI).\n\nSubcommands:\n",
            PACKAGE_VERSION);
    for (const struct cli_cmd_entry *const *e = cli_entries(); *e; e++)
        fprintf(out, "  %-10s %s\n", (*e)->name, (*e)->summary);
    fprintf(out,
            "\nOptions:\n"
            "  --db PATH       database (default $XDG_DATA_HOME/winnow/winnow.db; env WINNOW_DB)\n"
            "  --config PATH   config file (default $XDG_CONFIG_HOME/winnow/config; env WINNOW_CONFIG)\n"
            "  -h, --help      this help;  winnow help SUBCOMMAND for one subcommand\n"
            "  -V, --version   versions of winnow and its libraries, and the terminal's colours\n\n"
            "Try the bundled offline demo:  winnow demo\n");
}

static const struct cli_opt help_opts[] = {
    {'m', "man", CLI_ARG, "PART", 0, "the man page's generated part: commands, config or keys"},
    {'M', "markdown", CLI_ARG, "PART", 0, "the README's generated part: commands, config or keys"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int help_exec(struct app *app, const struct cli_args *a)
{
    (void)app;
    const char *man = cli_get(a, 'm'), *markdown = cli_get(a, 'M');
    if (man || markdown) {
        const char *what = man ? "--man" : "--markdown";
        if (a->argc || (man && markdown) || cli_docs(what, man ? man : markdown, stdout) < 0)
            return cli_usage_error("help", "%s takes one of: commands, config, keys", what);
        return 0;
    }
    if (a->argc < 1) {
        usage(stdout);
        return 0;
    }
    if (a->argc > 1) return cli_usage_error("help", "one subcommand at a time");
    if (!strcmp(a->argv[0], "config") || !strcmp(a->argv[0], "keys")) {
        cli_docs(a->argv[0], NULL, stdout);
        return 0;
    }
    const struct cli_cmd_entry *c = cli_find(a->argv[0]);
    if (!c) return cli_usage_error(NULL, "no subcommand \"%s\" (winnow --help lists them)", a->argv[0]);
    cli_print_help(c, stdout);
    return 0;
}

const struct cli_cmd_entry cli_help_entry = {
    .name = "help",
    .usage = "help [SUBCOMMAND | config | keys | --man PART | --markdown PART]",
    .summary = "show help",
    .opts = help_opts,
    .help = "Shows the help of a subcommand (as winnow SUBCOMMAND --help does); config: every config\n"
            "key with its values, default and meaning; keys: the reader's actions with their default\n"
            "keys.  --man and --markdown print the man page's and the README's generated parts (PART:\n"
            "commands, config, keys).\n",
    .needs = CLI_NEEDS_NOTHING,
    .exec = help_exec,
};

static void version(void)
{
    printf("winnow %s\n", PACKAGE_VERSION);
    printf("  %s\n", fetch_version());
    printf("  sqlite %s, %s, cJSON %s, %s, libxml2 %s\n", store_sqlite_version(), curses_version(),
           cJSON_Version(), XML_ExpatVersion(), LIBXML_DOTTED_VERSION);
    unsigned long mv = player_dl_api_version();   /* loads libmpv: see src/media/mpv_dl.c */
    if (mv)
        printf("  chafa %d.%d.%d, mpv client API %lu.%lu (loaded when playing)\n", CHAFA_MAJOR_VERSION,
               CHAFA_MINOR_VERSION, CHAFA_MICRO_VERSION, mv >> 16, mv & 0xFFFF);
    else
        printf("  chafa %d.%d.%d, %s\n", CHAFA_MAJOR_VERSION, CHAFA_MINOR_VERSION, CHAFA_MICRO_VERSION,
               player_dl_error());
    const char *term = getenv("TERM");
    const char *ct = getenv("COLORTERM");
    int err = 0, colors = -1, rgb = 0;
    if (term && setupterm(NULL, 1, &err) == OK) {
        colors = tigetnum("colors");
        rgb = tigetflag("RGB") > 0;
        del_curterm(cur_term);
    }
    int truecolor = rgb || (ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")));
    printf("  terminal: TERM=%s, %d colours%s%s\n", term ? term : "(unset)", colors,
           truecolor ? ", truecolor" : "", getenv("NO_COLOR") ? ", NO_COLOR set" : "");
}

/* winnow's own options, before the subcommand: --db and --config (the subcommands take them too),
 * --help and --version.  Returns the index of the subcommand's name (argc: none), or -1 after
 * printing (*rc set). */
static int global_options(int argc, char **argv, struct app_paths *paths, int *rc)
{
    static const struct option lo[] = {{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
                                       {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
    optind = 0;
    opterr = 0;
    int c;
    /* "+": stop at the subcommand, whose own table parses the rest */
    while ((c = getopt_long(argc, argv, "+:hV", lo, NULL)) != -1) {
        switch (c) {
        case 'd': paths->db = optarg; break;
        case 'c': paths->config = optarg; break;
        case 'h': usage(stdout); *rc = 0; return -1;
        case 'V': version(); *rc = 0; return -1;
        case ':': *rc = cli_usage_error(NULL, "%s needs a value (PATH)", argv[optind - 1]); return -1;
        default: {
            char w[128];
            const char *o = optopt ? (snprintf(w, sizeof w, "-%c", optopt), w) : argv[optind - 1];
            *rc = cli_usage_error(NULL, "unknown option %.*s (try winnow --help)", (int)strcspn(o, "="), o);
            return -1;
        }
        }
    }
    return optind;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct app_paths paths = {0};
    int rc = 0;
    int at = global_options(argc, argv, &paths, &rc);
    if (at < 0) return rc;
    const struct cli_cmd_entry *cmd = NULL;
    struct cli_args args;
    memset(&args, 0, sizeof args);
    if (at < argc) {
        cmd = cli_find(argv[at]);
        if (!cmd) return cli_usage_error(NULL, "no subcommand \"%s\" (try winnow --help)", argv[at]);
        rc = cli_parse(cmd, argc - at, argv + at, &args, &paths);
        if (rc) {
            cli_args_free(&args);
            return rc == 1 ? 0 : rc;
        }
        if (cmd->needs == CLI_NEEDS_NOTHING) {
            if (!cmd->raw_output) cli_filter_output();
            rc = args.cmd->exec(NULL, &args);
            if (!cmd->raw_output) cli_filter_end();
            cli_args_free(&args);
            return rc;
        }
    }
    char *demo_db = NULL;
    if (cmd == &cli_demo_entry && !paths.db && !getenv("WINNOW_DB")) {
        /* the demo never mixes its feeds into the user's own database */
        char *dir = app_xdg_dir("XDG_DATA_HOME", ".local/share");
        demo_db = xmalloc(strlen(dir) + 16);
        sprintf(demo_db, "%s/demo.db", dir);
        free(dir);
        paths.db = demo_db;
    }
    /* the reader, play, thumb and demo own the terminal (ncurses, mpv and pictures write escape
     * sequences through stdio); every other subcommand's output is text, filtered */
    int filter = cmd && !cmd->raw_output;
    if (filter) cli_filter_output();
    struct app app;
    struct error err;
    error_clear(&err);
    paths.no_store = cmd && cmd->needs == CLI_NEEDS_CONFIG;
    if (app_open(&app, &paths, &err) < 0) {
        rc = cli_error("%s", err.msg);
    } else {
        rc = cmd ? args.cmd->exec(&app, &args) : ui_run(&app);
        app_close(&app);
    }
    cli_args_free(&args);
    free(demo_db);
    if (filter) cli_filter_end();
    return rc;
}

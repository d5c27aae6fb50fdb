/* SPDX-License-Identifier: ISC */
/* The subcommands' one argument parser and their help, both made from each entry's option table
 * (include/cli.h): getopt_long in "-" mode, so operands come back in their place among the options
 * whatever POSIXLY_CORRECT says, and ":" so that winnow, not getopt, words the errors. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { KEY_HELP = 'h', KEY_DB = 0x10000, KEY_CONFIG, KEY_BASE = 0x20000 };

static const struct cli_cmd_entry *const entries[] = {
    &cli_add_entry,  &cli_login_entry, &cli_logout_entry, &cli_remove_entry, &cli_feeds_entry,
    &cli_refresh_entry, &cli_scan_entry, &cli_items_entry, &cli_import_entry, &cli_export_entry,
    &cli_demo_entry, &cli_play_entry, &cli_lists_entry, &cli_list_entry, &cli_thumb_entry,
    &cli_badge_entry, &cli_trust_entry, &cli_help_entry, NULL,
};

const struct cli_cmd_entry *const *cli_entries(void) { return entries; }

static int named(const struct cli_cmd_entry *e, const char *name)
{
    if (!strcmp(e->name, name)) return 1;
    for (const char *const *a = e->aliases; a && *a; a++)
        if (!strcmp(*a, name)) return 1;
    return 0;
}

const struct cli_cmd_entry *cli_find(const char *name)
{
    for (const struct cli_cmd_entry *const *e = entries; *e; e++)
        if (named(*e, name)) return *e;
    return NULL;
}

static size_t n_opts(const struct cli_cmd_entry *e)
{
    size_t n = 0;
    while (e->opts && e->opts[n].key) n++;
    return n;
}

static int opt_index(const struct cli_args *a, int key)
{
    for (size_t i = 0; i < n_opts(a->cmd); i++)
        if (a->cmd->opts[i].key == key) return (int)i;
    return -1;
}

int cli_has(const struct cli_args *a, int key)
{
    int i = opt_index(a, key);
    return i < 0 ? 0 : a->count[i];
}

const char *cli_get(const struct cli_args *a, int key)
{
    int i = opt_index(a, key);
    return i < 0 || !a->count[i] ? NULL : a->values[i][a->count[i] - 1];
}

const char *const *cli_all(const struct cli_args *a, int key, size_t *n)
{
    int i = opt_index(a, key);
    *n = i < 0 ? 0 : (size_t)a->count[i];
    return i < 0 ? NULL : a->values[i];
}

/* "--kind KIND", "-o KEY=VALUE" or "--json", as the synopsis and the option list show it. */
static void opt_words(const struct cli_opt *o, int short_form, char *buf, size_t n)
{
    if (short_form) snprintf(buf, n, "-%c%s%s", o->key, o->arg ? " " : "", o->arg ? o->arg_name : "");
    else snprintf(buf, n, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg_name : "");
}

const char *cli_synopsis(const struct cli_cmd_entry *e, char *buf, size_t n)
{
    if (e->usage) {
        snprintf(buf, n, "%s", e->usage);
        return buf;
    }
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, e->name);
    if (e->operands && e->operands_first) sb_printf(&b, " %s", e->operands);
    for (size_t i = 0; i < n_opts(e); i++) {
        const struct cli_opt *o = &e->opts[i];
        if (o->flags & CLI_OPT_HIDDEN) continue;
        char w[128];
        /* play's -o is known by its short name (mpv's own habit) */
        opt_words(o, (o->flags & CLI_OPT_SHORT) && !strcmp(o->name, "mpv-option"), w, sizeof w);
        if (o->flags & CLI_OPT_REQUIRED) sb_printf(&b, " %s", w);
        else sb_printf(&b, " [%s]%s", w, (o->flags & CLI_OPT_REPEAT) ? "..." : "");
    }
    if (e->operands && !e->operands_first) sb_printf(&b, " %s", e->operands);
    snprintf(buf, n, "%s", b.s);
    sb_free(&b);
    return buf;
}

void cli_print_help(const struct cli_cmd_entry *e, FILE *out)
{
    char syn[1024];
    fprintf(out, "usage: winnow %s\n\n%s\n%s", cli_synopsis(e, syn, sizeof syn), e->summary, e->help);
    if (e->subs) {
        fprintf(out, "\nActions:\n");
        for (const struct cli_cmd_entry *const *s = e->subs; *s; s++) {
            fprintf(out, "  %s\n", cli_synopsis(*s, syn, sizeof syn));
            cli_wrap(out, (*s)->summary, 6, 100);
        }
    }
    size_t n = n_opts(e), shown = 0;
    for (size_t i = 0; i < n; i++) shown += !(e->opts[i].flags & CLI_OPT_HIDDEN) && e->opts[i].help;
    if (!shown) return;
    fprintf(out, "\nOptions:\n");
    for (size_t i = 0; i < n; i++) {
        const struct cli_opt *o = &e->opts[i];
        if ((o->flags & CLI_OPT_HIDDEN) || !o->help) continue;
        char w[128];
        opt_words(o, 0, w, sizeof w);
        if (o->flags & CLI_OPT_SHORT) fprintf(out, "  -%c, %s\n", o->key, w);
        else fprintf(out, "      %s\n", w);
        cli_wrap(out, o->help, 8, 100);
    }
}

/* The option's words for an error: "--kind" or "-k". */
static void offender(char **argv, int optind_now, int optopt_now, char *buf, size_t n)
{
    if (optopt_now > 0 && optopt_now < 0x100) {
        snprintf(buf, n, "-%c", optopt_now);
        return;
    }
    const char *w = optind_now > 0 ? argv[optind_now - 1] : "?";
    size_t len = strcspn(w, "=");
    snprintf(buf, n, "%.*s", (int)(len < 100 ? len : 100), w);
}

static int parse_with(const struct cli_cmd_entry *e, const char *name, int argc, char **argv,
                      struct cli_args *a, struct app_paths *paths)
{
    size_t n = n_opts(e);
    if (n > CLI_MAX_OPTS) return cli_usage_error(name, "internal: too many options");
    memset(a, 0, sizeof *a);
    a->cmd = e;
    a->name = name;
    a->words = xcalloc((size_t)argc + 2, sizeof *a->words);
    a->words[0] = argv[0];
    a->argv = a->words + 1;
    struct option *lo = xcalloc(n + 4, sizeof *lo);
    char shorts[2 * CLI_MAX_OPTS + 8] = "-:h";
    size_t sn = strlen(shorts);
    for (size_t i = 0; i < n; i++) {
        const struct cli_opt *o = &e->opts[i];
        lo[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, KEY_BASE + (int)i};
        if (o->flags & CLI_OPT_SHORT) {
            shorts[sn++] = (char)o->key;
            if (o->arg) shorts[sn++] = ':';
        }
    }
    shorts[sn] = 0;
    lo[n] = (struct option){"help", no_argument, NULL, KEY_HELP};
    lo[n + 1] = (struct option){"db", required_argument, NULL, KEY_DB};
    lo[n + 2] = (struct option){"config", required_argument, NULL, KEY_CONFIG};
    optind = 0;   /* GNU: start over, argv[0] is the subcommand */
    opterr = 0;
    int c, rc = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        char w[128];
        if (c == 1) {
            a->argv[a->argc++] = optarg;   /* an operand, in its place */
        } else if (c == KEY_HELP) {
            cli_print_help(e, stdout);
            rc = 1;
        } else if (c == KEY_DB) {
            paths->db = optarg;
        } else if (c == KEY_CONFIG) {
            paths->config = optarg;
        } else if (c == '?') {
            offender(argv, optind, optopt, w, sizeof w);
            rc = cli_usage_error(name, "unknown option %s", w);
        } else if (c == ':') {
            int i = optopt >= KEY_BASE ? optopt - KEY_BASE : -1;
            for (size_t k = 0; i < 0 && k < n; k++)
                if (e->opts[k].key == optopt && (e->opts[k].flags & CLI_OPT_SHORT)) i = (int)k;
            /* a long option is named in full even when abbreviated (--ki for --kind) */
            if (optopt >= KEY_BASE) snprintf(w, sizeof w, "--%s", e->opts[i].name);
            else if (optopt == KEY_DB || optopt == KEY_CONFIG) snprintf(w, sizeof w, "--%s", optopt == KEY_DB ? "db" : "config");
            else offender(argv, optind, optopt, w, sizeof w);
            const char *what = i >= 0 ? e->opts[i].arg_name : optopt == KEY_DB || optopt == KEY_CONFIG ? "PATH" : NULL;
            rc = cli_usage_error(name, "%s needs a value%s%s%s", w, what ? " (" : "", what ? what : "", what ? ")" : "");
        } else {
            int i = c >= KEY_BASE ? c - KEY_BASE : -1;
            for (size_t k = 0; i < 0 && k < n; k++)
                if (e->opts[k].key == c && (e->opts[k].flags & CLI_OPT_SHORT)) i = (int)k;
            if (i < 0) {
                rc = cli_usage_error(name, "internal: option %d", c);
                break;
            }
            a->values[i] = xrealloc(a->values[i], (size_t)(a->count[i] + 1) * sizeof *a->values[i]);
            a->values[i][a->count[i]++] = e->opts[i].arg ? optarg : "";
        }
    }
    /* after "--": the rest are operands */
    while (rc == 0 && optind < argc) a->argv[a->argc++] = argv[optind++];
    free(lo);
    return rc;
}

int cli_parse(const struct cli_cmd_entry *e, int argc, char **argv, struct cli_args *a, struct app_paths *paths)
{
    if (!e->subs) return parse_with(e, e->name, argc, argv, a, paths);
    /* list ACTION ...: the action's own table parses what follows it */
    memset(a, 0, sizeof *a);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        cli_print_help(e, stdout);
        return 1;
    }
    /* --db and --config may stand before the action too (winnow list --db X show L) */
    int at = 1;
    while (at < argc) {
        const char *w = argv[at];
        int db = !strcmp(w, "--db"), cfg = !strcmp(w, "--config");
        if ((db || cfg) && at + 1 < argc) {
            *(db ? &paths->db : &paths->config) = argv[at + 1];
            at += 2;
        } else if (!strncmp(w, "--db=", 5) || !strncmp(w, "--config=", 9)) {
            *(w[2] == 'd' ? &paths->db : &paths->config) = strchr(w, '=') + 1;
            at++;
        } else {
            break;
        }
    }
    argc -= at - 1;
    argv += at - 1;
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage_error(e->name, "give an action (winnow help %s)", e->name);
    for (const struct cli_cmd_entry *const *s = e->subs; *s; s++)
        if (named(*s, argv[1])) return parse_with(*s, e->name, argc - 1, argv + 1, a, paths);
    /* `list frob --help`: the help of list, which names the actions */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            cli_print_help(e, stdout);
            return 1;
        }
    return cli_usage_error(e->name, "unknown action \"%s\" (winnow help %s)", argv[1], e->name);
}

void cli_args_free(struct cli_args *a)
{
    for (size_t i = 0; i < CLI_MAX_OPTS; i++) free(a->values[i]);
    free(a->words);
    memset(a, 0, sizeof *a);
}

/* SPDX-License-Identifier: ISC */
/* Documentation made from the tables in the code, so it cannot drift from them: the config keys
 * (core/config.c), the subcommands (their entries, cli/cmd_*.c) and the reader's actions with their default keys
 * (ui/keymap.c).  `winnow help config` and `winnow help keys` print them for people;
 * `winnow help --man PART` and `winnow help --markdown PART` print the man page's and the
 * README's generated blocks (doc/update-docs.sh puts them in place; tests/integration/docs.sh
 * fails when a committed block differs). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "ui.h"

void cli_wrap(FILE *out, const char *text, int indent, int width)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        int col = indent;
        fprintf(out, "%*s", indent, "");
        int first = 1;
        while (*p) {
            size_t w = strcspn(p, " ");
            if (!first && col + 1 + (int)w > width) break;
            fprintf(out, "%s%.*s", first ? "" : " ", (int)w, p);
            col += (int)w + !first;
            first = 0;
            p += w;
            while (*p == ' ') p++;
        }
        fputc('\n', out);
    }
}

static void help_config(FILE *out)
{
    fprintf(out, "Config file keys ($XDG_CONFIG_HOME/winnow/config: key = value lines, # starts a comment;\n"
                 "an unknown key or a bad value stops winnow with the line's number):\n\n");
    char vals[200];
    for (const struct config_key_info *k = config_key_table(); k->name; k++) {
        config_key_values(k, vals, sizeof vals);
        if (k->type == CONFIG_LIST) fprintf(out, "  %s  (%s)\n", k->name, vals);
        else fprintf(out, "  %s = %s  (default: %s)\n", k->name, vals, *k->def ? k->def : "empty");
        cli_wrap(out, k->meaning, 6, 100);
    }
}

static void keys_of(const struct keymap *km, int act, char *buf, size_t n)
{
    keymap_keys_for(km, act, buf, n);
    if (!*buf) snprintf(buf, n, "(unbound)");
}

static void help_keys(FILE *out)
{
    struct keymap km;
    keymap_defaults(&km);
    fprintf(out, "The reader's actions and their default keys (bind KEY ACTION in the config changes them;\n"
                 "? in the reader shows the keys as bound now):\n");
    const char *group = NULL;
    char keys[160];
    for (int a = 0; a < ACT__COUNT; a++) {
        const struct ui_action_info *i = ui_action_info(a);
        if (!group || strcmp(group, i->group)) {
            group = i->group;
            fprintf(out, "\n%s\n", *group ? group : "Unbinding");
        }
        keys_of(&km, a, keys, sizeof keys);
        fprintf(out, "  %-18s %-16s %s\n", i->name, a ? keys : "", i->help);
    }
}

/* ---- roff ---- */

static void roff(FILE *out, const char *s)
{
    int bol = 1;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\'')) fputs("\\&", out);
        bol = 0;
        switch (*s) {
        case '\\': fputs("\\e", out); break;
        case '-': fputs("\\-", out); break;
        case '\n': fputc('\n', out); bol = 1; break;
        default: fputc(*s, out);
        }
    }
}

/* Each subcommand from its entry: synopsis, summary, help, then its actions and options. */
static void man_commands(FILE *out)
{
    char syn[1024];
    for (const struct cli_cmd_entry *const *c = cli_entries(); *c; c++) {
        fputs(".TP\n.B \"", out);
        roff(out, cli_synopsis(*c, syn, sizeof syn));
        fputs("\"\n", out);
        roff(out, (*c)->summary);
        fputs(".\n.br\n", out);
        roff(out, (*c)->help);
        for (const struct cli_cmd_entry *const *s = (*c)->subs; s && *s; s++) {
            fputs(".br\n\\fB", out);
            roff(out, cli_synopsis(*s, syn, sizeof syn));
            fputs("\\fR: ", out);
            roff(out, (*s)->summary);
            fputs("\n", out);
        }
        for (const struct cli_opt *o = (*c)->opts; o && o->key; o++) {
            if ((o->flags & CLI_OPT_HIDDEN) || !o->help) continue;
            fputs(".br\n\\fB\\-\\-", out);
            roff(out, o->name);
            fputs("\\fR", out);
            if (o->arg) {
                fputs(" \\fI", out);
                roff(out, o->arg_name);
                fputs("\\fR", out);
            }
            fputs(": ", out);
            roff(out, o->help);
            fputs("\n", out);
        }
    }
}

static void man_config(FILE *out)
{
    char vals[200];
    for (const struct config_key_info *k = config_key_table(); k->name; k++) {
        config_key_values(k, vals, sizeof vals);
        fputs(".TP\n.B ", out);
        roff(out, k->name);
        fputs("\n", out);
        if (k->type == CONFIG_LIST) {
            fputs("(", out);
            roff(out, vals);
            fputs(") ", out);
        } else {
            fputs("Values: ", out);
            roff(out, vals);
            fputs("; default: \\fB", out);
            roff(out, *k->def ? k->def : "empty");
            fputs("\\fR.\n", out);
        }
        roff(out, k->meaning);
        fputs("\n", out);
    }
}

static void man_keys(FILE *out)
{
    struct keymap km;
    keymap_defaults(&km);
    char keys[160];
    for (int a = 1; a < ACT__COUNT; a++) {
        const struct ui_action_info *i = ui_action_info(a);
        keys_of(&km, a, keys, sizeof keys);
        fputs(".TP\n.BR \"", out);
        roff(out, keys);
        fputs("\" \" (", out);
        roff(out, i->name);
        fputs(")\"\n", out);
        roff(out, i->help);
        fputs("\n", out);
    }
}

/* ---- Markdown ---- */

static void md(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", out);
        else if (*s == '\n') fputc(' ', out);
        else fputc(*s, out);
    }
}

static void md_commands(FILE *out)
{
    fputs("| subcommand | what it does |\n|---|---|\n", out);
    char syn[1024];
    for (const struct cli_cmd_entry *const *c = cli_entries(); *c; c++) {
        fputs("| `winnow ", out);
        md(out, cli_synopsis(*c, syn, sizeof syn));
        fputs("` | ", out);
        md(out, (*c)->summary);
        fputs(" |\n", out);
    }
}

static void md_config(FILE *out)
{
    fputs("| key | values | default | meaning |\n|---|---|---|---|\n", out);
    char vals[200];
    for (const struct config_key_info *k = config_key_table(); k->name; k++) {
        config_key_values(k, vals, sizeof vals);
        fprintf(out, "| `%s` | ", k->name);
        md(out, vals);
        fputs(" | ", out);
        if (*k->def) fprintf(out, "`%s`", k->def);
        fputs(" | ", out);
        md(out, k->meaning);
        fputs(" |\n", out);
    }
}

static void md_keys(FILE *out)
{
    struct keymap km;
    keymap_defaults(&km);
    char keys[160];
    fputs("| keys | action | what it does |\n|---|---|---|\n", out);
    for (int a = 1; a < ACT__COUNT; a++) {
        const struct ui_action_info *i = ui_action_info(a);
        keys_of(&km, a, keys, sizeof keys);
        fputs("| ", out);
        md(out, keys);
        fprintf(out, " | `%s` | ", i->name);
        md(out, i->help);
        fputs(" |\n", out);
    }
}

int cli_docs(const char *what, const char *part, FILE *out)
{
    static const struct {
        const char *what, *part;
        void (*fn)(FILE *);
    } parts[] = {
        {"config", NULL, help_config},       {"keys", NULL, help_keys},
        {"--man", "commands", man_commands}, {"--man", "config", man_config}, {"--man", "keys", man_keys},
        {"--markdown", "commands", md_commands}, {"--markdown", "config", md_config},
        {"--markdown", "keys", md_keys},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (!strcmp(parts[i].what, what) && (!parts[i].part || (part && !strcmp(parts[i].part, part)))) {
            parts[i].fn(out);
            return 0;
        }
    return -1;
}

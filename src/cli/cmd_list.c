/* SPDX-License-Identifier: ISC */
/* Curation subcommands: `winnow lists` and `winnow list ACTION ...`, the shell face of the lists
 * engine (include/lists.h).  Each action is one transaction in the store, committed before the
 * command prints that it happened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "date.h"
#include "lists.h"
#include "text.h"

static int fail(const struct error *err)
{
    cli_error("%s", err->msg);
    return 1;
}

static const char *plural(int64_t n) { return n == 1 ? "" : "s"; }

static int parse_id(const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0) return -1;
    *id = v;
    return 0;
}

static void print_json(cJSON *j)
{
    char *s = cJSON_Print(j);
    puts(s);
    free(s);
    cJSON_Delete(j);
}

static const struct cli_opt json_opts[] = {
    {'J', "json", CLI_NO_ARG, NULL, 0, "print JSON"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int lists_exec(struct app *app, const struct cli_args *a)
{
    int json = cli_has(a, 'J') > 0;
    if (a->argc) return cli_usage_error("lists", "unknown argument %s", a->argv[0]);
    struct list_row *rows;
    size_t n;
    struct error err;
    error_clear(&err);
    if (lists_all(app->store, &rows, &n, &err) < 0) return fail(&err);
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            char t[32];
            cJSON_AddNumberToObject(o, "id", (double)rows[i].id);
            cJSON_AddStringToObject(o, "name", rows[i].name);
            cJSON_AddNumberToObject(o, "items", (double)rows[i].count);
            cJSON_AddNumberToObject(o, "unread", (double)rows[i].unread);
            date_rfc3339(rows[i].created, t, sizeof t);
            cJSON_AddStringToObject(o, "created", t);
            cJSON_AddBoolToObject(o, "last_used", rows[i].last_used);
            cJSON_AddItemToArray(arr, o);
        }
        print_json(arr);
    } else if (n == 0) {
        printf("No lists.  Make one with: winnow list new NAME\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            char col[1100];
            printf("%4lld  %s %5lld item%s %5lld unread%s\n", (long long)rows[i].id,
                   cli_col(col, sizeof col, rows[i].name, 24, 0),
                   (long long)rows[i].count, rows[i].count == 1 ? " " : "s", (long long)rows[i].unread,
                   rows[i].last_used ? "   (a adds here)" : "");
        }
    }
    lists_rows_free(rows, n);
    return 0;
}

const struct cli_cmd_entry cli_lists_entry = {
    .name = "lists",
    .summary = "show your lists with their counts",
    .opts = json_opts,
    .help = "Lists every list with its item and unread counts; the one `a` adds to is marked.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = lists_exec,
};

/* ---- actions: each one an entry of its own (list_subs), parsed by its table ---- */

static int find(struct app *app, const char *name, struct list_row *row)
{
    struct error err;
    error_clear(&err);
    if (lists_find(app->store, name, row, &err) < 0) return fail(&err);
    return 0;
}

static int act_new(struct app *app, const struct cli_args *a)
{
    int argc = a->argc + 1;
    char **argv = a->words;   /* argv[1..]: the operands */
    if (argc != 2) return cli_usage_error("list", "list new NAME");
    struct error err;
    error_clear(&err);
    int64_t id;
    if (lists_create(app->store, argv[1], &id, &err) < 0) return fail(&err);
    struct list_row row;
    if (find(app, argv[1], &row)) return 1;
    printf("made list %s\n", row.name);
    lists_row_free(&row);
    return 0;
}

static int media_ok(void *ctx, const struct item *it, const char *url)
{
    return app_media_url_allowed(ctx, it, url);
}

static int act_rename(struct app *app, const struct cli_args *a)
{
    int argc = a->argc + 1;
    char **argv = a->words;   /* argv[1..]: the operands */
    if (argc != 3) return cli_usage_error("list", "list rename NAME NEW");
    struct list_row row;
    if (find(app, argv[1], &row)) return 1;
    struct error err;
    error_clear(&err);
    int rc = lists_rename(app->store, row.id, argv[2], &err);
    lists_row_free(&row);
    if (rc < 0) return fail(&err);
    char *clean = text_sanitize_dup(argv[2], strlen(argv[2]), LISTS_NAME_MAX, 0);
    printf("renamed %s to %s\n", argv[1], clean);
    free(clean);
    return 0;
}

/* y / yes from the terminal. */
static int confirm(const char *question)
{
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return 0;
    char *p = line;
    while (*p == ' ') p++;
    return !strncasecmp(p, "y\n", 2) || !strncasecmp(p, "yes\n", 4) || !strcasecmp(p, "y") || !strcasecmp(p, "yes");
}

static int act_delete(struct app *app, const struct cli_args *a)
{
    int yes = cli_has(a, 'y') > 0;
    if (a->argc != 1) return cli_usage_error("list", "list delete NAME [--yes]");
    const char *name = a->argv[0];
    struct list_row row;
    if (find(app, name, &row)) return 1;
    char q[LISTS_NAME_MAX + 64];
    snprintf(q, sizeof q, "delete list %s with %lld item%s?", row.name, (long long)row.count, plural(row.count));
    if (!yes) {
        if (!isatty(STDIN_FILENO)) {
            fprintf(stderr, "winnow: %s — no terminal to ask; add --yes to delete it\n", q);
            lists_row_free(&row);
            return 1;
        }
        if (!confirm(q)) {
            printf("kept list %s\n", row.name);
            lists_row_free(&row);
            return 1;
        }
    }
    struct error err;
    error_clear(&err);
    int rc = lists_delete(app->store, row.id, &err);
    if (rc == 0) printf("deleted list %s (%lld item%s; the items stay; winnow list undo brings it back)\n", row.name,
                        (long long)row.count, plural(row.count));
    lists_row_free(&row);
    return rc < 0 ? fail(&err) : 0;
}

/* ITEM-ID... from argv[from..] into a malloc'd array; -1 after a usage message. */
static int parse_ids(int argc, char **argv, int from, int64_t **ids, size_t *n)
{
    *n = 0;
    *ids = xcalloc((size_t)(argc > from ? argc - from : 1), sizeof **ids);
    for (int i = from; i < argc; i++) {
        if (parse_id(argv[i], &(*ids)[(*n)++]) < 0) {
            free(*ids);
            *ids = NULL;
            cli_usage_error("list", "not an item id: %s (ids are the first column of winnow items)", argv[i]);
            return -1;
        }
    }
    return 0;
}

static int act_add_rm(struct app *app, const struct cli_args *a, int add)
{
    int argc = a->argc + 1;
    char **argv = a->words;   /* argv[1..]: the operands */
    if (argc < 3) return cli_usage_error("list", add ? "list add NAME ITEM-ID..." : "list rm NAME ITEM-ID...");
    int64_t *ids;
    size_t n;
    if (parse_ids(argc, argv, 2, &ids, &n) < 0) return 2;
    struct list_row row;
    if (find(app, argv[1], &row)) {
        free(ids);
        return 1;
    }
    struct error err;
    error_clear(&err);
    size_t done = 0;
    int rc = add ? lists_add(app->store, row.id, ids, n, &done, &err)
                 : lists_remove(app->store, row.id, ids, n, &done, &err);
    if (rc == 0) {
        if (add)
            printf("→ %s: added %zu item%s%s\n", row.name, done, plural((int64_t)done),
                   done < n ? " (the others were there already)" : "");
        else
            printf("%s: removed %zu item%s%s\n", row.name, done, plural((int64_t)done),
                   done < n ? " (the others were not in it)" : "");
    }
    free(ids);
    lists_row_free(&row);
    return rc < 0 ? fail(&err) : 0;
}

static int act_move(struct app *app, const struct cli_args *a)
{
    int argc = a->argc + 1;
    char **argv = a->words;   /* argv[1..]: the operands */
    if (argc != 4) return cli_usage_error("list", "list move NAME ITEM-ID POSITION|up|down|top|bottom");
    int64_t id, pos = 0, delta = 0;
    if (parse_id(argv[2], &id) < 0) return cli_usage_error("list", "not an item id: %s", argv[2]);
    const char *p = argv[3];
    if (!strcmp(p, "up")) delta = -1;
    else if (!strcmp(p, "down")) delta = 1;
    else if (!strcmp(p, "top")) pos = 1;
    else if (!strcmp(p, "bottom")) pos = INT64_MAX;
    else if (parse_id(p, &pos) < 0) return cli_usage_error("list", "not a position: %s", p);
    struct list_row row;
    if (find(app, argv[1], &row)) return 1;
    struct error err;
    error_clear(&err);
    int rc = delta ? lists_move_by(app->store, row.id, id, delta, &err) : lists_move(app->store, row.id, id, pos, &err);
    int64_t now = 0;
    if (rc == 0) rc = lists_position(app->store, row.id, id, &now, &err);
    if (rc == 0) printf("%s: item %lld is at %lld of %lld\n", row.name, (long long)id, (long long)now, (long long)row.count);
    lists_row_free(&row);
    return rc < 0 ? fail(&err) : 0;
}

/* The list's items in list order, into sink. */
static int list_items(struct app *app, int64_t list_id, struct item_sink *sink, struct error *err)
{
    struct item_query q = {0};
    q.list_id = list_id;
    item_sink_init(sink);
    return store_items(app->store, &q, sink, err);
}

static int act_show(struct app *app, const struct cli_args *a)
{
    int json = cli_has(a, 'J') > 0;
    if (a->argc != 1) return cli_usage_error("list", "list show NAME [--json]");
    const char *name = a->argv[0];
    struct list_row row;
    if (find(app, name, &row)) return 1;
    struct item_sink sink;
    struct error err;
    error_clear(&err);
    int rc = list_items(app, row.id, &sink, &err);
    if (rc == 0 && json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < sink.n; i++) {
            cJSON *o = cli_item_json(app, &sink.items[i]);
            cJSON_AddNumberToObject(o, "position", (double)(i + 1));
            cJSON_AddItemToArray(arr, o);
        }
        print_json(arr);
    } else if (rc == 0) {
        printf("%s: %zu item%s\n", row.name, sink.n, plural((int64_t)sink.n));
        for (size_t i = 0; i < sink.n; i++) {
            const struct item *it = &sink.items[i];
            char t[32] = "";
            if (it->published >= 0) date_rfc3339(it->published, t, sizeof t);
            t[10] = 0;
            char ft[128];
            printf("%4zu. %6lld %c%c %-10s  %s  %s\n", i + 1, (long long)it->id, it->read ? ' ' : 'N',
                   it->starred ? '*' : ' ', t, cli_col(ft, sizeof ft, it->feed_title, 20, 1),
                   it->title ? it->title : "(untitled)");
        }
    }
    item_sink_free(&sink);
    lists_row_free(&row);
    return rc < 0 ? fail(&err) : 0;
}

/* file:// URL of path (absolute, percent-encoded), malloc'd. */
static char *file_url(const char *path)
{
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "file://");
    char cwd[4096];
    if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
        for (const unsigned char *p = (const unsigned char *)cwd; *p; p++)
            if (strchr("/-._~", *p) || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
                sb_addc(&b, (char)*p);
            else
                sb_printf(&b, "%%%02X", *p);
        sb_addc(&b, '/');
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (strchr("/-._~", *p) || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            sb_addc(&b, (char)*p);
        else
            sb_printf(&b, "%%%02X", *p);
    return sb_steal(&b);
}

static int write_json(struct app *app, FILE *out, const struct list_row *row, const struct item_sink *sink, int64_t now,
                      struct error *err)
{
    cJSON *o = cJSON_CreateObject();
    char t[32];
    cJSON_AddStringToObject(o, "format", "winnow-list");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "name", row->name);
    date_rfc3339(now, t, sizeof t);
    cJSON_AddStringToObject(o, "exported", t);
    cJSON *arr = cJSON_AddArrayToObject(o, "items");
    for (size_t i = 0; i < sink->n; i++) cJSON_AddItemToArray(arr, cli_item_json(app, &sink->items[i]));
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    size_t len = strlen(s);
    int ok = fwrite(s, 1, len, out) == len && fputc('\n', out) != EOF && fflush(out) == 0;
    free(s);
    if (!ok) error_set(err, "write error: %s", strerror(errno));
    return ok ? 0 : -1;
}

static int act_export(struct app *app, const struct cli_args *a)
{
    const char *format = cli_get(a, 'f'), *path = cli_get(a, 'o'), *self = cli_get(a, 's');
    if (a->argc != 1) return cli_usage_error("list", "list export NAME --format m3u|json|opml|atom [-o FILE]");
    enum list_format fmt;
    if (!format || list_format_parse(format, &fmt) < 0)
        return cli_usage_error("list", "--format takes m3u, json, opml or atom");
    struct list_row row;
    if (find(app, a->argv[0], &row)) return 1;
    struct item_sink sink;
    struct error err;
    error_clear(&err);
    if (list_items(app, row.id, &sink, &err) < 0) {
        item_sink_free(&sink);
        lists_row_free(&row);
        return fail(&err);
    }
    /* Written beside the target and renamed over it, so a reader of the file (a feed reader
     * subscribed to it) never sees half an export. */
    FILE *out = stdout;
    char *self_url = NULL;
    struct atomic_file af;
    if (path) {
        if (atomic_file_open(&af, path, 0644, &err) < 0) {
            item_sink_free(&sink);
            lists_row_free(&row);
            return fail(&err);
        }
        out = af.f;
        if (!self) self = self_url = file_url(path);
    }
    struct list_export meta = {row.name, row.id, row.created, self, (int64_t)time(NULL), media_ok, app};
    int rc;
    switch (fmt) {
    case LIST_FMT_M3U: rc = export_m3u(out, &meta, sink.items, sink.n, &err); break;
    case LIST_FMT_OPML: rc = export_opml(out, &meta, sink.items, sink.n, &err); break;
    case LIST_FMT_ATOM: rc = export_atom(out, &meta, sink.items, sink.n, &err); break;
    default: rc = write_json(app, out, &row, &sink, meta.now, &err); break;
    }
    if (path) {
        rc = atomic_file_commit(&af, rc == 0, &err);
        if (rc == 0) fprintf(stderr, "exported %zu item%s of %s to %s\n", sink.n, plural((int64_t)sink.n), row.name, path);
    }
    free(self_url);
    item_sink_free(&sink);
    lists_row_free(&row);
    return rc < 0 ? fail(&err) : 0;
}

#define IMPORT_MAX (64u << 20)

static int act_import(struct app *app, const struct cli_args *a)
{
    const char *name = cli_get(a, 'n');
    if (a->argc != 1) return cli_usage_error("list", "list import FILE.json [--name NAME]");
    const char *path = a->argv[0];
    struct error err;
    error_clear(&err);
    char *body;
    size_t len;
    if (read_file(path, IMPORT_MAX, &body, &len, &err) < 0) return fail(&err);
    cJSON *doc = cJSON_ParseWithLength(body, len);
    free(body);
    /* a list export ({"name", "items"}), or a bare array as `winnow items --json` prints it */
    const cJSON *items = NULL;
    if (cJSON_IsObject(doc)) {
        items = cJSON_GetObjectItemCaseSensitive(doc, "items");
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, "name");
        if (!name && cJSON_IsString(n)) name = n->valuestring;
    } else if (cJSON_IsArray(doc)) {
        items = doc;
    }
    if (!cJSON_IsArray(items)) {
        cJSON_Delete(doc);
        error_set(&err, "%s: not a winnow list export (JSON with \"name\" and \"items\")", path);
        return fail(&err);
    }
    if (!name) {
        cJSON_Delete(doc);
        return cli_usage_error("list", "%s has no list name; give one with --name NAME", path);
    }
    struct item_sink sink;
    item_sink_init(&sink);
    size_t skipped = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, items) {
        struct item it;
        if (cli_item_from_json(o, &it, &sink.arena) < 0) {
            skipped++;
            continue;
        }
        item_sink_push(&sink, &it);    /* sanitises: the file came from elsewhere */
    }
    /* the name came from the file too */
    char *clean = text_sanitize_dup(name, strlen(name), LISTS_NAME_MAX, 0);
    cJSON_Delete(doc);
    size_t added = 0, inserted = 0;
    int rc = lists_import(app->store, clean, sink.items, sink.n, &added, &inserted, &err);
    if (rc == 0) {
        printf("imported %zu item%s into %s (%zu new to this database", added, plural((int64_t)added), clean, inserted);
        if (sink.n - added) printf(", %zu already in the list", sink.n - added);
        if (skipped) printf(", %zu unreadable skipped", skipped);
        printf(")\n");
    }
    free(clean);
    item_sink_free(&sink);
    return rc < 0 ? fail(&err) : 0;
}

static int act_undo(struct app *app, const struct cli_args *a)
{
    if (a->argc) return cli_usage_error("list", "list undo takes no arguments");
    char what[512];
    struct error err;
    error_clear(&err);
    int rc = lists_undo(app->store, what, sizeof what, &err);
    if (rc < 0) return fail(&err);
    if (rc == 0) printf("nothing to undo\n");
    else printf("undid: %s\n", what);
    return 0;
}

static int act_add(struct app *app, const struct cli_args *a) { return act_add_rm(app, a, 1); }
static int act_rm(struct app *app, const struct cli_args *a) { return act_add_rm(app, a, 0); }

static const struct cli_opt delete_opts[] = {
    {'y', "yes", CLI_NO_ARG, NULL, CLI_OPT_SHORT, "do not ask"},
    {0, NULL, 0, NULL, 0, NULL},
};
static const struct cli_opt export_opts[] = {
    {'f', "format", CLI_ARG, "m3u|json|opml|atom", CLI_OPT_SHORT | CLI_OPT_REQUIRED,
     "m3u plays in mpv; atom is a feed others can subscribe to"},
    {'o', "output", CLI_ARG, "FILE", CLI_OPT_SHORT, "write FILE (atomically) instead of standard output"},
    {'s', "self", CLI_ARG, "URL", CLI_OPT_SHORT, "the URL an atom export will be published at"},
    {0, NULL, 0, NULL, 0, NULL},
};
static const struct cli_opt import_opts[] = {
    {'n', "name", CLI_ARG, "NAME", CLI_OPT_SHORT, "the list to import into (else the export's own name)"},
    {0, NULL, 0, NULL, 0, NULL},
};

#define ACTION(var, nm, syn, sum, options, fn, ...)                                                   \
    static const char *const var##_aliases[] = {__VA_ARGS__ __VA_OPT__(,) NULL};                   \
    static const struct cli_cmd_entry var = {.name = nm, .usage = syn, .summary = sum, .opts = options, \
                                             .help = "", .needs = CLI_NEEDS_STORE, .exec = fn,          \
                                             .aliases = var##_aliases}
ACTION(act_new_entry, "new", "list new NAME", "make a list", NULL, act_new, "create");
ACTION(act_rename_entry, "rename", "list rename NAME NEW", "rename it", NULL, act_rename);
ACTION(act_delete_entry, "delete", "list delete NAME [--yes]", "delete it (asks first; its items stay in the database)",
       delete_opts, act_delete);
ACTION(act_add_entry, "add", "list add NAME ITEM-ID...", "append items (adding twice changes nothing)", NULL, act_add);
ACTION(act_rm_entry, "rm", "list rm NAME ITEM-ID...", "take items out", NULL, act_rm, "remove");
ACTION(act_move_entry, "move", "list move NAME ITEM-ID POSITION", "reorder: a position from 1, or up, down, top, bottom",
       NULL, act_move);
ACTION(act_show_entry, "show", "list show NAME [--json]", "its items in list order", json_opts, act_show);
ACTION(act_export_entry, "export", "list export NAME --format m3u|json|opml|atom [-o FILE] [--self URL]",
       "m3u plays in mpv; atom is a feed others can subscribe to (--self: the URL it will be published at)",
       export_opts, act_export);
ACTION(act_import_entry, "import", "list import FILE.json [--name NAME]",
       "a json export back into a list (made if missing)", import_opts, act_import);
ACTION(act_undo_entry, "undo", "list undo", "revert the last curation action (also the TUI's)", NULL, act_undo);

static const struct cli_cmd_entry *const list_subs[] = {
    &act_new_entry, &act_rename_entry, &act_delete_entry, &act_add_entry, &act_rm_entry, &act_move_entry,
    &act_show_entry, &act_export_entry, &act_import_entry, &act_undo_entry, NULL,
};

const struct cli_cmd_entry cli_list_entry = {
    .name = "list",
    .usage = "list new|rename|delete|add|rm|move|show|export|import|undo ...",
    .summary = "curate lists (winnow help list)",
    .help = "Item ids are the first column of `winnow items`.  Every action is saved at once.\n",
    .needs = CLI_NEEDS_STORE,
    .subs = list_subs,
};

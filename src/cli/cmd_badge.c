/* SPDX-License-Identifier: ISC */
/* Provenance subcommands: `badge` (the facts about one media file or URL, as the reader's detail
 * view shows them, or JSON) and `trust` (the C2PA trust list and the user's own anchors). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "prov.h"

#define OFFICIAL_TRUST_URL \
    "https://raw.githubusercontent.com/c2pa-org/conformance-public/main/trust-list/C2PA-TRUST-LIST.pem"
#define BADGE_MAX_WHOLE (256u << 20)   /* files up to this are read whole */
#define BADGE_HEAD (16u << 20)         /* larger ones (videos): their head */
#define URL_MAX_BODY (32u << 20)

static const char NO_LIST_NOTE[] =
    "no C2PA trust list: run winnow trust update; signatures are checked but signers are 'not trusted'";


/* The bytes of a file or URL; head_only when only the start of a large one was read. */
static int load_media(struct app *app, const char *what, char **buf, size_t *len, int *head_only)
{
    *head_only = 0;
    if (app_arg_is_url(what)) {
        struct error err;
        error_clear(&err);
        if (app_fetch_one(app, what, URL_MAX_BODY, 0, 1, buf, len, &err) == 0) return 0;
        if (!strstr(err.msg, "larger than")) {
            cli_error("%s", err.msg);
            return -1;
        }
        /* a long video: C2PA sits before the media data, so its head is enough to read it */
        error_clear(&err);
        if (app_fetch_one(app, what, BADGE_HEAD, (long)BADGE_HEAD - 1, 1, buf, len, &err) < 0) {
            cli_error("%s", err.msg);
            return -1;
        }
        *head_only = 1;
        return 0;
    }
    struct stat st;
    if (stat(what, &st) != 0) {
        cli_error("%s: %s", what, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        cli_error("%s: not a regular file", what);
        return -1;
    }
    if ((uint64_t)st.st_size <= BADGE_MAX_WHOLE) {
        struct error err;
        error_clear(&err);
        if (read_file(what, BADGE_MAX_WHOLE, buf, len, &err) < 0) {
            cli_error("%s", err.msg);
            return -1;
        }
        return 0;
    }
    FILE *f = fopen(what, "rb");
    if (!f) {
        cli_error("%s: %s", what, strerror(errno));
        return -1;
    }
    *buf = xmalloc(BADGE_HEAD);
    *len = fread(*buf, 1, BADGE_HEAD, f);
    fclose(f);
    *head_only = 1;
    return 0;
}

static const struct cli_opt badge_opts[] = {
    {'J', "json", CLI_NO_ARG, NULL, 0, "print JSON"},
    {'t', "trust", CLI_ARG, "PEM", CLI_OPT_REPEAT, "one more trust anchor for this run (repeatable)"},
    {'a', "ascii", CLI_NO_ARG, NULL, 0, "ASCII glyphs"},
    {'N', "no-cache", CLI_NO_ARG, NULL, 0, "scan again, not from the cache of results"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int badge_exec(struct app *app, const struct cli_args *a)
{
    int json = cli_has(a, 'J') > 0, ascii = cli_has(a, 'a') > 0, no_cache = cli_has(a, 'N') > 0;
    if (a->argc > 1) return cli_usage_error("badge", "give one file or URL");
    if (!a->argc) return cli_usage_error("badge", "give a file or URL");
    const char *what = a->argv[0];
    size_t n_extra;
    const char *const *extra = cli_all(a, 't', &n_extra);
    /* --trust files are trust-anchor lines for this run: the session judges with both */
    for (size_t i = 0; i < n_extra && app->cfg.n_trust_anchors < CONFIG_MAX_PROV; i++)
        snprintf(app->cfg.trust_anchors[app->cfg.n_trust_anchors++], sizeof app->cfg.trust_anchors[0], "%s", extra[i]);
    char *buf = NULL;
    size_t len = 0;
    int head_only = 0;
    struct error err;
    error_clear(&err);
    struct prov_badge *bp = xmalloc(sizeof *bp);
    int have_list = 0, rc;
    struct stat lst;
    if (!app_arg_is_url(what) && stat(what, &lst) == 0 && S_ISREG(lst.st_mode)) {
        /* a local file of any size, whole: mapped, and hashed as a stream (prov_scan_file) */
        rc = app_badge_file(app, what, !no_cache, bp, &have_list, &err);
    } else {
        if (load_media(app, what, &buf, &len, &head_only) < 0) {
            free(bp);
            return 1;
        }
        rc = app_badge_media(app, buf, len, head_only, !no_cache, bp, &have_list, &err);
        free(buf);
    }
    if (rc < 0) {
        cli_error("%s", err.msg);
        free(bp);
        return 1;
    }
    if (!have_list) cli_error("%s", NO_LIST_NOTE);
    struct prov_badge b = *bp;
    free(bp);
    if (json) {
        cJSON *o = prov_badge_json(&b);
        cJSON_AddStringToObject(o, "file", what);
        cJSON_AddBoolToObject(o, "trust_list", have_list);
        char *s = cJSON_Print(o);
        printf("%s\n", s);
        cJSON_free(s);
        cJSON_Delete(o);
    } else {
        struct prov_cell cells[2];
        prov_badge_cells(&b, ascii, cells);
        printf("%s  %s%s  credentials %s, AI %s\n", what, cells[0].glyph, cells[1].glyph, prov_cred_name(b.cred),
               prov_ai_name(b.ai));
        struct strbuf lines;
        sb_init(&lines);
        prov_badge_lines(&b, ascii, &lines);
        fputs(lines.s ? lines.s : "", stdout);
        sb_free(&lines);
        if (!have_list) printf("%-10s%s\n", "Note", NO_LIST_NOTE);
    }
    return 0;
}

const struct cli_cmd_entry cli_badge_entry = {
    .name = "badge",
    .operands = "FILE|URL",
    .operands_first = 1,
    .summary = "show where a media file came from: Content Credentials (C2PA), AI disclosures",
    .opts = badge_opts,
    .help = "Scans an image or video (a file, or a URL fetched with a size cap; of a large video only its head)\n"
            "for Content Credentials (C2PA: signature, hashes, signer, certificate chain) and IPTC XMP, and\n"
            "prints one fact per line, or JSON with --json.  Signers are trusted only through the C2PA trust\n"
            "list (winnow trust update), your anchors (winnow trust add, --trust PEM, anchor = in the trust\n"
            "file) and your trust_signer rules; never through the system CA store.  Results are cached by\n"
            "the file's SHA-256 in $XDG_CACHE_HOME/winnow/prov (--no-cache skips it).\n",
    .needs = CLI_NEEDS_CONFIG,
    .exec = badge_exec,
};

/* ---- trust ---- */

static int write_atomic(const char *path, const char *data, size_t len)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    int rc = -1;
    struct error err;
    error_clear(&err);
    if (mkdir_p(dir, 0700) == 0) rc = atomic_file_write(path, data, len, 0600, &err);
    free(dir);
    return rc;
}

/* The stored verdicts follow the new trust store: those made under the old one are judged again
 * from their evidence, with no media fetched. */
static int rejudge(struct app *app)
{
    struct error err;
    error_clear(&err);
    if (app_prov_reload(app, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}

/* The TSA trust list lives beside the C2PA list (trust-list/C2PA-TSA-TRUST-LIST.pem): fetched from
 * the same folder.  Its failure is reported but does not undo the main list. */
static void tsa_update(struct app *app, const char *list_url)
{
    const char *slash = strrchr(list_url, '/');
    if (!slash) return;
    struct strbuf u;
    sb_init(&u);
    sb_add(&u, list_url, (size_t)(slash - list_url) + 1);
    sb_adds(&u, "C2PA-TSA-TRUST-LIST.pem");
    char *body = NULL;
    size_t len = 0;
    struct error err;
    error_clear(&err);
    if (app_fetch_one(app, u.s, 8u << 20, 0, 0, &body, &len, &err) < 0) {
        cli_error("trust update: TSA list not updated: %s", err.msg);
        sb_free(&u);
        return;
    }
    struct prov_trust *t = prov_trust_new();
    int n = prov_trust_add_pem(t, body, len, 1, u.s, &err);
    prov_trust_free(t);
    char *path = prov_tsa_list_path();
    if (n <= 0) cli_error("trust update: TSA list not updated: %s", err.msg);
    else if (write_atomic(path, body, len) < 0) cli_error("trust update: cannot write %s: %s", path, strerror(errno));
    else printf("C2PA TSA trust list: %d certificates from %s\n  saved as %s\n", n, u.s, path);
    free(path);
    free(body);
    sb_free(&u);
}

static int trust_update(struct app *app)
{
    const char *url = getenv("WINNOW_TRUST_URL");
    if (!url || !*url) url = OFFICIAL_TRUST_URL;
    struct { char *body; size_t len; } g = {0};
    struct error err;
    error_clear(&err);
    if (app_fetch_one(app, url, 8u << 20, 0, 0, &g.body, &g.len, &err) < 0) {
        cli_error("trust update: %s", err.msg);
        return 1;
    }
    struct prov_trust *t = prov_trust_new();
    int n = prov_trust_add_pem(t, g.body, g.len, 1, url, &err);
    prov_trust_free(t);
    if (n <= 0) {
        cli_error("trust update: %s (the file was not replaced)", err.msg);
        free(g.body);
        return 1;
    }
    char *path = prov_trust_list_path();
    int rc = write_atomic(path, g.body, g.len);
    free(g.body);
    if (rc < 0) cli_error("trust update: cannot write %s: %s", path, strerror(errno));
    else printf("C2PA trust list: %d certificates from %s\n  saved as %s\n", n, url, path);
    free(path);
    if (rc == 0) tsa_update(app, url);
    return rc < 0 ? 1 : rejudge(app);
}

static void print_anchor(const char *org, const char *cn, const char *sha, int official, void *user)
{
    int *want_official = user;
    if (official != *want_official) return;
    printf("  %s%s%s  sha256:%.16s…\n", org[0] ? org : "", org[0] && cn[0] ? " / " : "", cn, sha);
}

static int trust_list(struct app *app)
{
    struct error err;
    error_clear(&err);
    int n, mine;
    app_trust_each(app, &n, &mine, NULL, NULL, &err);
    if (n < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    char *path = prov_trust_list_path();
    if (n) {
        struct stat st;
        char when[32] = "";
        if (stat(path, &st) == 0) {
            struct tm tm;
            gmtime_r(&st.st_mtime, &tm);
            strftime(when, sizeof when, "%Y-%m-%d", &tm);
        }
        printf("C2PA trust list: %d certificates, updated %s (%s)\n", n, when, path);
        int official = 1;
        app_trust_each(app, &n, &mine, print_anchor, &official, &err);
    } else {
        printf("%s\n", NO_LIST_NOTE);
    }
    free(path);
    char *tsa = prov_tsa_list_path();
    int n_tsa = app_trust_tsa_count(app);
    if (n_tsa > 0) printf("C2PA TSA trust list: %d certificates (%s)\n", n_tsa, tsa);
    else printf("no C2PA TSA trust list: time stamp authorities are not checked (winnow trust update fetches it)\n");
    free(tsa);
    int own = 0;
    printf("Your anchors: %d\n", mine);
    app_trust_each(app, &n, &mine, print_anchor, &own, &err);
    char *rp = prov_rules_path();
    printf("Trust file: %s\n", rp);
    free(rp);
    return 0;
}

static void added_line(const char *org, const char *cn, const char *sha, int official, void *user)
{
    (void)official;
    (void)user;
    printf("  %s%s%s  sha256:%s\n", org, org[0] && cn[0] ? " / " : "", cn, sha);
}

static int trust_add(struct app *app, const char *pem_path)
{
    char *buf;
    size_t len;
    struct error err;
    error_clear(&err);
    if (read_file(pem_path, 8u << 20, &buf, &len, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    struct prov_trust *t = prov_trust_new();
    int n = prov_trust_add_pem(t, buf, len, 0, pem_path, &err);
    if (n <= 0) {
        cli_error("trust add: %s", err.msg);
        free(buf);
        prov_trust_free(t);
        return 1;
    }
    /* named by the set of certificates, so adding the same file twice changes nothing */
    char *dir = prov_trust_anchor_dir();
    struct strbuf p;
    sb_init(&p);
    sb_printf(&p, "%s/%.16s.pem", dir, prov_trust_fingerprint(t));
    int rc = write_atomic(p.s, buf, len);
    free(buf);
    if (rc < 0) cli_error("trust add: cannot write %s: %s", p.s, strerror(errno));
    else {
        printf("added %d anchor%s as %s\n", n, n == 1 ? "" : "s", p.s);
        prov_trust_each(t, added_line, NULL);
    }
    sb_free(&p);
    free(dir);
    prov_trust_free(t);
    return rc < 0 ? 1 : rejudge(app);
}

static int trust_exec(struct app *app, const struct cli_args *a)
{
    const char *what = a->argc ? a->argv[0] : "";
    if (!strcmp(what, "update") && a->argc == 1) return trust_update(app);
    if (!strcmp(what, "list") && a->argc == 1) return trust_list(app);
    if (!strcmp(what, "add") && a->argc == 2) return trust_add(app, a->argv[1]);
    return cli_usage_error("trust", "give update, list or add PEM");
}

const struct cli_cmd_entry cli_trust_entry = {
    .name = "trust",
    .usage = "trust update|list|add PEM",
    .summary = "manage the C2PA trust list and your own anchors",
    .help = "update downloads the official C2PA trust list (c2pa-org conformance-public, trust-list/\n"
            "C2PA-TRUST-LIST.pem, and the time stamping authorities' C2PA-TSA-TRUST-LIST.pem beside it)\n"
            "into $XDG_DATA_HOME/winnow/trust/; list shows it and your anchors; add PEM\n"
            "keeps the certificates of PEM as anchors of your own.  The trust file $XDG_CONFIG_HOME/winnow/trust\n"
            "(or WINNOW_TRUST_FILE) takes: anchor = PEM, trust_signer / distrust_signer = sha256:HEX or\n"
            "O=Org[,CN=Name], trust_account = HANDLE, labeller = DID, ai_account = HANDLE CLASS, hide = FILTER,\n"
            "only = FILTER (ai-generated, ai-edited, ai, synthetic, capture, human-made, ai-unknown,\n"
            "credentials-trusted, credentials-valid, credentials-invalid, credentials-none, credentials-stripped,\n"
            "bot, conflict, sensitive).  Tests only: WINNOW_TRUST_URL replaces the download URL.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = trust_exec,
};

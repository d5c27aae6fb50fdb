/* winnow's entry point: global options, subcommand dispatch, --help and --version. */
#include <curses.h>
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
#include <mpv/client.h>
#include <sqlite3.h>

#include "cli.h"
#include "text.h"
#include "config.h"
#include "fetch.h"
#include "player_dl.h"

static const struct cli_cmd commands[] = {
    {"add", "add URL|TIMELINE [--kind KIND] [--link] [--via yt-dlp] [--title TITLE] [--tag TAG]... [--insecure-tls] [--offline] [--pick N]",
     "subscribe to a feed, a channel, an account or one page",
     "Subscribes to URL (http, https or file): a feed, or the page you copied from a browser on\n"
     "YouTube, Invidious, Mastodon, Bluesky, Reddit, PeerTube, Hacker News or Lemmy.  winnow picks\n"
     "the adapter and the API endpoint from the URL and says which; --kind forces an adapter\n"
     "(feed, youtube, invidious, mastodon, bluesky, reddit, peertube, hackernews, lemmy, link),\n"
     "and an API endpoint URL is taken as it is.  --link keeps one page (a Sora, Meta Vibes or X\n"
     "share link, any article) as one item from its OpenGraph tags.  --title sets a title that\n"
     "refreshes will not overwrite; --tag (repeatable) files the feed under tags.\n"
     "--insecure-tls fetches this one feed without checking its TLS certificate (a self-signed\n"
     "server you trust); every other feed stays verified.\n"
     "add checks the URL with one request (10 s at most) and refuses it with what failed (the host\n"
     "does not answer, HTTP 404, the API's own reason); --offline subscribes without asking.  A web\n"
     "page is searched for the feeds it names (<link rel=\"alternate\"> RSS, Atom or JSON Feed, or\n"
     "rel=\"feed\"): winnow subscribes to the first and lists the others, --pick N takes the N-th; a\n"
     "page that names none is refused (--link keeps the page itself).  The same feed under another\n"
     "spelling (HTTP://, an upper-case host, a trailing slash, a fragment, its API URL) is not\n"
     "added again: winnow says \"already subscribed as feed N\" and exits 0.\n"
     "--via yt-dlp reads a video page (TikTok, Vimeo, Instagram, ... any page yt-dlp knows)\n"
     "through the yt-dlp program: one video becomes one item, a channel or playlist a feed; such\n"
     "pages go to yt-dlp by themselves when it is installed.  A Sora share link is read from the\n"
     "post's JSON (else yt-dlp, else its card); an X profile needs `bridge-x = URL` (Nitter or\n"
     "RSSHub) in the config.  After `winnow login`, TIMELINE names your own: mastodon:home,\n"
     "mastodon:list/ID, mastodon:bookmarks, mastodon:favourites, mastodon:notifications,\n"
     "bluesky:following, bluesky:feed/AT-URI, bluesky:list/AT-URI (NAME@SERVER picks a login).\n",
     1, cmd_add},
    {"login", "login mastodon SERVER | login bluesky HANDLE [--server URL]",
     "log in to read your own Mastodon or Bluesky timelines", cmd_login_help, 1, cmd_login},
    {"logout", "logout mastodon|bluesky [SERVER]", "forget a login (its feeds and items stay)",
     "Forgets the logins of the service (of one server when given) and revokes a Mastodon token.\n", 1,
     cmd_logout},
    {"remove", "remove URL|ID", "unsubscribe",
     "Removes a feed and its items.  Items you starred or put in a list stay.\n", 1, cmd_remove},
    {"feeds", "feeds [--json]", "list subscriptions",
     "Lists feeds with their id, kind, unread/total item counts, the size of their items in the\n"
     "database, and the last error.  --json: bytes is that size.\n", 1, cmd_feeds},
    {"refresh", "refresh [--jobs N] [--quiet] [--no-scan] [FEED...]", "fetch feeds",
     "Fetches all feeds (or the given URLs or ids) in parallel and stores new items.  Prints one\n"
     "line per feed and a summary.  Exit status 0 when every feed succeeded, 1 when some failed.\n"
     "A failed feed keeps everything stored before.  Then, behind the feeds, the new items' media\n"
     "are fetched (thumbnails whole, images and videos their first 4 MiB) and scanned for Content\n"
     "Credentials and IPTC metadata; the verdicts are stored.  --no-scan (or scan-media = no in\n"
     "the config) fetches no media: those items say \"not checked yet\" until winnow scan.\n",
     1, cmd_refresh},
    {"scan", "scan [--all | ITEM-ID...]", "check the media of items for provenance now",
     "Fetches and scans the media of the given items, or (--all, the default) of every item whose\n"
     "media are not checked yet or could not be checked, and stores the verdicts.\n",
     1, cmd_scan},
    {"items", "items [--feed URL|ID] [--unread] [--category NAME] [--search TEXT] [--tag TAG] [--limit N] [--hide FILTER]... [--only FILTER]... [--no-filters] [--json]",
     "list items, newest first",
     "Prints items newest first.  --json prints one array of objects (id, feed, title, author,\n"
     "url, published as RFC 3339, thumbnail, media {url, type, duration}, categories,\n"
     "enclosures [{url, type, length}], provenance, ...).  --category keeps items the feed filed\n"
     "under NAME (a whole category, ASCII case ignored); --search matches title, summary and\n"
     "categories where a word starts (\"snake_ca\" finds snake_case).  --hide and --only curate by the stored provenance verdicts (the names of winnow\n"
     "help badge: ai-generated, ai-edited, ai, credentials-valid, ...), on top of the config's\n"
     "hide/only lines unless --no-filters.  --feed shows one feed's items, --tag those of the feeds\n"
     "filed under a tag, --unread the unread ones, --limit at most N.\n",
     1, cmd_items},
    {"import", "import [--allow-file] FILE", "import subscriptions (OPML or a newsboat urls file)",
     "Reads OPML (nested outlines become tags) or a newsboat urls file (tags and \"~Title\").\n"
     "A shared list is someone else's: its file:// entries are refused (and named) unless\n"
     "--allow-file is given, and even then only regular files are taken.\n", 1,
     cmd_import},
    {"export", "export --opml", "print subscriptions as OPML", "Writes OPML 2.0 to standard output.\n", 1,
     cmd_export},
    {"demo", "demo [DIR] [--no-tui]", "open the bundled offline demo feeds",
     "Subscribes a separate database (demo.db beside the usual one, unless --db is given) to the\n"
     "bundled demo feeds as file:// URLs, refreshes them and opens the reader.\n",
     1, cmd_demo},
    {"play", "play URL|ITEM-ID... [--list NAME] [--vo tct|sixel|gpu|auto|none|null] [--ao auto|null] [--audio-only] [--preset auto|full|ssh] [--no-resume] [--no-mpv-config] [--ytdl] [-o KEY=VALUE]...", "play media through mpv, in the terminal by default", "Plays the URLs and items in order as one queue: an item's media, or its video page through\nyt-dlp; --list NAME adds the items of a list in its order, --ytdl opens the URLs through yt-dlp.\nInside mpv: > and < move through the queue, q quits, b switches to the low-bandwidth preset\nand back.  --vo: tct (the terminal, default), sixel, gpu (a window), auto (a window when a\ndisplay is there), none (audio only), null.  --preset ssh: 256 colours, 10 fps, a smaller\npicture (auto: over SSH).  Items resume where they were stopped (--no-resume starts over);\nitems played to the end are marked read.  mpv's own config (~/.config/mpv) is read unless\n--no-mpv-config; -o/--mpv-option KEY=VALUE passes any mpv option.  One line per entry on how\nit ended; exit status 0 when everything played to the end, 1 otherwise.\nTest options: --untimed (decode without a clock), --stop-after SECONDS (stop like q).\n", 1, cmd_play},
    {"lists", "lists [--json]", "show your lists with their counts", "Lists every list with its item and unread counts; the one `a` adds to is marked.\n", 1, cmd_lists},
    {"list", "list new|rename|delete|add|rm|move|show|export|import|undo ...", "curate lists (winnow help list)", cmd_list_help, 1, cmd_list},
    {"thumb", "thumb FILE|URL [--size COLSxROWS] [--colors 16|256|direct|ascii] [--graphics sixel|kitty]", "print a picture as a terminal thumbnail", "Decodes a JPEG, PNG, WebP, GIF or AVIF (chosen by its bytes) from a file or URL and prints\nit as coloured cells fitted into COLSxROWS (default 40x15).  --colors: direct (24-bit; the\ndefault when COLORTERM says truecolor), 256 (the default), 16, or ascii (plain characters,\nthe default under NO_COLOR).  --graphics prints sixel or kitty pixels instead.\n", 2, cmd_thumb},
    {"badge", "badge FILE|URL [--json] [--trust PEM]... [--ascii] [--no-cache]", "show where a media file came from: Content Credentials (C2PA), AI disclosures", "Scans an image or video (a file, or a URL fetched with a size cap; of a large video only its head)\nfor Content Credentials (C2PA: signature, hashes, signer, certificate chain) and IPTC XMP, and\nprints one fact per line, or JSON with --json.  Signers are trusted only through the C2PA trust\nlist (winnow trust update), your anchors (winnow trust add, --trust PEM, anchor = in the trust\nfile) and your trust_signer rules; never through the system CA store.  Results are cached by\nthe file's SHA-256 in $XDG_CACHE_HOME/winnow/prov (--no-cache skips it).\n", 2, cmd_badge},
    {"trust", "trust update|list|add PEM", "manage the C2PA trust list and your own anchors", "update downloads the official C2PA trust list (c2pa-org conformance-public, trust-list/\nC2PA-TRUST-LIST.pem, and the time stamping authorities' C2PA-TSA-TRUST-LIST.pem beside it)\ninto $XDG_DATA_HOME/winnow/trust/; list shows it and your anchors; add PEM\nkeeps the certificates of PEM as anchors of your own.  The trust file $XDG_CONFIG_HOME/winnow/trust\n(or WINNOW_TRUST_FILE) takes: anchor = PEM, trust_signer / distrust_signer = sha256:HEX or\nO=Org[,CN=Name], trust_account = HANDLE, labeller = DID, ai_account = HANDLE CLASS, hide = FILTER,\nonly = FILTER (ai-generated, ai-edited, ai, synthetic, capture, human-made, ai-unknown,\ncredentials-trusted, credentials-valid, credentials-invalid, credentials-none, credentials-stripped,\nbot, conflict, sensitive).  Tests only: WINNOW_TRUST_URL replaces the download URL.\n", 1, cmd_trust},
    {"help", "help [SUBCOMMAND | config | keys | --man PART | --markdown PART]", "show help",
     "Shows the help of a subcommand; config: every config key with its values, default and\n"
     "meaning; keys: the reader's actions with their default keys.  --man and --markdown print the\n"
     "man page's and the README's generated parts (PART: commands, config, keys).\n",
     0, cmd_help},
};

static const struct cli_cmd *command_ptrs[sizeof commands / sizeof commands[0] + 1];

const struct cli_cmd *const *cli_commands(void)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) command_ptrs[i] = &commands[i];
    return command_ptrs;
}

const struct cli_cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

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
    const struct cli_cmd *c = cmd ? cli_find(cmd) : NULL;
    if (c) fprintf(stderr, "usage: winnow %s\n", c->usage);
    return 2;
}

static void usage(FILE *out)
{
    fprintf(out,
            "winnow %s — a calm terminal feed reader\n\n"
            "usage: winnow [--db PATH] [--config PATH] [SUBCOMMAND [ARGS]]\n\n"
            "With no subcommand winnow opens the reader (the TUI).\n\nSubcommands:\n",
            PACKAGE_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nOptions:\n"
            "  --db PATH       database (default $XDG_DATA_HOME/winnow/winnow.db; env WINNOW_DB)\n"
            "  --config PATH   config file (default $XDG_CONFIG_HOME/winnow/config; env WINNOW_CONFIG)\n"
            "  -h, --help      this help;  winnow help SUBCOMMAND for one subcommand\n"
            "  -V, --version   versions of winnow and its libraries, and the terminal's colours\n\n"
            "Try the bundled offline demo:  winnow demo\n");
}

int cmd_help(struct app *app, int argc, char **argv)
{
    (void)app;
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "config") || !strcmp(argv[1], "keys") || !strcmp(argv[1], "--man") ||
        !strcmp(argv[1], "--markdown")) {
        if (cli_docs(argv[1], argc > 2 ? argv[2] : NULL, stdout) < 0)
            return cli_usage_error("help", "%s takes one of: commands, config, keys", argv[1]);
        return 0;
    }
    const struct cli_cmd *c = cli_find(argv[1]);
    if (!c) return cli_usage_error(NULL, "no subcommand \"%s\" (winnow --help lists them)", argv[1]);
    printf("usage: winnow %s\n\n%s\n%s", c->usage, c->summary, c->help);
    return 0;
}

static void version(void)
{
    printf("winnow %s\n", PACKAGE_VERSION);
    printf("  %s\n", fetch_version());
    printf("  sqlite %s, %s, cJSON %s, %s, libxml2 %s\n", sqlite3_libversion(), curses_version(),
           cJSON_Version(), XML_ExpatVersion(), LIBXML_DOTTED_VERSION);
    unsigned long mv = mpv_client_api_version();   /* loads libmpv: see src/media/mpv_dl.c */
    if (mv)
        printf("  chafa %d.%d.%d, mpv client API %lu.%lu (loaded when playing)\n", CHAFA_MAJOR_VERSION,
               CHAFA_MINOR_VERSION, CHAFA_MICRO_VERSION, mv >> 16, mv & 0xFFFF);
    else
        printf("  chafa %d.%d.%d, %s\n", CHAFA_MAJOR_VERSION, CHAFA_MINOR_VERSION, CHAFA_MICRO_VERSION,
               mpv_dl_error());
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

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct app_paths paths = {0};
    /* Global options may stand anywhere; take them out before dispatch. */
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--db") || !strcmp(argv[i], "--config")) && i + 1 < argc) {
            if (argv[i][2] == 'd') paths.db = argv[i + 1];
            else paths.config = argv[i + 1];
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--db=", 5)) { paths.db = argv[i] + 5; continue; }
        if (!strncmp(argv[i], "--config=", 9)) { paths.config = argv[i] + 9; continue; }
        argv[n++] = argv[i];
    }
    argc = n;
    argv[argc] = NULL;

    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
        version();
        return 0;
    }
    const struct cli_cmd *cmd = NULL;
    if (argc >= 2) {
        if (argv[1][0] == '-') return cli_usage_error(NULL, "unknown option %s (try winnow --help)", argv[1]);
        cmd = cli_find(argv[1]);
        if (!cmd) return cli_usage_error(NULL, "no subcommand \"%s\" (try winnow --help)", argv[1]);
        /* `winnow add --help` */
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                char *hargv[] = {"help", argv[1], NULL};
                return cmd_help(NULL, 2, hargv);
            }
        if (!cmd->needs_app) {
            int filter = strcmp(cmd->name, "thumb") != 0;
            if (filter) cli_filter_output();
            int rc = cmd->run(NULL, argc - 1, argv + 1);
            if (filter) cli_filter_end();
            return rc;
        }
    }
    char *demo_db = NULL;
    if (cmd && !strcmp(cmd->name, "demo") && !paths.db && !getenv("WINNOW_DB")) {
        /* the demo never mixes its feeds into the user's own database */
        char *dir = app_xdg_dir("XDG_DATA_HOME", ".local/share");
        demo_db = xmalloc(strlen(dir) + 16);
        sprintf(demo_db, "%s/demo.db", dir);
        free(dir);
        paths.db = demo_db;
    }
    /* the reader, play and thumb own the terminal (ncurses, mpv and pictures write escape
     * sequences through stdio); every other subcommand's output is text, filtered */
    int filter = cmd && strcmp(cmd->name, "play") && strcmp(cmd->name, "thumb") && strcmp(cmd->name, "demo");
    if (filter) cli_filter_output();
    struct app app;
    struct error err;
    error_clear(&err);
    int rc;
    paths.no_store = cmd && cmd->needs_app == 2;
    if (app_open(&app, &paths, &err) < 0) {
        rc = cli_error("%s", err.msg);
    } else {
        rc = cmd ? cmd->run(&app, argc - 1, argv + 1) : ui_run(&app);
        app_close(&app);
    }
    free(demo_db);
    if (filter) cli_filter_end();
    return rc;
}

/* SPDX-License-Identifier: ISC */
/* login and logout: your own Mastodon and Bluesky timelines (login.h).  The secrets they handle
 * go to the credentials file only; nothing here prints one. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "login.h"

const char cmd_login_help[] =
    "mastodon SERVER: registers winnow with the server (scope read), prints the page where you\n"
    "allow it, reads the code that page shows, and keeps the token.  bluesky HANDLE: reads an app\n"
    "password (Settings > Privacy and security > App passwords; never your account password) and\n"
    "opens a session at https://bsky.social or --server URL; the session is renewed when it\n"
    "expires.  Then add your timelines: mastodon:home, mastodon:list/ID, mastodon:bookmarks,\n"
    "mastodon:favourites, mastodon:notifications (mentions); bluesky:following, bluesky:feed/AT-URI,\n"
    "bluesky:list/AT-URI (login prints your lists and saved feeds).  Secrets are kept in\n"
    "$XDG_DATA_HOME/winnow/credentials, mode 0600 (a file others can read is refused), and never in\n"
    "the database, the config, --json or a message.  A login that expired or was revoked says so at\n"
    "refresh (\"mastodon.social: login expired: winnow login mastodon mastodon.social\"); nothing\n"
    "stored is deleted.\n";

int cmd_login(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {{"server", required_argument, 0, 's'}, {0, 0, 0, 0}};
    const char *server = NULL;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
        if (c == 's') server = optarg;
        else return cli_usage_error("login", "bad option");
    }
    if (optind != argc - 2) return cli_usage_error("login", "give a service and a server or handle");
    const char *service = argv[optind], *who = argv[optind + 1];
    struct error err;
    error_clear(&err);
    int rc;
    if (!strcmp(service, "mastodon")) {
        if (server) return cli_usage_error("login", "mastodon takes the server as its argument");
        rc = app_login_mastodon(app, who, stdin, stdout, &err);
    } else if (!strcmp(service, "bluesky")) {
        rc = app_login_bluesky(app, who, server, stdin, stdout, &err);
    } else {
        return cli_usage_error("login", "unknown service \"%s\" (mastodon, bluesky)", service);
    }
    if (rc < 0) {
        fprintf(stderr, "winnow: %s\n", err.msg);
        return 1;
    }
    return 0;
}

int cmd_logout(struct app *app, int argc, char **argv)
{
    if (argc != 2 && argc != 3) return cli_usage_error("logout", "give a service and, optionally, a server");
    struct error err;
    error_clear(&err);
    if (app_logout(app, argv[1], argc == 3 ? argv[2] : NULL, stdout, &err) < 0) {
        fprintf(stderr, "winnow: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* SPDX-License-Identifier: ISC */
/* login and logout: your own Mastodon and Bluesky timelines (login.h).  The secrets they handle
 * go to the credentials file only; nothing here prints one. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "login.h"

static const char login_help[] =
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

static const struct cli_opt login_opts[] = {
    {'s', "server", CLI_ARG, "URL", CLI_OPT_SHORT, "bluesky: the PDS to open the session at (https://bsky.social)"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int login_exec(struct app *app, const struct cli_args *a)
{
    const char *server = cli_get(a, 's');
    if (a->argc != 2) return cli_usage_error("login", "give a service and a server or handle");
    const char *service = a->argv[0], *who = a->argv[1];
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

const struct cli_cmd_entry cli_login_entry = {
    .name = "login",
    .usage = "login mastodon SERVER | login bluesky HANDLE [--server URL]",
    .summary = "log in to read your own Mastodon or Bluesky timelines",
    .opts = login_opts,
    .help = login_help,
    .needs = CLI_NEEDS_STORE,
    .exec = login_exec,
};

static int logout_exec(struct app *app, const struct cli_args *a)
{
    if (a->argc != 1 && a->argc != 2) return cli_usage_error("logout", "give a service and, optionally, a server");
    struct error err;
    error_clear(&err);
    if (app_logout(app, a->argv[0], a->argc == 2 ? a->argv[1] : NULL, stdout, &err) < 0) {
        fprintf(stderr, "winnow: %s\n", err.msg);
        return 1;
    }
    return 0;
}

const struct cli_cmd_entry cli_logout_entry = {
    .name = "logout",
    .usage = "logout mastodon|bluesky [SERVER]",
    .summary = "forget a login (its feeds and items stay)",
    .help = "Forgets the logins of the service (of one server when given) and revokes a Mastodon token.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = logout_exec,
};

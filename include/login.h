/* SPDX-License-Identifier: ISC */
/* login — your own timelines: logging in to Mastodon (OAuth, out-of-band code) and Bluesky (an app
 * password → a session), keeping the secrets, and lending them to the requests that need them.
 *
 * Secrets live in one file, $XDG_DATA_HOME/winnow/credentials (WINNOW_CREDENTIALS overrides),
 * mode 0600 in a 0700 directory, written whole to a temporary file and renamed.  A file that its
 * group or the world can read is refused, as ssh refuses a key.  Secrets never reach the database,
 * the config, a log, `--json` or an error message: a feed stores only its real API URL and its
 * kind ("mastodon-login", "bluesky-login"); the token is added to a request when it is sent, and
 * only to the origin the login was made with.  libsecret is not used (not a dependency here). */
#ifndef WINNOW_LOGIN_H
#define WINNOW_LOGIN_H

#include <stddef.h>
#include <stdio.h>

#include "store.h"
#include "util.h"

struct app;
struct source;

#define CRED_MAX 32

struct cred {
    char service[16];        /* "mastodon", "bluesky" */
    char server[256];        /* origin the login was made with: "https://mastodon.social" */
    char account[160];       /* "@alice@mastodon.social", "alice.bsky.social" */
    char client_id[256], client_secret[256];  /* Mastodon's app registration */
    char access[2048];       /* access token (Mastodon) / accessJwt (Bluesky) */
    char refresh[2048];      /* refreshJwt (Bluesky) */
    char did[160];           /* Bluesky */
    char pds[256];           /* Bluesky: the user's PDS origin, where timelines are read */
};

struct creds {
    struct cred c[CRED_MAX];
    size_t n;
};

/* The credentials file's path (malloc'd). */
char *cred_path(const struct app *app);
/* Reads the file; a missing file is no logins.  -1 when it is readable by group or others
 * ("…: readable by others (mode 0644): chmod 600 …"), not a regular file, or malformed. */
int cred_load(const char *path, struct creds *out, struct error *err);
/* Writes every login (mode 0600, atomically). */
int cred_save(const char *path, const struct creds *in, struct error *err);
/* The login of a service whose server (or, for Bluesky, PDS) is the origin of url, or the only
 * login of the service when url is NULL; NULL when none (or several and url is NULL). */
struct cred *cred_find(struct creds *cs, const char *service, const char *url);
/* Removes the logins of a service (of one server when server is not NULL); how many. */
int cred_remove(struct creds *cs, const char *service, const char *server);
/* 1 when a secret can be stored as it is: printable ASCII, no space, bounded. */
int cred_token_ok(const char *s, size_t max);

/* `winnow login mastodon SERVER`: registers the app, prints the authorize URL on out, reads the
 * code from in, exchanges and verifies it, saves the login.  `winnow login bluesky HANDLE`: reads
 * an app password from in, creates a session at server (default https://bsky.social).  Both
 * print what can be added next (lists, saved feeds). */
int app_login_mastodon(struct app *app, const char *server, FILE *in, FILE *out, struct error *err);
int app_login_bluesky(struct app *app, const char *handle, const char *server, FILE *in, FILE *out,
                      struct error *err);
/* Forgets the logins of a service (of one server when not NULL), revoking a Mastodon token on a
 * best-effort basis.  -1 when there was none. */
int app_logout(struct app *app, const char *service, const char *server, FILE *out, struct error *err);

/* `winnow add mastodon:home` and friends: turns a timeline name (mastodon:home, :list/ID,
 * :bookmarks, :favourites, :notifications; bluesky:following, bluesky:feed/AT-URI,
 * bluesky:list/AT-URI; "@SERVER" after the name picks one of several logins) into the feed's real
 * URL and kind, with a title.  0 with url_out, kind_out and title_out set (malloc'd), 1 when name is
 * not a timeline name, -1 with a message (not logged in, unknown timeline). */
int app_login_resolve(struct app *app, const char *name, char **url_out, const char **kind_out,
                      char **title_out, struct error *err);

/* The hook a refresh calls for every request: the adapter's own headers (source.headers) and,
 * for a logged-in feed, "Authorization: Bearer …" when url is on the login's origin (a Bluesky
 * session that expired is refreshed first, with refreshSession).  NULL-terminated, in the arena;
 * NULL for none.  When a logged-in feed cannot have its login (the credentials file is refused),
 * why receives the message and the request must not be sent. */
const char *const *app_request_headers(struct app *app, const struct feed_row *feed,
                                       const struct source *src, const char *url, struct arena *a,
                                       char *why, size_t why_cap);

#endif

/* SPDX-License-Identifier: ISC */
/* login — the Mastodon and Bluesky login flows, `winnow add mastodon:home` and friends, and the
 * request hook that lends a login's token to its own server.  See include/login.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "login.h"
#include "source.h"
#include "text.h"

#define OOB "urn:ietf:wg:oauth:2.0:oob"

/* ---- one blocking HTTP exchange (the CLI's login commands) ------------------------------------ */

struct answer {
    long status;
    int ok;
    char *body;
    size_t len;
    char error[256];
};

static void on_answer(const struct fetch_result *res, void *user)
{
    struct answer *a = user;
    a->status = res->status;
    a->ok = res->ok;
    a->body = xmalloc(res->len + 1);
    memcpy(a->body, res->body, res->len);
    a->body[res->len] = 0;
    a->len = res->len;
    snprintf(a->error, sizeof a->error, "%s", res->error);
}

/* method POST when body is not NULL; bearer adds Authorization.  The answer's body is parsed as
 * JSON; NULL with a message naming what failed, never the secrets sent. */
static cJSON *call(const struct app *app, const char *what, const char *url, const char *bearer,
                   const char *body, long *status, struct error *err)
{
    struct fetch_opts o;
    fetch_opts_default(&o);
    o.timeout_s = app->cfg.timeout;
    o.connect_timeout_s = app->cfg.connect_timeout;
    o.max_body = 4u << 20;
    struct fetcher *f = fetch_new(&o);
    if (!f) {
        error_set(err, "%s: could not start the fetcher", what);
        return NULL;
    }
    char auth[2200];
    const char *hdrs[3] = {"Accept: application/json", NULL, NULL};
    if (bearer) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
        hdrs[1] = auth;
    }
    struct fetch_req rq = {.url = url, .headers = hdrs, .post_body = body};
    struct answer a = {0};
    fetch_add(f, &rq, on_answer, &a);
    fetch_run(f);
    fetch_free(f);
    memset(auth, 0, sizeof auth);
    if (status) *status = a.status;
    cJSON *js = a.body ? cJSON_ParseWithLength(a.body, a.len) : NULL;
    if (!a.ok) {
        const cJSON *e = js ? cJSON_GetObjectItemCaseSensitive(js, "error_description") : NULL;
        if (!cJSON_IsString(e)) e = js ? cJSON_GetObjectItemCaseSensitive(js, "message") : NULL;
        if (!cJSON_IsString(e)) e = js ? cJSON_GetObjectItemCaseSensitive(js, "error") : NULL;
        char *why = cJSON_IsString(e) ? text_sanitize_dup(e->valuestring, strlen(e->valuestring), 200, 0) : NULL;
        error_set(err, "%s: %s%s%s", what, a.error[0] ? a.error : "failed", why ? ": " : "", why ? why : "");
        free(why);
        cJSON_Delete(js);
        js = NULL;
    } else if (!cJSON_IsObject(js) && !cJSON_IsArray(js)) {
        error_set(err, "%s: the server did not answer with JSON", what);
        cJSON_Delete(js);
        js = NULL;
    }
    if (a.body) memset(a.body, 0, a.len);
    free(a.body);
    return js;
}

static const char *js(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* "mastodon.social" → "https://mastodon.social"; http:// only for the loopback (tests, a local
 * server), so no real login travels without TLS. */
static int server_origin(const char *server, char *out, size_t cap, struct error *err)
{
    const char *s = server;
    char buf[300];
    if (!strstr(s, "://")) {
        snprintf(buf, sizeof buf, "https://%s", s);
        s = buf;
    }
    int http = !strncasecmp(s, "http://", 7);
    if (!http && strncasecmp(s, "https://", 8)) {
        error_set(err, "login: %s: only https:// servers", server);
        return -1;
    }
    const char *host = s + (http ? 7 : 8);
    if (http && strncmp(host, "127.0.0.1", 9) && strncmp(host, "localhost", 9) && strncmp(host, "[::1]", 5)) {
        error_set(err, "login: %s: plain http only for a server on this machine; use https://", server);
        return -1;
    }
    size_t n = strlen(s);
    while (n && s[n - 1] == '/') n--;
    size_t hn = (size_t)(s + n - host);
    if (n >= cap || !hn || memchr(host, '/', hn) || memchr(host, '?', hn) || memchr(host, '#', hn) ||
        memchr(host, '@', hn) || !cred_token_ok(s, cap)) {
        error_set(err, "login: %s is not a server name", server);
        return -1;
    }
    snprintf(out, cap, "%.*s", (int)n, s);
    return 0;
}

static const char *host_of(const char *origin)
{
    const char *p = strstr(origin, "://");
    return p ? p + 3 : origin;
}

static int read_line(FILE *in, char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, in)) return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    char *s = buf;
    while (*s == ' ' || *s == '\t') s++;
    memmove(buf, s, strlen(s) + 1);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t')) buf[--n] = 0;
    return 0;
}

static int save_login(struct app *app, const struct cred *c, struct error *err)
{
    char *path = cred_path(app);
    struct creds cs;
    int rc = cred_load(path, &cs, err);
    if (rc == 0) {
        cred_remove(&cs, c->service, c->server);
        if (cs.n >= CRED_MAX) {
            error_set(err, "login: at most %d logins", CRED_MAX);
            rc = -1;
        } else {
            cs.c[cs.n++] = *c;
            rc = cred_save(path, &cs, err);
        }
    }
    memset(&cs, 0, sizeof cs);
    free(path);
    return rc;
}

/* ---- Mastodon ---------------------------------------------------------------------------------- */

static void print_lists(struct app *app, const struct cred *c, FILE *out)
{
    char url[512];
    snprintf(url, sizeof url, "%s/api/v1/lists", c->server);
    struct error e;
    error_clear(&e);
    cJSON *lists = call(app, "lists", url, c->access, NULL, NULL, &e);
    const cJSON *l;
    int n = 0;
    const cJSON *all = cJSON_IsArray(lists) ? lists : NULL;
    cJSON_ArrayForEach(l, all)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(l, "id");
        const char *title = js(l, "title");
        if (!cJSON_IsString(id) || !cred_token_ok(id->valuestring, 64)) continue;
        char *t = title ? text_sanitize_dup(title, strlen(title), 200, 0) : xstrdup("");
        if (!n++) fprintf(out, "your lists:\n");
        fprintf(out, "  winnow add mastodon:list/%s   (%s)\n", id->valuestring, t);
        free(t);
    }
    cJSON_Delete(lists);
}

int app_login_mastodon(struct app *app, const char *server, FILE *in, FILE *out, struct error *err)
{
    struct cred c;
    memset(&c, 0, sizeof c);
    snprintf(c.service, sizeof c.service, "mastodon");
    if (server_origin(server, c.server, sizeof c.server, err) < 0) return -1;
    char url[600];
    snprintf(url, sizeof url, "%s/api/v1/apps", c.server);
    cJSON *reg = call(app, "registering winnow with the server", url, NULL,
                      "{\"client_name\":\"winnow\",\"redirect_uris\":\"" OOB "\",\"scopes\":\"read\"}", NULL, err);
    if (!reg) return -1;
    const char *id = js(reg, "client_id"), *secret = js(reg, "client_secret");
    if (!cred_token_ok(id, sizeof c.client_id) || !cred_token_ok(secret, sizeof c.client_secret)) {
        error_set(err, "login: %s gave no usable client_id/client_secret", host_of(c.server));
        cJSON_Delete(reg);
        return -1;
    }
    strcpy(c.client_id, id);
    strcpy(c.client_secret, secret);
    cJSON_Delete(reg);

    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/oauth/authorize?client_id=%s&scope=read&redirect_uri=%s&response_type=code", c.server,
              c.client_id, "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob");
    fprintf(out, "Open this page, allow winnow to read your account, and paste the code it shows:\n  %s\ncode: ", b.s);
    fflush(out);
    sb_free(&b);
    char code[512];
    if (read_line(in, code, sizeof code) < 0 || !cred_token_ok(code, sizeof code)) {
        error_set(err, "login: no code given");
        return -1;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "grant_type", "authorization_code");
    cJSON_AddStringToObject(body, "code", code);
    cJSON_AddStringToObject(body, "client_id", c.client_id);
    cJSON_AddStringToObject(body, "client_secret", c.client_secret);
    cJSON_AddStringToObject(body, "redirect_uri", OOB);
    cJSON_AddStringToObject(body, "scope", "read");
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    snprintf(url, sizeof url, "%s/oauth/token", c.server);
    cJSON *tok = call(app, "exchanging the code", url, NULL, text, NULL, err);
    memset(text, 0, strlen(text));
    free(text);
    if (!tok) return -1;
    const char *access = js(tok, "access_token");
    if (!cred_token_ok(access, sizeof c.access)) {
        error_set(err, "login: %s gave no usable access token", host_of(c.server));
        cJSON_Delete(tok);
        return -1;
    }
    strcpy(c.access, access);
    cJSON_Delete(tok);
    snprintf(url, sizeof url, "%s/api/v1/accounts/verify_credentials", c.server);
    cJSON *me = call(app, "verifying the login", url, c.access, NULL, NULL, err);
    if (!me) return -1;
    const char *acct = js(me, "acct");
    char *clean = acct ? text_sanitize_dup(acct, strlen(acct), 100, 0) : xstrdup("?");
    struct strbuf ab;
    sb_init(&ab);
    sb_printf(&ab, "@%s@%s", clean, host_of(c.server));
    /* a name too long for the field is cut: it is only shown */
    size_t al = ab.len < sizeof c.account - 1 ? ab.len : sizeof c.account - 1;
    memcpy(c.account, ab.s, al);
    c.account[al] = 0;
    sb_free(&ab);
    for (char *p = c.account; *p; p++)
        if ((unsigned char)*p <= ' ') *p = '_';
    free(clean);
    cJSON_Delete(me);
    int rc = save_login(app, &c, err);
    if (rc == 0) {
        fprintf(out, "logged in to %s as %s\nnow: winnow add mastodon:home (also mastodon:bookmarks, "
                     "mastodon:favourites, mastodon:notifications)\n", host_of(c.server), c.account);
        print_lists(app, &c, out);
    }
    memset(&c, 0, sizeof c);
    return rc;
}

/* ---- Bluesky ----------------------------------------------------------------------------------- */

/* Bluesky app passwords look like xxxx-xxxx-xxxx-xxxx; an account password does not. */
static int app_password_shape(const char *p)
{
    if (strlen(p) != 19) return 0;
    for (int i = 0; i < 19; i++) {
        char ch = p[i];
        if (i % 5 == 4 ? ch != '-' : !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) return 0;
    }
    return 1;
}

static int read_secret(FILE *in, char *buf, size_t cap)
{
    struct termios t, quiet;
    int tty = isatty(fileno(in)) && tcgetattr(fileno(in), &t) == 0;
    if (tty) {
        quiet = t;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(fileno(in), TCSAFLUSH, &quiet);
    }
    int rc = read_line(in, buf, cap);
    if (tty) {
        tcsetattr(fileno(in), TCSAFLUSH, &t);
        fputc('\n', stderr);
    }
    return rc;
}

/* The session's tokens, DID and PDS from a createSession/refreshSession answer. */
static int take_session(const cJSON *s, struct cred *c, struct error *err)
{
    const char *acc = js(s, "accessJwt"), *ref = js(s, "refreshJwt"), *did = js(s, "did");
    if (!cred_token_ok(acc, sizeof c->access) || !cred_token_ok(ref, sizeof c->refresh) ||
        (did && !cred_token_ok(did, sizeof c->did))) {
        error_set(err, "login: the server sent no usable session");
        return -1;
    }
    strcpy(c->access, acc);
    strcpy(c->refresh, ref);
    if (did) strcpy(c->did, did);
    const cJSON *svc;
    cJSON_ArrayForEach(svc, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "didDoc"), "service"))
    {
        const char *id = js(svc, "id"), *ep = js(svc, "serviceEndpoint");
        struct error e;
        if (id && ep && !strcmp(id, "#atproto_pds") && server_origin(ep, c->pds, sizeof c->pds, &e) < 0) c->pds[0] = 0;
    }
    if (!c->pds[0]) snprintf(c->pds, sizeof c->pds, "%s", c->server);
    return 0;
}

int app_login_bluesky(struct app *app, const char *handle, const char *server, FILE *in, FILE *out,
                      struct error *err)
{
    struct cred c;
    memset(&c, 0, sizeof c);
    snprintf(c.service, sizeof c.service, "bluesky");
    if (server_origin(server && *server ? server : "https://bsky.social", c.server, sizeof c.server, err) < 0) return -1;
    const char *h = handle[0] == '@' ? handle + 1 : handle;
    if (!cred_token_ok(h, 128)) {
        error_set(err, "login: %s is not a Bluesky handle", handle);
        return -1;
    }
    fprintf(out, "Use an app password (Settings > Privacy and security > App passwords), never your account "
                 "password.\napp password for %s: ", h);
    fflush(out);
    char pw[128];
    if (read_secret(in, pw, sizeof pw) < 0 || !app_password_shape(pw)) {
        memset(pw, 0, sizeof pw);
        error_set(err, "login: that is not an app password (xxxx-xxxx-xxxx-xxxx); make one in Bluesky's settings, "
                       "and never give winnow your account password");
        return -1;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "identifier", h);
    cJSON_AddStringToObject(body, "password", pw);
    memset(pw, 0, sizeof pw);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    char url[600];
    snprintf(url, sizeof url, "%s/xrpc/com.atproto.server.createSession", c.server);
    cJSON *s = call(app, "creating a session", url, NULL, text, NULL, err);
    memset(text, 0, strlen(text));
    free(text);
    if (!s) return -1;
    int rc = take_session(s, &c, err);
    const char *got = js(s, "handle");
    snprintf(c.account, sizeof c.account, "%s", got && cred_token_ok(got, 128) ? got : h);
    cJSON_Delete(s);
    if (rc == 0) rc = save_login(app, &c, err);
    if (rc == 0) {
        fprintf(out, "logged in to %s as %s\nnow: winnow add bluesky:following\n", host_of(c.server), c.account);
        snprintf(url, sizeof url, "%s/xrpc/app.bsky.actor.getPreferences", c.pds);
        struct error e;
        cJSON *prefs = call(app, "preferences", url, c.access, NULL, NULL, &e);
        const cJSON *p, *it;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(prefs, "preferences"))
        {
            if (!js(p, "$type") || strcmp(js(p, "$type"), "app.bsky.actor.defs#savedFeedsPrefV2")) continue;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "items"))
            {
                const char *type = js(it, "type"), *value = js(it, "value");
                if (!type || !value || !cred_token_ok(value, 512) || strncmp(value, "at://", 5)) continue;
                if (!strcmp(type, "feed")) fprintf(out, "  winnow add bluesky:feed/%s\n", value);
                else if (!strcmp(type, "list")) fprintf(out, "  winnow add bluesky:list/%s\n", value);
            }
        }
        cJSON_Delete(prefs);
    }
    memset(&c, 0, sizeof c);
    return rc;
}

/* ---- logout ------------------------------------------------------------------------------------ */

int app_logout(struct app *app, const char *service, const char *server, FILE *out, struct error *err)
{
    if (strcmp(service, "mastodon") && strcmp(service, "bluesky")) {
        error_set(err, "logout: unknown service \"%s\" (mastodon, bluesky)", service);
        return -1;
    }
    char origin[256] = "";
    if (server && server_origin(server, origin, sizeof origin, err) < 0) return -1;
    char *path = cred_path(app);
    struct creds cs;
    int rc = cred_load(path, &cs, err);
    if (rc == 0) {
        /* a Mastodon token is revoked on the server too; the login is forgotten here either way */
        for (size_t i = 0; i < cs.n; i++) {
            struct cred *c = &cs.c[i];
            if (strcmp(c->service, "mastodon") || strcmp(service, "mastodon") || (server && strcmp(origin, c->server)))
                continue;
            cJSON *b = cJSON_CreateObject();
            cJSON_AddStringToObject(b, "client_id", c->client_id);
            cJSON_AddStringToObject(b, "client_secret", c->client_secret);
            cJSON_AddStringToObject(b, "token", c->access);
            char *text = cJSON_PrintUnformatted(b);
            cJSON_Delete(b);
            char url[600];
            snprintf(url, sizeof url, "%s/oauth/revoke", c->server);
            struct error e;
            cJSON_Delete(call(app, "revoking", url, NULL, text, NULL, &e));
            memset(text, 0, strlen(text));
            free(text);
        }
        int n = cred_remove(&cs, service, server ? origin : NULL);
        if (n == 0) {
            error_set(err, "logout: not logged in to %s%s%s", service, server ? " at " : "", server ? server : "");
            rc = -1;
        } else {
            rc = cred_save(path, &cs, err);
            if (rc == 0) fprintf(out, "logged out of %d %s login%s; feeds and items stay\n", n, service, n > 1 ? "s" : "");
        }
    }
    memset(&cs, 0, sizeof cs);
    free(path);
    return rc;
}

/* ---- timeline names ---------------------------------------------------------------------------- */

int app_login_resolve(struct app *app, const char *name, char **url_out, const char **kind_out,
                      char **title_out, struct error *err)
{
    const char *service = !strncmp(name, "mastodon:", 9) ? "mastodon" : !strncmp(name, "bluesky:", 8) ? "bluesky" : NULL;
    if (!service) return 1;
    const char *what = name + strlen(service) + 1;
    /* "home@mastodon.social": which of several logins */
    char tl[600], at[300] = "";
    snprintf(tl, sizeof tl, "%s", what);
    char *sep = strrchr(tl, '@');
    if (sep && !strchr(sep, '/')) {
        *sep = 0;
        if (server_origin(sep + 1, at, sizeof at, err) < 0) return -1;
    }
    char *path = cred_path(app);
    struct creds cs;
    int rc = cred_load(path, &cs, err);
    free(path);
    if (rc < 0) return -1;
    struct cred *c = cred_find(&cs, service, at[0] ? at : NULL);
    if (!c) {
        error_set(err, "add: %s: not logged in%s%s (winnow login %s %s)", name, at[0] ? " at " : "", at,
                  service, !strcmp(service, "mastodon") ? "SERVER" : "HANDLE");
        memset(&cs, 0, sizeof cs);
        return -1;
    }
    struct strbuf u, t;
    sb_init(&u);
    sb_init(&t);
    const char *host = host_of(c->server);
    rc = 0;
    if (!strcmp(service, "mastodon")) {
        *kind_out = "mastodon-login";
        if (!strcmp(tl, "home")) sb_printf(&u, "%s/api/v1/timelines/home", c->server), sb_printf(&t, "Home on %s", host);
        else if (!strcmp(tl, "bookmarks")) sb_printf(&u, "%s/api/v1/bookmarks", c->server), sb_printf(&t, "Bookmarks on %s", host);
        else if (!strcmp(tl, "favourites")) sb_printf(&u, "%s/api/v1/favourites", c->server), sb_printf(&t, "Favourites on %s", host);
        else if (!strcmp(tl, "notifications"))
            sb_printf(&u, "%s/api/v1/notifications?types%%5B%%5D=mention", c->server), sb_printf(&t, "Mentions on %s", host);
        else if (!strncmp(tl, "list/", 5) && tl[5] && strspn(tl + 5, "0123456789") == strlen(tl + 5))
            sb_printf(&u, "%s/api/v1/timelines/list/%s", c->server, tl + 5), sb_printf(&t, "List %s on %s", tl + 5, host);
        else rc = -1;
    } else {
        *kind_out = "bluesky-login";
        const char *pds = c->pds[0] ? c->pds : c->server;
        if (!strcmp(tl, "following"))
            sb_printf(&u, "%s/xrpc/app.bsky.feed.getTimeline", pds), sb_printf(&t, "Following (%s)", c->account);
        else if (!strncmp(tl, "feed/at://", 10) && cred_token_ok(tl + 5, 512)) {
            sb_printf(&u, "%s/xrpc/app.bsky.feed.getFeed?feed=", pds);
            sb_add_pct(&u, tl + 5);
            sb_printf(&t, "Feed %s", strrchr(tl, '/') + 1);
        } else if (!strncmp(tl, "list/at://", 10) && cred_token_ok(tl + 5, 512)) {
            sb_printf(&u, "%s/xrpc/app.bsky.feed.getListFeed?list=", pds);
            sb_add_pct(&u, tl + 5);
            sb_printf(&t, "List %s", strrchr(tl, '/') + 1);
        } else rc = -1;
    }
    if (rc < 0) {
        error_set(err, "add: %s: unknown timeline (%s)", name,
                  !strcmp(service, "mastodon") ? "home, list/ID, bookmarks, favourites, notifications"
                                               : "following, feed/AT-URI, list/AT-URI");
        sb_free(&u);
        sb_free(&t);
    } else {
        *url_out = sb_steal(&u);
        *title_out = sb_steal(&t);
    }
    memset(&cs, 0, sizeof cs);
    return rc;
}

/* ---- the request hook -------------------------------------------------------------------------- */

/* The "exp" of a JWT's payload, or -1. */
static int64_t jwt_exp(const char *jwt)
{
    const char *p = strchr(jwt, '.');
    const char *e = p ? strchr(p + 1, '.') : NULL;
    if (!p || !e || e - p > 4096) return -1;
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char out[3100];
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (const char *c = p + 1; c < e; c++) {
        const char *k = strchr(tab, *c);
        if (!k || !*c) return -1;
        acc = (acc << 6) | (unsigned)(k - tab);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[n] = 0;
    cJSON *o = cJSON_ParseWithLength(out, n);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "exp");
    int64_t v = cJSON_IsNumber(x) ? (int64_t)x->valuedouble : -1;
    cJSON_Delete(o);
    return v;
}

/* A Bluesky session whose access token has expired (or is about to) is renewed with its refresh
 * token and saved.  On failure the old token is used, and the server's 401 tells the user. */
static void bluesky_renew(struct app *app, struct creds *cs, struct cred *c)
{
    int64_t exp = jwt_exp(c->access);
    if (exp < 0 || exp > (int64_t)time(NULL) + 60) return;
    char url[600];
    snprintf(url, sizeof url, "%s/xrpc/com.atproto.server.refreshSession", c->pds[0] ? c->pds : c->server);
    struct error e;
    error_clear(&e);
    cJSON *s = call(app, "refreshing the session", url, c->refresh, "", NULL, &e);
    struct cred n = *c;
    if (s && take_session(s, &n, &e) == 0) {
        *c = n;
        char *path = cred_path(app);
        cred_save(path, cs, &e);
        free(path);
    }
    memset(&n, 0, sizeof n);
    cJSON_Delete(s);
}

const char *const *app_request_headers(struct app *app, const struct feed_row *feed,
                                       const struct source *src, const char *url, struct arena *a,
                                       char *why, size_t why_cap)
{
    if (why_cap) why[0] = 0;
    const char *const *own = NULL;
    if (src->headers) {
        struct subscription sub = {.id = feed->id, .url = feed->url, .kind = feed->kind, .title = feed->title};
        own = src->headers(&sub, url, a);
    }
    const char *service = !strcmp(src->name, "mastodon-login") ? "mastodon" : !strcmp(src->name, "bluesky-login") ? "bluesky" : NULL;
    if (!service) return own;
    size_t n = 0;
    while (own && own[n]) n++;
    const char **h = arena_alloc(a, (n + 2) * sizeof *h);
    for (size_t i = 0; i < n; i++) h[i] = own[i];
    char *path = cred_path(app);
    struct creds cs;
    struct error e;
    error_clear(&e);
    /* only to the origin the login was made with: a redirect or a follow-up elsewhere gets nothing */
    if (cred_load(path, &cs, &e) == 0) {
        struct cred *c = cred_find(&cs, service, url);
        if (c && !strcmp(service, "bluesky")) bluesky_renew(app, &cs, c);
        if (c && c->access[0]) h[n++] = arena_printf(a, "Authorization: Bearer %s", c->access);
        if (!c && why_cap) snprintf(why, why_cap, "not logged in there any more: winnow login %s", service);
    } else if (why_cap) {
        snprintf(why, why_cap, "%s", e.msg);
    }
    memset(&cs, 0, sizeof cs);
    free(path);
    h[n] = NULL;
    return h;
}

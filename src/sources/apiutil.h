/* SPDX-License-Identifier: ISC */
/* apiutil — what the API adapters share: taking a user's URL apart, building endpoint URLs, reading
 * cJSON trees without tripping over wrong types, the one-line messages for broken JSON, and the
 * provenance encoding (labels, the extra object).  Private to src/sources. */
#ifndef WINNOW_APIUTIL_H
#define WINNOW_APIUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "item.h"
#include "util.h"

/* ---- URLs ------------------------------------------------------------------------------------ */

#define AURL_MAX_SEGS 8

/* An http(s) URL taken apart; every string lives in the arena. */
struct aurl {
    const char *origin;          /* "https://host[:port]" as given, scheme and host lower-cased */
    const char *host;            /* lower-cased, no port */
    const char *path;            /* "/r/videos/hot", never empty ("/") */
    const char *query;           /* without '?', "" when none */
    const char *seg[AURL_MAX_SEGS];   /* non-empty path segments, percent-decoded */
    int nseg;                    /* counted even beyond AURL_MAX_SEGS */
};

/* 0, or -1 when url is not http(s). */
int aurl_parse(struct arena *a, const char *url, struct aurl *u);
/* The percent-decoded value of a query parameter, or NULL. */
const char *aurl_param(struct arena *a, const struct aurl *u, const char *name);
/* True when host is domain or a subdomain of it. */
int api_host_is(const char *host, const char *domain);
/* True when seg i exists and equals s (case-insensitive ASCII). */
int aurl_seg_is(const struct aurl *u, int i, const char *s);
/* True when the path ends with suffix. */
int aurl_path_ends(const struct aurl *u, const char *suffix);
/* The path and query of url when it has the same origin as base ("/api/v1/x?y"), else url. */
const char *api_url_short(struct arena *a, const char *url, const char *base);
/* Appends what describe() says about a request URL: nothing when it is the user's URL itself,
 * else api_url_short of it. */
void api_describe_req(struct strbuf *out, const char *req, const char *user_url);

/* ---- JSON ------------------------------------------------------------------------------------ */

/* Parses a JSON API body (BOM and white space allowed).  NULL with a one-line message: "empty
 * response", "truncated: unexpected end of input at line 3", "nesting too deep", "not JSON: got an
 * HTML page", ... */
cJSON *api_json_parse(const char *body, size_t len, struct error *err);
/* The message for a body cJSON refused; at is where it stopped. */
void api_json_error(const char *body, size_t len, const char *at, struct error *err);

/* Members of an object, NULL / -1 / 0 when absent or of another type. */
const char *api_jstr(const cJSON *o, const char *key);            /* non-empty strings only */
const cJSON *api_jobj(const cJSON *o, const char *key);
const cJSON *api_jarr(const cJSON *o, const char *key);
double api_jnum(const cJSON *o, const char *key, double dflt);    /* numbers, or numeric strings */
int64_t api_jint(const cJSON *o, const char *key);                /* >= 0, else -1 */
int api_jbool(const cJSON *o, const char *key);                   /* true → 1, else 0 */
/* A member by a dotted path ("data.children"). */
const cJSON *api_jpath(const cJSON *o, const char *path);
/* An id that may be a string or a number, as text in the arena. */
const char *api_jid(struct arena *a, const cJSON *o, const char *key);

/* ---- the provenance encoding --------------------------------------------------------------- */

/* Labels: "value" or "value@source", comma-separated.  Commas in a value become spaces. */
void api_labels_add(struct strbuf *b, const char *value, const char *source);

/* The extra object: members are sanitised as they go in, so the printed JSON is clean. */
cJSON *api_extra_new(void);
void api_extra_str(cJSON *o, const char *key, const char *v, size_t max);
void api_extra_bool(cJSON *o, const char *key, int v);
void api_extra_num(cJSON *o, const char *key, double v);
/* Prints o into the arena and deletes it; NULL when it has no member. */
const char *api_extra_done(struct arena *a, cJSON *o);

/* ---- text ------------------------------------------------------------------------------------ */

/* HTML (or plain text) to plain text, in the arena; NULL for NULL. */
const char *api_text(struct arena *a, const char *html);
/* The same for a post's or an article's body: links numbered, their list at the end (html_to_text_linked). */
const char *api_text_linked(struct arena *a, const char *html);
/* The item title: title, else the first line of the text (see feedutil.h), else fallback, else
 * "(untitled)".  Never NULL. */
const char *api_title(struct arena *a, const char *title, const char *text, const char *fallback);
/* "HH:MM:SS" style or plain seconds; -1 when unknown. */
int64_t api_duration(const cJSON *o, const char *key);

#endif

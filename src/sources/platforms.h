/* SPDX-License-Identifier: ISC */
/* platforms — the table of AI-native platforms (ai_platforms.def): sites whose every post is made
 * by the platform's own model.  Adapters that meet an item on one of them record the fact as the
 * item's extra "platform_nature", which the badge ranks as an inference from the site (below every
 * disclosure and every verified claim), never as a disclosure. */
#ifndef WINNOW_SOURCES_PLATFORMS_H
#define WINNOW_SOURCES_PLATFORMS_H

#include <cjson/cJSON.h>

struct ai_platform {
    const char *host, *path, *name, *nature;
};

/* The AI-native platform serving this http(s) URL, or NULL. */
const struct ai_platform *ai_platform_for_url(const char *url);
/* Records the platform's nature in an item's extra object when the URL is on one; returns the
 * platform or NULL. */
const struct ai_platform *ai_platform_mark(cJSON *extra, const char *url);

/* True for a video page of a site no other adapter reads (TikTok, Vimeo, X statuses, ...), which
 * the ytdlp adapter claims when yt-dlp is installed. */
int source_ytdlp_video_host(const char *url);

#endif

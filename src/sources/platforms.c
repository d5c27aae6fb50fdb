/* SPDX-License-Identifier: ISC */
/* platforms — reads the AI-native platform table (ai_platforms.def) and matches URLs against it. */
#include "platforms.h"

#include <string.h>

#include "apiutil.h"
#include "text.h"

static const struct ai_platform table[] = {
#define AI_PLATFORM(host, path, name, nature) {host, path, name, nature},
#include "ai_platforms.def"
#undef AI_PLATFORM
};

const struct ai_platform *ai_platform_for_url(const char *url)
{
    if (!url) return NULL;
    struct arena a;
    arena_init(&a);
    struct aurl u;
    const struct ai_platform *hit = NULL;
    if (aurl_parse(&a, url, &u) == 0 && u.host) {
        for (size_t i = 0; i < sizeof table / sizeof table[0] && !hit; i++)
            if (api_host_is(u.host, table[i].host) && (!table[i].path[0] || !strncmp(u.path, table[i].path, strlen(table[i].path))))
                hit = &table[i];
    }
    arena_free(&a);
    return hit;
}

const struct ai_platform *ai_platform_mark(cJSON *extra, const char *url)
{
    const struct ai_platform *p = ai_platform_for_url(url);
    if (p && extra) api_extra_str(extra, "platform_nature", p->nature, TEXT_MAX_NAME);
    return p;
}

/* SPDX-License-Identifier: ISC */
/* libmpv, loaded on first use.  Linking libmpv pulls in ffmpeg, libplacebo, X11, Wayland, PulseAudio
 * and more: about 230 shared objects, 47 MB of resident memory and 60 ms before main() — on every
 * `winnow refresh` and on the reader's first frame, for a feature most runs never touch.  So winnow
 * does not link it: these definitions of the client API functions winnow calls forward to the real
 * ones, resolved with dlopen the first time playback starts.  When libmpv is not installed the
 * player gets NULL from mpv_create and says so (player_dl_error). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include <mpv/client.h>

#include "dl_fwd.h"
#include "player_dl.h"

static void *lib;
static char load_error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* libmpv.so.2 is the soname of the client API 2.x that configure checked for */
    lib = dlopen("libmpv.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libmpv.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(load_error, sizeof load_error, "libmpv is not available (%s); install libmpv2",
                 e ? e : "not found");
    }
}

int player_dl_available(void)
{
    pthread_once(&once, load);
    return lib != NULL;
}

const char *player_dl_error(void)
{
    pthread_once(&once, load);
    return lib ? NULL : load_error;
}

static void *sym(const char *name)
{
    if (!player_dl_available()) return NULL;
    return dlsym(lib, name);
}

DL_FWD(unsigned long, mpv_client_api_version, (void), (), 0)
DL_FWD(const char *, mpv_error_string, (int error), (error), "libmpv is not available")
DL_FWDV(mpv_free, (void *data), (data))
DL_FWD(mpv_handle *, mpv_create, (void), (), NULL)
DL_FWD(int, mpv_initialize, (mpv_handle *ctx), (ctx), MPV_ERROR_UNINITIALIZED)
DL_FWDV(mpv_destroy, (mpv_handle *ctx), (ctx))
DL_FWDV(mpv_terminate_destroy, (mpv_handle *ctx), (ctx))
DL_FWD(int, mpv_load_config_file, (mpv_handle *ctx, const char *filename), (ctx, filename), MPV_ERROR_UNINITIALIZED)
DL_FWD(int64_t, mpv_get_time_us, (mpv_handle *ctx), (ctx), 0)
DL_FWDV(mpv_free_node_contents, (mpv_node *node), (node))
DL_FWD(int, mpv_set_option, (mpv_handle *ctx, const char *name, mpv_format format, void *data),
    (ctx, name, format, data), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_set_option_string, (mpv_handle *ctx, const char *name, const char *data), (ctx, name, data),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_command, (mpv_handle *ctx, const char **args), (ctx, args), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_command_node, (mpv_handle *ctx, mpv_node *args, mpv_node *result), (ctx, args, result),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_command_ret, (mpv_handle *ctx, const char **args, mpv_node *result), (ctx, args, result),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_command_string, (mpv_handle *ctx, const char *args), (ctx, args), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_command_async, (mpv_handle *ctx, uint64_t reply_userdata, const char **args),
    (ctx, reply_userdata, args), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_set_property, (mpv_handle *ctx, const char *name, mpv_format format, void *data),
    (ctx, name, format, data), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_set_property_string, (mpv_handle *ctx, const char *name, const char *data), (ctx, name, data),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_get_property, (mpv_handle *ctx, const char *name, mpv_format format, void *data),
    (ctx, name, format, data), MPV_ERROR_UNINITIALIZED)
DL_FWD(char *, mpv_get_property_string, (mpv_handle *ctx, const char *name), (ctx, name), NULL)
DL_FWD(char *, mpv_get_property_osd_string, (mpv_handle *ctx, const char *name), (ctx, name), NULL)
DL_FWD(int, mpv_observe_property, (mpv_handle *mpv, uint64_t reply_userdata, const char *name, mpv_format format),
    (mpv, reply_userdata, name, format), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_unobserve_property, (mpv_handle *mpv, uint64_t registered_reply_userdata),
    (mpv, registered_reply_userdata), MPV_ERROR_UNINITIALIZED)
DL_FWD(const char *, mpv_event_name, (mpv_event_id event), (event), "")
DL_FWD(int, mpv_event_to_node, (mpv_node *dst, mpv_event *src), (dst, src), MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_request_event, (mpv_handle *ctx, mpv_event_id event, int enable), (ctx, event, enable),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(int, mpv_request_log_messages, (mpv_handle *ctx, const char *min_level), (ctx, min_level),
    MPV_ERROR_UNINITIALIZED)
DL_FWD(mpv_event *, mpv_wait_event, (mpv_handle *ctx, double timeout), (ctx, timeout), NULL)
DL_FWDV(mpv_wakeup, (mpv_handle *ctx), (ctx))
DL_FWDV(mpv_set_wakeup_callback, (mpv_handle *ctx, void (*cb)(void *d), void *d), (ctx, cb, d))
DL_FWDV(mpv_wait_async_requests, (mpv_handle *ctx), (ctx))
DL_FWD(int, mpv_get_wakeup_pipe, (mpv_handle *ctx), (ctx), -1)

unsigned long player_dl_api_version(void)
{
    return mpv_client_api_version();
}

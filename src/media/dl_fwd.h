/* SPDX-License-Identifier: ISC */
/* dl_fwd — the forwarders of a library loaded with dlopen on first use (mpv_dl.c, avif_dl.c): each
 * defines one of the library's own functions, resolves the real one once through the file's
 * sym(name), and calls it, or returns fallback when the library is not there.  The pointer types
 * come from the library's header itself (__typeof__ of its declaration), so a signature mismatch
 * is a compile error, not a crash. */
#ifndef WINNOW_DL_FWD_H
#define WINNOW_DL_FWD_H

#define DL_FWD(ret, name, params, args, fallback)           \
    ret name params                                         \
    {                                                       \
        static __typeof__(&name) fn;                        \
        if (!fn) fn = (__typeof__(&name))sym(#name);        \
        if (!fn) return fallback;                           \
        return fn args;                                     \
    }

/* The same for a function that returns nothing. */
#define DL_FWDV(name, params, args)                         \
    void name params                                        \
    {                                                       \
        static __typeof__(&name) fn;                        \
        if (!fn) fn = (__typeof__(&name))sym(#name);        \
        if (fn) fn args;                                    \
    }

#endif

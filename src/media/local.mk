# SPDX-License-Identifier: ISC
# media
libwinnow_a_SOURCES += src/media/mpv_dl.c src/media/dl_fwd.h
libwinnow_a_SOURCES += src/media/player.c src/media/player_term.c src/media/player_int.h
libwinnow_a_SOURCES += src/media/image.c src/media/image_int.h
libwinnow_a_SOURCES += src/media/image_jpeg.c src/media/image_png.c
libwinnow_a_SOURCES += src/media/image_webp.c src/media/image_gif.c
if HAVE_AVIF
libwinnow_a_SOURCES += src/media/image_avif.c src/media/avif_dl.c
endif
libwinnow_a_SOURCES += src/media/thumb.c src/media/thumb_gfx.c
libwinnow_a_SOURCES += src/media/thumbq.c src/media/thumbq_disk.c src/media/thumbq_int.h

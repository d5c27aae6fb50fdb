# media
libwinnow_a_SOURCES += src/media/mpv_dl.c

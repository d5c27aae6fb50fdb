# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/app/app.c src/app/refresh.c src/app/refresh_finish.c src/app/refresh_int.h src/app/import.c
libwinnow_a_SOURCES += src/app/subscribe.c
libwinnow_a_SOURCES += src/app/play.c
libwinnow_a_SOURCES += src/app/export.c
libwinnow_a_SOURCES += src/app/verdict.c src/app/scanq.c src/app/app_int.h
libwinnow_a_SOURCES += src/app/ytdlp.c src/app/credentials.c src/app/login.c \
	src/app/play_expired.c src/app/play_expired.h

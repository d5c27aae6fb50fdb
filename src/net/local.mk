# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/net/fetch.c src/net/fetch_file.c src/net/fetch_file.h

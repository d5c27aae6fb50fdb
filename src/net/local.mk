# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/net/fetch.c src/net/fetch_file.c src/net/fetch_file.h src/net/fetch_int.h \
	src/net/fetch_errors.c src/net/fetch_guard.c src/net/fetch_response.c src/net/fetch_hosts.c

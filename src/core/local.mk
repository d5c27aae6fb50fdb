# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/core/util.c src/core/text.c src/core/date.c src/core/item.c src/core/config.c \
	src/core/workq.c

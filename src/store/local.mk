libwinnow_a_SOURCES += src/store/store.c src/store/schema.c src/store/feeds.c src/store/items.c \
	src/store/store_int.h

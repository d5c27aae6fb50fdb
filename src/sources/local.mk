libwinnow_a_SOURCES += src/sources/registry.c src/sources/url.c src/sources/html.c \
	src/sources/feed.c src/sources/feed_xml.c src/sources/jsonfeed.c \
	src/sources/feedutil.c src/sources/feedutil.h \
	src/sources/xmlprep.c src/sources/xmlprep.h

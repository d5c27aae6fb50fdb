# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/sources/registry.c src/sources/url.c src/sources/html.c \
	src/sources/feed.c src/sources/feed_xml.c src/sources/feed_xml.h \
	src/sources/feed_xml_ns.c src/sources/feed_xml_item.c src/sources/charset.c src/sources/charset.h src/sources/jsonfeed.c \
	src/sources/feedutil.c src/sources/feedutil.h \
	src/sources/xmlprep.c src/sources/xmlprep.h src/sources/utf8run.h \
	src/sources/apiutil.c src/sources/apiutil.h src/sources/youtube.c \
	src/sources/invidious.c src/sources/mastodon.c src/sources/bluesky.c src/sources/reddit.c \
	src/sources/peertube.c src/sources/hackernews.c src/sources/lemmy.c src/sources/link.c \
	src/sources/platforms.c src/sources/ytdlp.c src/sources/sora.c src/sources/x.c src/sources/timeline.c src/sources/platforms.h src/sources/ai_platforms.def

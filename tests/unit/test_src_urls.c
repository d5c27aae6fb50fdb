/* SPDX-License-Identifier: ISC */
/* URL recognition: the URLs people copy from a browser's address bar, per source, and the adapter
 * and API endpoint winnow picks for each; API endpoint URLs accepted as they are on any host
 * (127.0.0.1 included); the describe line `winnow add` prints; and URLs each adapter refuses with
 * a clear message when forced with --kind. */
#include "srcutil.h"

struct case_ {
    const char *url;
    const char *kind;        /* the adapter source_for_url must pick */
    const char *endpoint;    /* what request() must give (with max_items 0) */
};

static const struct case_ cases[] = {
    /* YouTube */
    {"https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA", "youtube",
     "https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"},
    {"https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA/videos", "youtube",
     "https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"},
    {"https://m.youtube.com/channel/UCsXVk37bltHxD1rDPwtNM8Q/shorts", "youtube",
     "https://www.youtube.com/feeds/videos.xml?channel_id=UCsXVk37bltHxD1rDPwtNM8Q"},
    {"https://youtube.com/@kurzgesagt", "youtube", "https://www.youtube.com/@kurzgesagt"},
    {"https://www.youtube.com/@DigitalFoundry/videos", "youtube", "https://www.youtube.com/@DigitalFoundry"},
    {"https://www.youtube.com/c/Kurzgesagt", "youtube", "https://www.youtube.com/c/Kurzgesagt"},
    {"https://www.youtube.com/user/Kurzgesagt", "youtube", "https://www.youtube.com/feeds/videos.xml?user=Kurzgesagt"},
    {"https://www.youtube.com/playlist?list=PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1", "youtube",
     "https://www.youtube.com/feeds/videos.xml?playlist_id=PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1"},
    {"https://www.youtube.com/watch?v=zg40FHOAqC0&list=PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1", "youtube",
     "https://www.youtube.com/feeds/videos.xml?playlist_id=PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1"},
    {"https://music.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA", "youtube",
     "https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"},
    {"https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA", "youtube",
     "https://www.youtube.com/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"},
    {"http://127.0.0.1:8080/feeds/videos.xml?user=Kurzgesagt", "youtube",
     "http://127.0.0.1:8080/feeds/videos.xml?user=Kurzgesagt"},

    /* Invidious */
    {"https://yewtu.be/channel/UCsXVk37bltHxD1rDPwtNM8Q", "invidious",
     "https://yewtu.be/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos"},
    {"https://inv.nadeko.net/channel/UCsXVk37bltHxD1rDPwtNM8Q/videos", "invidious",
     "https://inv.nadeko.net/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos"},
    {"https://yewtu.be/playlist?list=PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1", "invidious",
     "https://yewtu.be/api/v1/playlists/PLFs4vir_WsTyXrrpFstD64Qj95vpy-yo1"},
    {"https://yewtu.be/search?q=rust+lang", "invidious",
     "https://yewtu.be/api/v1/search?type=video&sort_by=upload_date&q=rust%20lang"},
    {"https://yewtu.be/feed/popular", "invidious", "https://yewtu.be/api/v1/popular"},
    {"https://invidious.nerdvpn.de/feed/trending", "invidious", "https://invidious.nerdvpn.de/api/v1/trending"},
    {"https://yewtu.be/", "invidious", "https://yewtu.be/api/v1/popular"},
    {"https://yewtu.be/watch?v=zg40FHOAqC0", "invidious", "https://yewtu.be/api/v1/videos/zg40FHOAqC0"},
    {"https://yewtu.be/@kurzgesagt", "invidious",
     "https://yewtu.be/api/v1/resolveurl?url=https%3A%2F%2Fwww.youtube.com%2F%40kurzgesagt"},
    {"https://yewtu.be/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos", "invidious",
     "https://yewtu.be/api/v1/channels/UCsXVk37bltHxD1rDPwtNM8Q/videos"},
    {"http://127.0.0.1:8080/api/v1/popular", "invidious", "http://127.0.0.1:8080/api/v1/popular"},
    {"http://127.0.0.1:8080/api/v1/trending?region=DE", "invidious", "http://127.0.0.1:8080/api/v1/trending?region=DE"},

    /* Mastodon */
    {"https://mastodon.social/@Gargron", "mastodon", "https://mastodon.social/api/v1/accounts/lookup?acct=Gargron"},
    {"https://fosstodon.org/@schochastics/with_replies", "mastodon",
     "https://fosstodon.org/api/v1/accounts/lookup?acct=schochastics"},
    {"https://mastodon.social/@Michael@weatherby2378.social", "mastodon",
     "https://mastodon.social/api/v1/accounts/lookup?acct=Michael%40weatherby2378.social"},
    {"https://hachyderm.io/users/nova", "mastodon", "https://hachyderm.io/api/v1/accounts/lookup?acct=nova"},
    {"https://mastodon.social/web/@Gargron", "mastodon", "https://mastodon.social/api/v1/accounts/lookup?acct=Gargron"},
    {"https://mastodon.social/tags/ichbinhanna", "mastodon", "https://mastodon.social/api/v1/timelines/tag/ichbinhanna"},
    {"https://mastodon.social/public/local", "mastodon", "https://mastodon.social/api/v1/timelines/public?local=true"},
    {"https://mastodon.social/public", "mastodon", "https://mastodon.social/api/v1/timelines/public"},
    {"https://chaos.social/public/remote", "mastodon", "https://chaos.social/api/v1/timelines/public?remote=true"},
    {"https://mastodon.social/explore", "mastodon", "https://mastodon.social/api/v1/trends/statuses"},
    {"https://fosstodon.org/@schochastics/111914731315376237", "mastodon",
     "https://fosstodon.org/api/v1/statuses/111914731315376237"},
    {"https://social.example.net/@alice", "mastodon", "https://social.example.net/api/v1/accounts/lookup?acct=alice"},
    {"https://mastodon.social/api/v1/timelines/public?local=true&limit=40", "mastodon",
     "https://mastodon.social/api/v1/timelines/public?local=true&limit=40"},
    {"http://127.0.0.1:8080/api/v1/timelines/public", "mastodon", "http://127.0.0.1:8080/api/v1/timelines/public"},
    {"http://127.0.0.1:8080/api/v1/accounts/109302436954721982/statuses", "mastodon",
     "http://127.0.0.1:8080/api/v1/accounts/109302436954721982/statuses"},

    /* Bluesky */
    {"https://bsky.app/profile/andrew.heiss.phd", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd&filter=posts_no_replies"},
    {"https://bsky.app/profile/did:plc:2zcfjzyocp6kapg6jc4eacok", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=did%3Aplc%3A2zcfjzyocp6kapg6jc4eacok&filter=posts_no_replies"},
    {"https://bsky.app/profile/chriskenny.bsky.social/media", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=chriskenny.bsky.social&filter=posts_with_media"},
    {"https://bsky.app/profile/chriskenny.bsky.social/replies", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=chriskenny.bsky.social&filter=posts_with_replies"},
    {"https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/feed/whats-hot", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getFeed?feed=at%3A%2F%2Fdid%3Aplc%3Az72i7hdynmk6r22z27h6tvur%2Fapp.bsky.feed.generator%2Fwhats-hot"},
    {"https://bsky.app/profile/bsky.app/feed/whats-hot", "bluesky",
     "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=bsky.app"},
    {"https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/lists/3kflf2r3lwg2x", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getListFeed?list=at%3A%2F%2Fdid%3Aplc%3Az72i7hdynmk6r22z27h6tvur%2Fapp.bsky.graph.list%2F3kflf2r3lwg2x"},
    {"https://bsky.app/profile/andrew.heiss.phd/lists/3kflf2r3lwg2x", "bluesky",
     "https://public.api.bsky.app/xrpc/com.atproto.identity.resolveHandle?handle=andrew.heiss.phd"},
    {"https://bsky.app/profile/did:plc:2zcfjzyocp6kapg6jc4eacok/post/3lt4cielyws2q", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread?depth=0&uri=at%3A%2F%2Fdid%3Aplc%3A2zcfjzyocp6kapg6jc4eacok%2Fapp.bsky.feed.post%2F3lt4cielyws2q"},
    {"https://bsky.app/search?q=rstats", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?sort=latest&q=rstats"},
    {"https://bsky.app/hashtag/rstats", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?sort=latest&q=%23rstats"},
    {"https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd", "bluesky",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd"},
    {"http://127.0.0.1:8080/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd", "bluesky",
     "http://127.0.0.1:8080/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd"},

    /* Reddit */
    {"https://www.reddit.com/r/videos", "reddit", "https://www.reddit.com/r/videos/hot.json?raw_json=1"},
    {"https://www.reddit.com/r/videos/", "reddit", "https://www.reddit.com/r/videos/hot.json?raw_json=1"},
    {"https://www.reddit.com/r/videos/new/", "reddit", "https://www.reddit.com/r/videos/new.json?raw_json=1"},
    {"https://www.reddit.com/r/videos/top/?t=week", "reddit", "https://www.reddit.com/r/videos/top.json?raw_json=1&t=week"},
    {"https://old.reddit.com/r/linux/rising", "reddit", "https://www.reddit.com/r/linux/rising.json?raw_json=1"},
    {"https://reddit.com/r/pics+aww", "reddit", "https://www.reddit.com/r/pics+aww/hot.json?raw_json=1"},
    {"https://www.reddit.com/", "reddit", "https://www.reddit.com/hot.json?raw_json=1"},
    {"https://www.reddit.com/user/spez", "reddit", "https://www.reddit.com/user/spez/submitted.json?raw_json=1"},
    {"https://www.reddit.com/u/spez", "reddit", "https://www.reddit.com/user/spez/submitted.json?raw_json=1"},
    {"https://www.reddit.com/r/funny/comments/hl9st0/grant_not_lee/", "reddit",
     "https://www.reddit.com/r/funny/comments/hl9st0/grant_not_lee.json?raw_json=1"},
    {"https://redd.it/hl9st0", "reddit", "https://www.reddit.com/comments/hl9st0.json?raw_json=1"},
    {"https://m.reddit.com/r/popular", "reddit", "https://www.reddit.com/r/popular/hot.json?raw_json=1"},
    {"https://www.reddit.com/search/?q=terminal", "reddit", "https://www.reddit.com/search.json?raw_json=1&q=terminal"},
    {"https://www.reddit.com/r/all/hot.json", "reddit", "https://www.reddit.com/r/all/hot.json"},
    {"http://127.0.0.1:8080/r/videos/hot.json", "reddit", "http://127.0.0.1:8080/r/videos/hot.json"},

    /* PeerTube */
    {"https://framatube.org/c/framasoft", "peertube",
     "https://framatube.org/api/v1/video-channels/framasoft/videos?sort=-publishedAt"},
    {"https://framatube.org/c/framasoft/videos", "peertube",
     "https://framatube.org/api/v1/video-channels/framasoft/videos?sort=-publishedAt"},
    {"https://framatube.org/a/framasoft", "peertube", "https://framatube.org/api/v1/accounts/framasoft/videos?sort=-publishedAt"},
    {"https://framatube.org/video-channels/framasoft", "peertube",
     "https://framatube.org/api/v1/video-channels/framasoft/videos?sort=-publishedAt"},
    {"https://framatube.org/videos/trending", "peertube", "https://framatube.org/api/v1/videos?sort=-trending"},
    {"https://framatube.org/videos/recently-added", "peertube", "https://framatube.org/api/v1/videos?sort=-publishedAt"},
    {"https://framatube.org/videos/local", "peertube", "https://framatube.org/api/v1/videos?sort=-publishedAt&isLocal=true"},
    {"https://framatube.org/videos/browse?scope=local&sort=-trending", "peertube",
     "https://framatube.org/api/v1/videos?sort=-trending&isLocal=true"},
    {"https://framatube.org/search?search=fsf", "peertube",
     "https://framatube.org/api/v1/search/videos?sort=-publishedAt&search=fsf"},
    {"https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "peertube",
     "https://framatube.org/api/v1/videos/9c9de5e8-0a1e-484a-b099-e80766180a6d"},
    {"https://peertube.cpy.re/videos/watch/d2a5ec78-5f85-4090-8ec5-dc1102e022ea", "peertube",
     "https://peertube.cpy.re/api/v1/videos/d2a5ec78-5f85-4090-8ec5-dc1102e022ea"},
    {"https://framatube.org/w/p/3a29b2b5-8d2e-4e3c-a0a3-3c3a43c2a6f1", "peertube",
     "https://framatube.org/api/v1/video-playlists/3a29b2b5-8d2e-4e3c-a0a3-3c3a43c2a6f1/videos"},
    {"https://video.example.org/c/talks", "peertube", "https://video.example.org/api/v1/video-channels/talks/videos?sort=-publishedAt"},
    {"http://127.0.0.1:8080/api/v1/videos", "peertube", "http://127.0.0.1:8080/api/v1/videos"},
    {"http://127.0.0.1:8080/api/v1/search/videos?search=fsf", "peertube", "http://127.0.0.1:8080/api/v1/search/videos?search=fsf"},

    /* Hacker News */
    {"https://news.ycombinator.com/", "hackernews", "https://hacker-news.firebaseio.com/v0/topstories.json"},
    {"https://news.ycombinator.com/news", "hackernews", "https://hacker-news.firebaseio.com/v0/topstories.json"},
    {"https://news.ycombinator.com/front", "hackernews", "https://hacker-news.firebaseio.com/v0/topstories.json"},
    {"https://news.ycombinator.com/newest", "hackernews", "https://hacker-news.firebaseio.com/v0/newstories.json"},
    {"https://news.ycombinator.com/best", "hackernews", "https://hacker-news.firebaseio.com/v0/beststories.json"},
    {"https://news.ycombinator.com/ask", "hackernews", "https://hacker-news.firebaseio.com/v0/askstories.json"},
    {"https://news.ycombinator.com/show", "hackernews", "https://hacker-news.firebaseio.com/v0/showstories.json"},
    {"https://news.ycombinator.com/jobs", "hackernews", "https://hacker-news.firebaseio.com/v0/jobstories.json"},
    {"https://news.ycombinator.com/item?id=8863", "hackernews", "https://hacker-news.firebaseio.com/v0/item/8863.json"},
    {"https://news.ycombinator.com/user?id=pg", "hackernews", "https://hacker-news.firebaseio.com/v0/user/pg.json"},
    {"https://hacker-news.firebaseio.com/v0/topstories.json", "hackernews",
     "https://hacker-news.firebaseio.com/v0/topstories.json"},
    {"http://127.0.0.1:8080/v0/newstories.json", "hackernews", "http://127.0.0.1:8080/v0/newstories.json"},

    /* Lemmy */
    {"https://lemmy.world/c/technology", "lemmy", "https://lemmy.world/api/v3/post/list?community_name=technology&sort=New"},
    {"https://lemmy.ml/c/linux@lemmy.ml", "lemmy", "https://lemmy.ml/api/v3/post/list?community_name=linux%40lemmy.ml&sort=New"},
    {"https://beehaw.org/c/technology?sort=TopDay", "lemmy",
     "https://beehaw.org/api/v3/post/list?community_name=technology&sort=TopDay"},
    {"https://programming.dev/c/rust", "lemmy", "https://programming.dev/api/v3/post/list?community_name=rust&sort=New"},
    {"https://sh.itjust.works/c/asklemmy", "lemmy", "https://sh.itjust.works/api/v3/post/list?community_name=asklemmy&sort=New"},
    {"https://lemmy.world/", "lemmy", "https://lemmy.world/api/v3/post/list?type_=Local&sort=New"},
    {"https://lemmy.world/?listingType=All", "lemmy", "https://lemmy.world/api/v3/post/list?type_=All&sort=New"},
    {"https://lemmy.world/u/seed_mod1", "lemmy", "https://lemmy.world/api/v3/user?sort=New&username=seed_mod1"},
    {"https://lemmy.world/post/180", "lemmy", "https://lemmy.world/api/v3/post?id=180"},
    {"https://lemmy.world/search?q=rust", "lemmy", "https://lemmy.world/api/v3/search?type_=Posts&sort=New&q=rust"},
    {"https://test1.lemmy.ddenis.info/c/music", "lemmy",
     "https://test1.lemmy.ddenis.info/api/v3/post/list?community_name=music&sort=New"},
    {"http://127.0.0.1:8080/api/v3/post/list?community_name=music", "lemmy",
     "http://127.0.0.1:8080/api/v3/post/list?community_name=music"},

    /* single links */
    {"https://sora.chatgpt.com/p/s_68e2a7c0b3a08191a6a0e2c7", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_68e2a7c0b3a08191a6a0e2c7"},
    {"https://sora.chatgpt.com/p/s_1", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_1"},
    {"https://sora.chatgpt.com/p/s_abcdef", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_abcdef"},
    {"https://sora.chatgpt.com/p/s_0123456789abcdef", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_0123456789abcdef"},
    {"https://sora.chatgpt.com/p/s_ABCDEF01", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_ABCDEF01"},
    {"https://sora.com/p/s_9f9f", "sora", "https://sora.com/backend/project_y/post/s_9f9f"},
    {"https://www.sora.com/p/s_9f9f", "sora", "https://www.sora.com/backend/project_y/post/s_9f9f"},
    {"https://sora.chatgpt.com/p/s_77aa?share=1", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_77aa"},
    {"https://sora.chatgpt.com/p/s_77aa/", "sora", "https://sora.chatgpt.com/backend/project_y/post/s_77aa"},
    {"http://sora.chatgpt.com/p/s_1234", "sora", "http://sora.chatgpt.com/backend/project_y/post/s_1234"},
    {"https://x.com/NASA", "x", "https://nitter.example/NASA/rss"},
    {"https://twitter.com/NASA", "x", "https://nitter.example/NASA/rss"},
    {"https://www.x.com/jack", "x", "https://nitter.example/jack/rss"},
    {"https://mobile.twitter.com/jack", "x", "https://nitter.example/jack/rss"},
    {"https://x.com/@jack", "x", "https://nitter.example/jack/rss"},
    {"https://x.com/jack/", "x", "https://nitter.example/jack/rss"},
    {"https://x.com/jack?lang=en", "x", "https://nitter.example/jack/rss"},
    {"https://x.com/jack/media", "x", "https://nitter.example/jack/rss"},
    {"https://x.com/jack/with_replies", "x", "https://nitter.example/jack/rss"},
    {"https://twitter.com/a_b_c_1", "x", "https://nitter.example/a_b_c_1/rss"},
    {"https://www.meta.ai/@someone/post/abc", "link", "https://www.meta.ai/@someone/post/abc"},
    {"https://x.com/NASA/status/1837541412541624549", "link", "https://x.com/NASA/status/1837541412541624549"},
    {"https://twitter.com/NASA/status/1837541412541624549?s=20", "link",
     "https://twitter.com/NASA/status/1837541412541624549?s=20"},
    {"https://www.meta.ai/vibes/1234567890", "link", "https://www.meta.ai/vibes/1234567890"},
    {"https://www.tiktok.com/@nasa/video/7412345678901234567", "link", "https://www.tiktok.com/@nasa/video/7412345678901234567"},
    {"https://www.instagram.com/reel/C8abcdefgh/", "link", "https://www.instagram.com/reel/C8abcdefgh/"},
    {"https://www.youtube.com/watch?v=zg40FHOAqC0", "link", "https://www.youtube.com/watch?v=zg40FHOAqC0"},
    {"https://youtu.be/zg40FHOAqC0", "link", "https://youtu.be/zg40FHOAqC0"},
    {"https://vimeo.com/76979871", "link", "https://vimeo.com/76979871"},
    {"https://www.threads.net/@zuck/post/C8abcdefgh", "link", "https://www.threads.net/@zuck/post/C8abcdefgh"},

    /* plain feeds stay feeds */
    {"https://daringfireball.net/feeds/main", "feed", "https://daringfireball.net/feeds/main"},
    {"https://mastodon.social/@Gargron.rss", "feed", "https://mastodon.social/@Gargron.rss"},
    {"https://www.reddit.com/r/videos/.rss", "feed", "https://www.reddit.com/r/videos/.rss"},
    {"https://bsky.app/profile/andrew.heiss.phd/rss", "feed", "https://bsky.app/profile/andrew.heiss.phd/rss"},
    {"https://framatube.org/feeds/videos.xml?videoChannelId=42", "feed", "https://framatube.org/feeds/videos.xml?videoChannelId=42"},
    {"https://medium.com/@someone", "feed", "https://medium.com/@someone"},
    {"http://127.0.0.1:8080/f/youtube/kurzgesagt_videos_2026-01.xml", "feed",
     "http://127.0.0.1:8080/f/youtube/kurzgesagt_videos_2026-01.xml"},
};

static void test_table(void **state)
{
    (void)state;
    size_t per[16] = {0};
    const struct source *const *all = source_all();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct case_ *c = &cases[i];
        const struct source *src = source_for_url(c->url);
        if (strcmp(src->name, c->kind)) fail_msg("%s: picked %s, want %s", c->url, src->name, c->kind);
        struct subscription sub = {.url = c->url};
        struct strbuf b;
        sb_init(&b);
        struct error e = {{0}};
        if (src->request(&sub, &b, &e) != 0) fail_msg("%s: %s", c->url, e.msg);
        if (strcmp(b.s, c->endpoint)) fail_msg("%s:\n  got  %s\n  want %s", c->url, b.s, c->endpoint);
        sb_free(&b);
        for (size_t k = 0; all[k] && k < 16; k++) per[k] += all[k] == src;
    }
    /* at least ten real shapes for every source */
    for (size_t k = 0; all[k] && k < 16; k++)
        /* ytdlp claims nothing without yt-dlp, and the -login kinds come from timeline names,
         * never from a URL: test_src_video has theirs */
        if (per[k] < 10 && strcmp(all[k]->name, "feed") && strcmp(all[k]->name, "ytdlp") &&
            !strstr(all[k]->name, "-login"))
            fail_msg("%s: only %zu URL shapes tested", all[k]->name, per[k]);
}

/* Paging: max-items becomes the API's page size, capped at what the API allows. */
static void test_page_size(void **state)
{
    (void)state;
    static const struct { const char *url; size_t max; const char *want; } t[] = {
        {"https://mastodon.social/tags/rust", 10, "https://mastodon.social/api/v1/timelines/tag/rust?limit=10"},
        {"https://mastodon.social/public/local", 500, "https://mastodon.social/api/v1/timelines/public?local=true&limit=40"},
        {"https://www.reddit.com/r/videos", 5, "https://www.reddit.com/r/videos/hot.json?raw_json=1&limit=5"},
        {"https://bsky.app/profile/a.bsky.social", 7,
         "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=a.bsky.social&filter=posts_no_replies&limit=7"},
        {"https://framatube.org/videos/trending", 3, "https://framatube.org/api/v1/videos?sort=-trending&count=3"},
        {"https://framatube.org/c/x", 8, "https://framatube.org/api/v1/video-channels/x/videos?sort=-publishedAt&count=8"},
        {"https://lemmy.world/c/rust", 12, "https://lemmy.world/api/v3/post/list?community_name=rust&sort=New&limit=12"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct subscription sub = {.url = t[i].url, .max_items = t[i].max};
        const struct source *src = source_for_url(t[i].url);
        struct strbuf b;
        sb_init(&b);
        struct error e = {{0}};
        assert_int_equal(src->request(&sub, &b, &e), 0);
        if (strcmp(b.s, t[i].want)) fail_msg("%s max %zu: got %s", t[i].url, t[i].max, b.s);
        sb_free(&b);
    }
}

/* What `winnow add` says it picked. */
static void test_describe(void **state)
{
    (void)state;
    static const struct { const char *url, *want; } t[] = {
        {"https://mastodon.social/@Gargron", "/api/v1/accounts/lookup?acct=Gargron \xe2\x86\x92 statuses"},
        {"https://mastodon.social/tags/rust", "/api/v1/timelines/tag/rust"},
        {"https://www.youtube.com/@kurzgesagt", "https://www.youtube.com/@kurzgesagt \xe2\x86\x92 channel id"},
        {"https://www.youtube.com/channel/UC9PBzalIcEQCsiIkq36PyUA", "/feeds/videos.xml?channel_id=UC9PBzalIcEQCsiIkq36PyUA"},
        {"https://mastodon.social/api/v1/timelines/public", ""},
        {"https://www.reddit.com/r/videos", "/r/videos/hot.json?raw_json=1"},
        {"https://bsky.app/profile/bsky.app/feed/whats-hot", "resolveHandle?handle=bsky.app \xe2\x86\x92 getFeed"},
        {"https://news.ycombinator.com/", "topstories.json \xe2\x86\x92 the first 30 items"},
        {"https://sora.chatgpt.com/p/s_1", "/backend/project_y/post/s_1 → the post's JSON"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct subscription sub = {.url = t[i].url};
        struct strbuf b;
        sb_init(&b);
        struct error e = {{0}};
        assert_int_equal(source_describe(source_for_url(t[i].url), &sub, &b, &e), 0);
        /* "": the URL is fetched as it is, nothing to add */
        if (!*t[i].want) assert_int_equal(b.len, 0);
        else if (!b.s || !strstr(b.s, t[i].want)) fail_msg("%s: \"%s\" lacks \"%s\"", t[i].url, b.s, t[i].want);
        sb_free(&b);
    }
}

/* Forced with --kind, an adapter refuses URLs it cannot serve, in one clear line. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct { const char *kind, *url; } t[] = {
        {"mastodon", "https://mastodon.social/about"},        {"bluesky", "https://bsky.app/settings"},
        {"reddit", "https://www.reddit.com/settings/profile"}, {"peertube", "https://framatube.org/about/instance"},
        {"youtube", "https://www.youtube.com/results?search_query=x"}, {"invidious", "https://yewtu.be/preferences"},
        {"hackernews", "https://news.ycombinator.com/submit"}, {"lemmy", "https://lemmy.world/communities/x/y"},
        {"link", "ftp://example.org/x"},                         {"mastodon", "not a url"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const struct source *src = source_by_name(t[i].kind);
        assert_non_null(src);
        struct subscription sub = {.url = t[i].url};
        struct strbuf b;
        sb_init(&b);
        struct error e = {{0}};
        assert_int_equal(src->request(&sub, &b, &e), -1);
        assert_true(strlen(e.msg) > 10 && !strchr(e.msg, '\n'));
        assert_true(starts_with(e.msg, t[i].kind));
        sb_free(&b);
    }
}

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = {"feed", "youtube", "invidious", "mastodon", "bluesky", "reddit",
                                        "peertube", "hackernews", "lemmy", "link", NULL};
    for (size_t i = 0; names[i]; i++) {
        const struct source *s = source_by_name(names[i]);
        assert_non_null(s);
        assert_string_equal(s->name, names[i]);
        assert_non_null(s->description);
    }
    assert_string_equal(source_by_name("hn")->name, "hackernews");
    assert_string_equal(source_by_name("bsky")->name, "bluesky");
    assert_null(source_by_name("myspace"));
}

int main(void)
{
    /* the table is the choice without yt-dlp (test_src_video has the one with it): video pages
     * then stay link cards, whatever this machine has installed */
    source_set_option("ytdlp-path", "/nonexistent/yt-dlp");
    source_set_option("bridge-x", "https://nitter.example");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_page_size),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("source URLs", tests, NULL, NULL);
}

// Reads Agora through masto.js (a Mastodon client that knows nothing of Agora) and prints what it
// parsed as JSON, for agora/api/tests/test_mastodon_clients.py to check.
// Usage: node masto_read.mjs <base url> <access token> <status id> <tag>
import { createRestAPIClient } from "masto";

const [url, accessToken, statusId, tag] = process.argv.slice(2);
const masto = createRestAPIClient({ url, accessToken });

const brief = (s) => ({
  id: s.id,
  createdAt: s.createdAt,
  card: s.card,
  agoraProducts: s.agoraProducts,
  reblog: s.reblog ? brief(s.reblog) : null,
});

const home = await masto.v1.timelines.home.list({ limit: 40 });
const pub = await masto.v1.timelines.public.list({ limit: 40 });
const byTag = await masto.v1.timelines.tag.$select(tag).list({ limit: 40 });
const status = await masto.v1.statuses.$select(statusId).fetch();
const context = await masto.v1.statuses.$select(statusId).context.fetch();
// async iteration follows the Link header, as apps scrolling a timeline do
const pages = [];
for await (const page of masto.v1.timelines.home.list({ limit: 2 })) {
  pages.push(page.map((s) => s.id));
  if (pages.length === 3) break;
}
console.log(
  JSON.stringify({
    home: home.map(brief),
    public: pub.map(brief),
    tag: byTag.map(brief),
    status: brief(status),
    context: context.descendants.length,
    pages,
  }),
);

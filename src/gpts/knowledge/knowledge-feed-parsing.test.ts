import { describe, expect, it } from 'vitest';
import { parseFeed } from './knowledge-feed-parsing.js';

const url = 'https://example.com/feed';

describe('feed parsing', () => {
  it('reads Atom entries with their id, alternate link, HTML content as text and date', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Engineering</title>
      <entry><id>urn:uuid:1</id><title type="text">Release 2.0</title><link rel="self" href="https://example.com/self"/><link rel="alternate" href="https://example.com/2.0"/>
      <updated>2025-03-04T05:06:07Z</updated><content type="html">&lt;p&gt;Faster &amp;amp; smaller builds.&lt;/p&gt;</content></entry>
      <entry><title>No id</title><link href="https://example.com/no-id"/><summary>Plain summary</summary><published>2025-03-05T00:00:00+01:00</published></entry></feed>`;
    const feed = parseFeed(url, Buffer.from(atom), 'application/atom+xml');
    expect(feed.title).toBe('Engineering');
    expect(feed.items).toEqual([
      { key: 'urn:uuid:1', title: 'Release 2.0', link: 'https://example.com/2.0', text: 'Release 2.0\n\nFaster & smaller builds.', publishedAt: '2025-03-04T05:06:07.000Z' },
      { key: 'https://example.com/no-id', title: 'No id', link: 'https://example.com/no-id', text: 'No id\n\nPlain summary', publishedAt: '2025-03-04T23:00:00.000Z' },
    ]);
  });

  it('reads RSS 1.0 (RDF) items and RSS 2.0 items keyed by link when they have no guid', () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel><title>Old style</title></channel><item><title>First</title><link>https://example.com/1</link><description>One</description><dc:date>2024-01-02T03:04:05Z</dc:date></item></rdf:RDF>`;
    expect(parseFeed(url, Buffer.from(rdf), 'application/rdf+xml').items).toEqual([{ key: 'https://example.com/1', title: 'First', link: 'https://example.com/1', text: 'First\n\nOne', publishedAt: '2024-01-02T03:04:05.000Z' }]);
    const rss = '<rss version="2.0"><channel><title>T</title><item><title>Only</title><link>https://example.com/only</link></item></channel></rss>';
    expect(parseFeed(url, Buffer.from(rss), 'text/xml').items).toEqual([{ key: 'https://example.com/only', title: 'Only', link: 'https://example.com/only', text: 'Only', publishedAt: null }]);
  });

  it('refuses HTML pages, other XML, JSON and broken XML with feed_not_xml', () => {
    const cases: [string, string | undefined, RegExp][] = [
      ['<!DOCTYPE html><html><body>hi</body></html>', 'text/html', /HTML page/],
      ['<html><body>hi</body></html>', 'application/xml', /HTML page/],
      ['<?xml version="1.0"?><sitemap><url>x</url></sitemap>', 'application/xml', /root element is <sitemap>/],
      ['{"items":[]}', 'application/json', /not XML/],
      ['<rss><channel><item><title>x</title></channel></rss>', 'application/rss+xml', /does not parse/],
    ];
    for (const [body, contentType, reason] of cases) {
      expect(() => parseFeed(url, Buffer.from(body), contentType)).toThrow(reason);
      try {
        parseFeed(url, Buffer.from(body), contentType);
      } catch (error) {
        expect(error).toMatchObject({ status: 422, code: 'feed_not_xml' });
      }
    }
  });
});

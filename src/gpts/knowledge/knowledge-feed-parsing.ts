// Reads an RSS 2.0, RSS 1.0 (RDF) or Atom feed into items: a key that identifies each item
// within its feed (guid, id or link), a title, a link, its text and its own date. Anything else
// (an HTML page where a feed was expected, broken XML) is refused with `feed_not_xml`, so a
// mistyped feed URL fails visibly instead of indexing a web page as news.
import { XMLParser } from 'fast-xml-parser';
import { ModelmartError } from '../../core/index.js';
import { htmlToPlainText } from './knowledge-extraction.js';

export interface FeedItem {
  readonly key: string;
  readonly title: string;
  readonly link: string | null;
  readonly text: string;
  readonly publishedAt: string | null;
}

export interface ParsedFeed {
  readonly title: string | null;
  readonly items: readonly FeedItem[];
}

export function feedNotXml(url: string, detail: string): ModelmartError {
  return new ModelmartError(422, `${url} did not answer with an RSS or Atom feed: ${detail}.`, { code: 'feed_not_xml', param: 'url' });
}

type XmlNode = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of an element that may be a plain value or an object with attributes and #text. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (isNode(value)) return textOf(value['#text']);
  return null;
}

function isoDate(value: unknown): string | null {
  const text = textOf(value);
  if (text === null) return null;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Atom links: the rel="alternate" one (or the one without rel), else the first. */
function atomLink(value: unknown): string | null {
  const links = asList(value);
  for (const link of links) {
    if (isNode(link) && (link['@_rel'] === undefined || link['@_rel'] === 'alternate') && typeof link['@_href'] === 'string') return link['@_href'];
  }
  const first = links[0];
  if (isNode(first) && typeof first['@_href'] === 'string') return first['@_href'];
  return textOf(first);
}

function readableText(value: unknown): string {
  const text = textOf(value);
  if (text === null) return '';
  return /<[a-z!/][^>]*>/iu.test(text) ? htmlToPlainText(text) : text;
}

function rssItem(item: XmlNode): FeedItem | null {
  const link = textOf(item['link']);
  const key = textOf(item['guid']) ?? link ?? textOf(item['title']);
  if (key === null) return null;
  const body = readableText(item['content:encoded'] ?? item['description']);
  const title = textOf(item['title']) ?? link ?? key;
  return { key, title, link, text: body === '' ? title : `${title}\n\n${body}`, publishedAt: isoDate(item['pubDate'] ?? item['dc:date']) };
}

function atomEntry(entry: XmlNode): FeedItem | null {
  const link = atomLink(entry['link']);
  const key = textOf(entry['id']) ?? link;
  if (key === null) return null;
  const body = readableText(entry['content'] ?? entry['summary']);
  const title = textOf(entry['title']) ?? link ?? key;
  return { key, title, link, text: body === '' ? title : `${title}\n\n${body}`, publishedAt: isoDate(entry['published'] ?? entry['updated']) };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', processEntities: true, htmlEntities: true, trimValues: true });

export function parseFeed(url: string, body: Buffer, contentType: string | undefined): ParsedFeed {
  const text = body.toString('utf8').replace(/^\uFEFF/u, '').trimStart();
  const mimeType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mimeType === 'text/html' || /^<!doctype html/iu.test(text) || /^<html[\s>]/iu.test(text)) throw feedNotXml(url, `the response is an HTML page (content type ${mimeType ?? 'none'})`);
  if (!text.startsWith('<')) throw feedNotXml(url, 'the response is not XML');
  let document: unknown;
  try {
    document = parser.parse(text, true);
  } catch (error) {
    throw feedNotXml(url, `the XML does not parse (${(error as Error).message.split('\n')[0] ?? 'error'})`);
  }
  if (!isNode(document)) throw feedNotXml(url, 'the response is empty');
  const rss = document['rss'];
  if (isNode(rss)) {
    const channel = isNode(rss['channel']) ? rss['channel'] : {};
    const items = asList(channel['item']).filter(isNode).map(rssItem);
    return { title: textOf(channel['title']), items: items.filter((item): item is FeedItem => item !== null) };
  }
  const rdf = document['rdf:RDF'];
  if (isNode(rdf)) {
    const channel = isNode(rdf['channel']) ? rdf['channel'] : {};
    const items = asList(rdf['item']).filter(isNode).map(rssItem);
    return { title: textOf(channel['title']), items: items.filter((item): item is FeedItem => item !== null) };
  }
  const feed = document['feed'];
  if (isNode(feed)) {
    const entries = asList(feed['entry']).filter(isNode).map(atomEntry);
    return { title: textOf(feed['title']), items: entries.filter((item): item is FeedItem => item !== null) };
  }
  const root = Object.keys(document).find((name) => !name.startsWith('?'));
  throw feedNotXml(url, root === undefined ? 'the response has no XML root element' : `its root element is <${root}>, not <rss>, <rdf:RDF> or <feed>`);
}

// A small Markdown reader for the legal texts: headings, paragraphs, lists, links, emphasis
// and strong. It produces a tree that legal/markdown-view.tsx turns into React elements, so no
// text is ever parsed as HTML.
import { sitePath } from '../routing/safe-return-to';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'em'; children: Inline[] }
  | { kind: 'code'; text: string }
  | {
      kind: 'link';
      href: string;
      /** A path of this site, followed inside the app; else a web or mail address. */
      inApp: boolean;
      children: Inline[];
    };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

/** Splits the text into blocks: a blank line ends a paragraph or a list. */
export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;

  const flush = () => {
    if (paragraph.length > 0) {
      blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
      paragraph = [];
    }
    if (list) {
      blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
      list = undefined;
    }
  };

  for (const rawLine of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trimEnd();
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (heading) {
      flush();
      const level = heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ kind: 'heading', level, children: parseInline(heading[2]!) });
    } else if (bullet || numbered) {
      const ordered = !bullet;
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list && /^\s+\S/.test(rawLine)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/** Links, **strong**, *em* / _em_ and `code`; anything unmatched stays text. */
export function parseInline(text: string): Inline[] {
  const nodes: Inline[] = [];
  let plain = '';
  const pushPlain = () => {
    if (plain) nodes.push({ kind: 'text', text: plain });
    plain = '';
  };

  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
    const target = link && linkTarget(link[2]!);
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    const em = /^(\*|_)(?=\S)([\s\S]*?\S)\1(?![*_])/.exec(rest);
    const code = /^`([^`]+)`/.exec(rest);
    if (rest.startsWith('\\') && rest.length > 1) {
      plain += rest[1];
      i += 2;
      continue;
    }
    if (link && target) {
      pushPlain();
      nodes.push({ kind: 'link', ...target, children: parseInline(link[1]!) });
      i += link[0].length;
    } else if (strong) {
      pushPlain();
      nodes.push({ kind: 'strong', children: parseInline(strong[2]!) });
      i += strong[0].length;
    } else if (em && !isInsideWord(text, i, em[1]!)) {
      pushPlain();
      nodes.push({ kind: 'em', children: parseInline(em[2]!) });
      i += em[0].length;
    } else if (code) {
      pushPlain();
      nodes.push({ kind: 'code', text: code[1]! });
      i += code[0].length;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  pushPlain();
  return nodes;
}

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Where a link may go, or undefined (it then stays text): a path on this site by the rule
 * `?returnTo=` follows (sitePath: no `//host`, no `/\host`, …), or an absolute web or mail
 * address. Nothing that could run script (`javascript:`, `data:`) or hide another host.
 */
export function linkTarget(href: string): { href: string; inApp: boolean } | undefined {
  if (href.startsWith('/')) {
    const path = sitePath(href);
    return path === undefined ? undefined : { href: path, inApp: true };
  }
  const url = absoluteUrl(href);
  return url && EXTERNAL_PROTOCOLS.has(url.protocol) ? { href: url.href, inApp: false } : undefined;
}

function absoluteUrl(href: string): URL | undefined {
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

/** snake_case_words are not emphasis: an underscore between letters is just a character. */
function isInsideWord(text: string, index: number, marker: string): boolean {
  return marker === '_' && index > 0 && /\w/.test(text[index - 1]!);
}

import type { ReactNode } from 'react';
import { Link } from '../routing/link';
import type { Block, Inline } from './markdown';

/**
 * Markdown blocks as React elements, below the page's own h1: a level-1 heading that opens the
 * text is that title again and is left out; any other level-1 heading becomes an h2, so the page
 * keeps exactly one h1.
 */
export function MarkdownView({ blocks }: { blocks: readonly Block[] }) {
  const first = blocks[0];
  const body = first?.kind === 'heading' && first.level === 1 ? blocks.slice(1) : blocks;
  return (
    <>
      {body.map((block, index) => {
        switch (block.kind) {
          case 'heading': {
            const Tag = `h${Math.max(2, block.level)}` as 'h2';
            return <Tag key={index}>{inlines(block.children)}</Tag>;
          }
          case 'paragraph':
            return <p key={index}>{inlines(block.children)}</p>;
          case 'list': {
            const List = block.ordered ? 'ol' : 'ul';
            return (
              <List key={index}>
                {block.items.map((item, itemIndex) => (
                  <li key={itemIndex}>{inlines(item)}</li>
                ))}
              </List>
            );
          }
        }
      })}
    </>
  );
}

function inlines(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'strong':
        return <strong key={index}>{inlines(node.children)}</strong>;
      case 'em':
        return <em key={index}>{inlines(node.children)}</em>;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'link':
        return node.inApp ? (
          <Link key={index} to={node.href}>
            {inlines(node.children)}
          </Link>
        ) : (
          <a key={index} href={node.href} rel="noopener noreferrer">
            {inlines(node.children)}
          </a>
        );
    }
  });
}

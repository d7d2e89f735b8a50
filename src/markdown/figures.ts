/**
 * An image alone in its paragraph with a title, `![Kenneth Tan](/images/kt.jpg "Kenneth Tan,
 * Sardina Systems")`, becomes a <figure> with that title as its <figcaption>, the way recaps caption
 * speakers' photos. The title moves to the caption (a tooltip saying it again helps nobody).
 * recap's own sites only: a Jekyll site's posts stay as kramdown writes them.
 */
import type { Emphasis, Image, Nodes, Paragraph, Root } from 'mdast';

/** The image of a paragraph holding nothing else (spaces and line breaks aside), if it has a title. */
function captionedImage(paragraph: Paragraph): Image | undefined {
  const images = paragraph.children.filter((child) => child.type === 'image');
  const others = paragraph.children.filter((child) => child.type !== 'image' && !(child.type === 'text' && child.value.trim() === '') && child.type !== 'break');
  const image = images.length === 1 && others.length === 0 ? images[0] : undefined;
  return image?.title?.trim() ? image : undefined;
}

export function remarkFigures() {
  const visit = (node: Nodes): void => {
    if (node.type === 'paragraph') {
      const image = captionedImage(node);
      if (!image) return;
      // Phrasing content (a paragraph's children must be): the element's name is what counts.
      const caption: Emphasis = { type: 'emphasis', data: { hName: 'figcaption' }, children: [{ type: 'text', value: image.title!.trim() }] };
      image.title = null;
      node.data = { ...node.data, hName: 'figure' };
      node.children = [image, caption];
      return;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  return (tree: Root) => visit(tree);
}

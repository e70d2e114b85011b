/** A scanned page as the image detectors see it (checkboxes, ruled tables): one grey level per pixel. */
export interface GreyImage {
  width: number;
  height: number;
  /** 0 black .. 255 white, row by row. */
  grey: Uint8Array;
}

/** A connected area of pixels: its bounding box (inclusive), its size, and whether it touches the image's edge. */
export interface ConnectedArea {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pixels: number;
  touchesEdge: boolean;
}

/**
 * The connected areas of the pixels marked in `member` (1 = in), with 8 neighbours (`diagonal`) or 4. One pass with
 * an explicit stack: a page-sized area does not overflow the call stack.
 */
export function connectedAreas(member: Uint8Array, width: number, height: number, diagonal: boolean): ConnectedArea[] {
  const seen = new Uint8Array(member.length);
  const stack: number[] = [];
  const areas: ConnectedArea[] = [];
  const visit = (q: number): void => {
    if (member[q] && !seen[q]) {
      seen[q] = 1;
      stack.push(q);
    }
  };
  for (let start = 0; start < member.length; start++) {
    if (!member[start] || seen[start]) continue;
    const area: ConnectedArea = { x0: width, y0: height, x1: 0, y1: 0, pixels: 0, touchesEdge: false };
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      area.pixels++;
      if (x < area.x0) area.x0 = x;
      if (x > area.x1) area.x1 = x;
      if (y < area.y0) area.y0 = y;
      if (y > area.y1) area.y1 = y;
      const left = x > 0;
      const right = x < width - 1;
      const up = y > 0;
      const down = y < height - 1;
      if (!left || !right || !up || !down) area.touchesEdge = true;
      if (left) visit(p - 1);
      if (right) visit(p + 1);
      if (up) visit(p - width);
      if (down) visit(p + width);
      if (diagonal) {
        if (left && up) visit(p - width - 1);
        if (right && up) visit(p - width + 1);
        if (left && down) visit(p + width - 1);
        if (right && down) visit(p + width + 1);
      }
    }
    areas.push(area);
  }
  return areas;
}

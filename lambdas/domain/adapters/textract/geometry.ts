/** Textract geometry to the common format: clamp to the page, and read the text's rotation off the polygon. */
import type { Geometry, Orientation } from '../../document';
import type { RawGeometry } from './model';
import { wrongType } from './response-schema';

const clamp = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);

export function toGeometry(raw: RawGeometry | undefined): Geometry | undefined {
  if (raw === undefined || raw === null) return undefined;
  const box = raw.BoundingBox;
  if (typeof raw !== 'object' || (box !== undefined && box !== null && typeof box !== 'object')) throw wrongType('Geometry');
  if (!box) return undefined;
  if (typeof box.Left !== 'number' || typeof box.Top !== 'number' || typeof box.Width !== 'number' || typeof box.Height !== 'number') {
    // A box missing a side is no box; one with a side that is not a number is a malformed response.
    if ([box.Left, box.Top, box.Width, box.Height].every((side) => side === undefined || side === null || typeof side === 'number')) return undefined;
    throw wrongType('Geometry.BoundingBox');
  }
  const left = clamp(box.Left);
  const top = clamp(box.Top);
  const geometry: Geometry = {
    box: { left, top, width: Math.min(clamp(box.Width), 1 - left), height: Math.min(clamp(box.Height), 1 - top) },
  };
  const polygon = raw?.Polygon;
  if (polygon && polygon.length >= 3) {
    const points: number[] = new Array(polygon.length * 2);
    for (let i = 0; i < polygon.length; i++) {
      const { X, Y } = polygon[i];
      if (typeof X !== 'number' || typeof Y !== 'number') return geometry;
      points[2 * i] = clamp(X);
      points[2 * i + 1] = clamp(Y);
    }
    geometry.polygon = points;
  }
  return geometry;
}

/**
 * Textract lists a polygon from the text's own top-left corner, so the direction of the first edge tells how the
 * text is rotated on the page: rightwards 0, downwards 90, leftwards 180, upwards 270 (clockwise, y pointing down).
 */
export function orientationOf(raw: RawGeometry | undefined): Orientation | undefined {
  const polygon = raw?.Polygon;
  if (!polygon || polygon.length < 2) return undefined;
  const [a, b] = polygon;
  if (a.X === undefined || a.Y === undefined || b.X === undefined || b.Y === undefined) return undefined;
  const dx = b.X - a.X;
  const dy = b.Y - a.Y;
  if (dx === 0 && dy === 0) return undefined;
  const degrees = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
  return ((Math.round(degrees / 90) % 4) * 90) as Orientation;
}

/** Confidence 0..100 to 0..1 (the raw value is kept beside it by the callers, as `rawConfidence`). */
export function confidenceOf(raw: number | undefined): number | undefined {
  return typeof raw === 'number' && !Number.isNaN(raw) ? clamp(raw / 100) : undefined;
}

/** The raw confidence, when it is a number. */
export function rawConfidenceOf(raw: number | undefined): number | undefined {
  return typeof raw === 'number' && !Number.isNaN(raw) ? raw : undefined;
}

/** The smallest box holding every given geometry (for an element made of parts, such as a key and its value). */
export function unionOf(geometries: (Geometry | undefined)[]): Geometry | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  let count = 0;
  let only: Geometry | undefined;
  for (let i = 0; i < geometries.length; i++) {
    const geometry = geometries[i];
    if (geometry === undefined) continue;
    const box = geometry.box;
    count++;
    only = geometry;
    if (box.left < left) left = box.left;
    if (box.top < top) top = box.top;
    if (box.left + box.width > right) right = box.left + box.width;
    if (box.top + box.height > bottom) bottom = box.top + box.height;
  }
  if (only === undefined) return undefined;
  if (count === 1) return { box: { ...only.box } };
  return { box: { left, top, width: Math.min(right, 1) - left, height: Math.min(bottom, 1) - top } };
}

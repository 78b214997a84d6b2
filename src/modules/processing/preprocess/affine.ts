import type { Box } from '../processing.types.js';

/**
 * A 2-D affine transform of image coordinates (top-left origin, y down):
 * x' = a·x + b·y + c,  y' = d·x + e·y + f.
 * Preprocessing rotates and scales the page; composing what it did and inverting it maps the
 * boxes OCR finds back onto the original image.
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

/** `second` applied after `first`. */
export function compose(first: Affine, second: Affine): Affine {
  return {
    a: second.a * first.a + second.b * first.d,
    b: second.a * first.b + second.b * first.e,
    c: second.a * first.c + second.b * first.f + second.c,
    d: second.d * first.a + second.e * first.d,
    e: second.d * first.b + second.e * first.e,
    f: second.d * first.c + second.e * first.f + second.f,
  };
}

export function invert(t: Affine): Affine {
  const det = t.a * t.e - t.b * t.d;
  return {
    a: t.e / det,
    b: -t.b / det,
    c: (t.b * t.f - t.e * t.c) / det,
    d: -t.d / det,
    e: t.a / det,
    f: (t.d * t.c - t.a * t.f) / det,
  };
}

export function apply(t: Affine, x: number, y: number): [number, number] {
  return [t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f];
}

/**
 * A clockwise rotation by `degrees` about the centre of a `width`×`height` image whose canvas
 * grows to `newWidth`×`newHeight` (what sharp's `rotate()` does), keeping the centre centred.
 */
export function rotation(
  degrees: number,
  width: number,
  height: number,
  newWidth: number,
  newHeight: number,
): Affine {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = width / 2;
  const cy = height / 2;
  return {
    a: cos,
    b: -sin,
    c: newWidth / 2 - cos * cx + sin * cy,
    d: sin,
    e: cos,
    f: newHeight / 2 - sin * cx - cos * cy,
  };
}

export function scaling(factor: number): Affine {
  return { a: factor, b: 0, c: 0, d: 0, e: factor, f: 0 };
}

/**
 * The axis-aligned box, on an image `width`×`height`, that covers `box` after transform `t`
 * (its four corners mapped, clamped to the image, rounded to whole pixels).
 */
export function mapBox(t: Affine, box: Box, width: number, height: number): Box {
  const corners = [
    apply(t, box.x, box.y),
    apply(t, box.x + box.width, box.y),
    apply(t, box.x, box.y + box.height),
    apply(t, box.x + box.width, box.y + box.height),
  ];
  const xs = corners.map(([x]) => Math.min(width, Math.max(0, x)));
  const ys = corners.map(([, y]) => Math.min(height, Math.max(0, y)));
  const x = Math.round(Math.min(...xs));
  const y = Math.round(Math.min(...ys));
  return {
    x,
    y,
    width: Math.max(0, Math.round(Math.max(...xs)) - x),
    height: Math.max(0, Math.round(Math.max(...ys)) - y),
  };
}

import type { Box } from '../processing.types.js';
import {
  distanceToInterval,
  meanConfidence,
  median,
  onSameRow,
  overlap,
  overlapsHorizontally,
  roundConfidence,
  unionBox,
} from './geometry.js';
import { word } from './extract.testing.js';

const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });

describe('median', () => {
  it.each<[number[], number | undefined]>([
    [[], undefined],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('%j → %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('unionBox', () => {
  it.each<[Box[], Box | undefined]>([
    [[], undefined],
    [[box(1, 2, 3, 4)], box(1, 2, 3, 4)],
    [[box(10, 20, 30, 10), box(50, 15, 10, 10)], box(10, 15, 50, 15)],
  ])('%j → %j', (boxes, expected) => {
    expect(unionBox(boxes)).toEqual(expected);
  });
});

describe('meanConfidence and roundConfidence', () => {
  it.each<[number[], number]>([
    [[], 0],
    [[0.9], 0.9],
    // (0.9 + 0.8) / 2 is 0.8500000000000001 in floating point.
    [[0.9, 0.8], 0.85],
    [[0.9, 0.8, 0.7], 0.8],
    [[1, 0, 0], 0.3333],
  ])('%j → %d', (confidences, expected) => {
    expect(meanConfidence(confidences.map((c) => word('w', 0, 0, 10, c)))).toBe(expected);
  });

  it.each<[number, number]>([
    [0.9 * 0.9, 0.81],
    [0.123456, 0.1235],
    [1, 1],
  ])('roundConfidence(%d) → %d', (value, expected) => {
    expect(roundConfidence(value)).toBe(expected);
  });
});

describe('interval helpers', () => {
  it.each<[[number, number, number, number], number]>([
    [[0, 10, 5, 20], 5],
    [[0, 10, 10, 20], 0],
    [[0, 10, 20, 30], 0],
    [[0, 30, 10, 20], 10],
  ])('overlap%j → %d', (args, expected) => {
    expect(overlap(...args)).toBe(expected);
  });

  it.each<[number, number]>([
    [5, 5],
    [10, 0],
    [15, 0],
    [20, 0],
    [26, 6],
  ])('distanceToInterval(%d, 10, 20) → %d', (x, expected) => {
    expect(distanceToInterval(x, 10, 20)).toBe(expected);
  });

  it.each<[Box, Box, boolean]>([
    [box(0, 0, 10, 10), box(5, 50, 10, 10), true],
    [box(0, 0, 10, 10), box(10, 50, 10, 10), false],
  ])('overlapsHorizontally(%j, %j) → %s', (a, b, expected) => {
    expect(overlapsHorizontally(a, b)).toBe(expected);
  });

  it.each<[Box, Box, boolean]>([
    [box(0, 100, 10, 20), box(50, 105, 10, 20), true],
    [box(0, 100, 10, 20), box(50, 110, 10, 20), true],
    // Touching or barely overlapping rows are different rows.
    [box(0, 100, 10, 20), box(50, 115, 10, 20), false],
    [box(0, 100, 10, 20), box(50, 120, 10, 20), false],
  ])('onSameRow(%j, %j) → %s', (a, b, expected) => {
    expect(onSameRow(a, b)).toBe(expected);
  });
});

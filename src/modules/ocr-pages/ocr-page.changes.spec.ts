import type { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import type { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import {
  PROCESSING_OUTPUT_FIELDS,
  newPageFrom,
  patchWrite,
  replaceWrite,
  type PageFieldChange,
  type PageWrite,
} from './ocr-page.changes.js';
import { AnnotationType, ColorSpace, ImageFormat, PageStatus, PageType } from './ocr-page.enums.js';

const NOW = new Date('2024-05-06T07:08:09.000Z');
const JOB = '60f7b1b3e4b0e8b3f8b3f8b4';
const OLD_URL = 'https://files.example.com/pages/1.png';
const NEW_URL = 'https://files.example.com/pages/1-rescanned.png';

const IMAGE_PROPERTIES = {
  width: 640,
  height: 480,
  dpi: 72,
  colorSpace: ColorSpace.Rgb,
  format: ImageFormat.Png,
};

/**
 * What a URL change clears when the page is not queued: processing output, a running worker's
 * claim and retry schedule, and the queue entry.
 */
const URL_RESET_UNSET = Object.fromEntries(
  [
    ...PROCESSING_OUTPUT_FIELDS,
    'nextAttemptAt',
    'leaseOwner',
    'leaseExpiresAt',
    'leaseBeat',
    'leaseMs',
    'queuedAt',
  ].map((field) => [field, 1]),
);

/**
 * A change with its cleared fields as a set (`{ field: 1 }`) and empty parts left out, so that
 * the expectations below do not depend on the order fields are listed in.
 */
function view(change: PageFieldChange | undefined): { $set?: object; $unset?: object } {
  if (!change) {
    return {};
  }
  return {
    ...(Object.keys(change.set).length > 0 && { $set: change.set }),
    ...(change.unset.length > 0 && {
      $unset: Object.fromEntries(change.unset.map((field) => [field, 1])),
    }),
  };
}

function viewWrite(write: PageWrite | undefined) {
  return (
    write && {
      sameImage: view(write.sameImage),
      newImage: write.newImage && {
        pageUrl: write.newImage.pageUrl,
        change: view(write.newImage.change),
      },
    }
  );
}

function viewNewImage(newImage: PageWrite['newImage']) {
  return newImage && { pageUrl: newImage.pageUrl, change: view(newImage.change) };
}

describe('newPageFrom', () => {
  it('defaults pageType to content and leaves optional fields undefined', () => {
    expect(newPageFrom({ job: JOB, pageNumber: 3, pageUrl: OLD_URL }, NOW, false)).toStrictEqual({
      job: JOB,
      pageNumber: 3,
      pageUrl: OLD_URL,
      pageType: PageType.Content,
      imageProperties: undefined,
      annotations: undefined,
      metadata: undefined,
    });
  });

  it('keeps every writable field given', () => {
    const page = newPageFrom(
      {
        job: JOB,
        pageNumber: 2,
        pageUrl: OLD_URL,
        pageType: PageType.Summary,
        imageProperties: IMAGE_PROPERTIES,
        metadata: { a: { b: 1 } },
        annotations: [],
      },
      NOW,
      false,
    );
    expect(page.pageType).toBe(PageType.Summary);
    expect(page.imageProperties).toStrictEqual(IMAGE_PROPERTIES);
    expect(page.metadata).toStrictEqual({ a: { b: 1 } });
    expect(page.annotations).toStrictEqual([]);
  });

  it('dates annotations without createdAt at now and parses the given ones', () => {
    const page = newPageFrom(
      {
        job: JOB,
        pageNumber: 1,
        pageUrl: OLD_URL,
        annotations: [
          { type: AnnotationType.Note, text: 'check total' },
          {
            type: AnnotationType.Highlight,
            coordinates: { x: 1, y: 2, width: 3, height: 4 },
            createdBy: 'alice',
            createdAt: '2023-12-31T23:59:59Z',
          },
        ],
      },
      NOW,
      false,
    );
    expect(page.annotations).toStrictEqual([
      {
        type: AnnotationType.Note,
        text: 'check total',
        coordinates: undefined,
        createdBy: undefined,
        createdAt: NOW,
      },
      {
        type: AnnotationType.Highlight,
        text: undefined,
        coordinates: { x: 1, y: 2, width: 3, height: 4 },
        createdBy: 'alice',
        createdAt: new Date('2023-12-31T23:59:59Z'),
      },
    ]);
  });
});

describe('replaceWrite', () => {
  const required: CreateOcrPageDto = { job: JOB, pageNumber: 1, pageUrl: OLD_URL };
  const REQUIRED_SET = { job: JOB, pageNumber: 1, pageUrl: OLD_URL, pageType: PageType.Content };

  it('sets the required fields, defaults pageType and unsets omitted optional ones', () => {
    expect(view(replaceWrite(required, NOW, false).sameImage)).toStrictEqual({
      $set: REQUIRED_SET,
      $unset: { imageProperties: 1, annotations: 1, metadata: 1 },
    });
  });

  it('sets every optional field given and unsets nothing for the same image', () => {
    const write = replaceWrite(
      {
        ...required,
        pageNumber: 5,
        pageType: PageType.Footer,
        imageProperties: IMAGE_PROPERTIES,
        annotations: [{ type: AnnotationType.Flag }],
        metadata: {},
      },
      NOW,
      false,
    );
    expect(view(write.sameImage)).toStrictEqual({
      $set: {
        job: JOB,
        pageNumber: 5,
        pageUrl: OLD_URL,
        pageType: PageType.Footer,
        imageProperties: IMAGE_PROPERTIES,
        annotations: [
          {
            type: AnnotationType.Flag,
            text: undefined,
            coordinates: undefined,
            createdBy: undefined,
            createdAt: NOW,
          },
        ],
        metadata: {},
      },
    });
  });

  it('resets status, retries, processing output and imageProperties for a new image', () => {
    const write = replaceWrite({ ...required, pageUrl: NEW_URL, metadata: { a: 1 } }, NOW, false);
    expect(viewNewImage(write.newImage)).toStrictEqual({
      pageUrl: NEW_URL,
      change: {
        $set: {
          job: JOB,
          pageNumber: 1,
          pageUrl: NEW_URL,
          pageType: PageType.Content,
          metadata: { a: 1 },
          status: PageStatus.Pending,
          retryCount: 0,
        },
        $unset: { ...URL_RESET_UNSET, imageProperties: 1, annotations: 1 },
      },
    });
  });

  it('keeps the imageProperties sent with a new image', () => {
    const write = replaceWrite({ ...required, imageProperties: IMAGE_PROPERTIES }, NOW, false);
    expect(view(write.newImage?.change)).toStrictEqual({
      $set: {
        ...REQUIRED_SET,
        imageProperties: IMAGE_PROPERTIES,
        status: PageStatus.Pending,
        retryCount: 0,
      },
      $unset: { ...URL_RESET_UNSET, annotations: 1, metadata: 1 },
    });
  });

  it('leaves status and processing output alone in the same-image form', () => {
    const { sameImage } = replaceWrite(required, NOW, false);
    expect(view(sameImage).$set).not.toHaveProperty('status');
    expect(view(sameImage).$set).not.toHaveProperty('retryCount');
    for (const field of PROCESSING_OUTPUT_FIELDS) {
      expect(view(sameImage).$unset).not.toHaveProperty(field);
    }
  });

  it('never sets and unsets the same field', () => {
    for (const dto of [required, { ...required, imageProperties: IMAGE_PROPERTIES }]) {
      const write = replaceWrite(dto, NOW, false);
      for (const change of [write.sameImage, write.newImage!.change]) {
        const unset = Object.keys(view(change).$unset ?? {});
        expect(
          Object.keys(view(change).$set ?? {}).filter((key) => unset.includes(key)),
        ).toStrictEqual([]);
      }
    }
  });
});

describe('patchWrite', () => {
  it('returns undefined when nothing is sent', () => {
    expect(patchWrite({}, NOW, false)).toBeUndefined();
  });

  it('returns undefined when every sent field is undefined', () => {
    const dto: UpdateOcrPageDto = { job: undefined, metadata: undefined };
    expect(patchWrite(dto, NOW, false)).toBeUndefined();
  });

  it('sets only the fields sent, with no new-image form without pageUrl', () => {
    expect(viewWrite(patchWrite({ pageNumber: 7 }, NOW, false))).toStrictEqual({
      sameImage: { $set: { pageNumber: 7 } },
      newImage: undefined,
    });
    expect(
      viewWrite(
        patchWrite(
          {
            job: JOB,
            pageType: PageType.Header,
            metadata: { k: 'v' },
            imageProperties: { dpi: 1 },
          },
          NOW,
          false,
        ),
      ),
    ).toStrictEqual({
      sameImage: {
        $set: {
          job: JOB,
          pageType: PageType.Header,
          metadata: { k: 'v' },
          imageProperties: { dpi: 1 },
        },
      },
      newImage: undefined,
    });
  });

  it('replaces annotations whole, dating new ones at now', () => {
    expect(
      view(
        patchWrite({ annotations: [{ type: AnnotationType.Redaction, text: 'x' }] }, NOW, false)
          ?.sameImage,
      ),
    ).toStrictEqual({
      $set: {
        annotations: [
          {
            type: AnnotationType.Redaction,
            text: 'x',
            coordinates: undefined,
            createdBy: undefined,
            createdAt: NOW,
          },
        ],
      },
    });
  });

  it('only sets pageUrl when the stored URL is the one sent', () => {
    expect(view(patchWrite({ pageUrl: NEW_URL }, NOW, false)?.sameImage)).toStrictEqual({
      $set: { pageUrl: NEW_URL },
    });
  });

  it('resets processing output and imageProperties when the stored URL differs', () => {
    expect(viewNewImage(patchWrite({ pageUrl: NEW_URL }, NOW, false)?.newImage)).toStrictEqual({
      pageUrl: NEW_URL,
      change: {
        $set: { pageUrl: NEW_URL, status: PageStatus.Pending, retryCount: 0 },
        $unset: { ...URL_RESET_UNSET, imageProperties: 1 },
      },
    });
  });

  it('keeps the imageProperties sent with a new URL', () => {
    expect(
      viewNewImage(
        patchWrite({ pageUrl: NEW_URL, imageProperties: IMAGE_PROPERTIES }, NOW, false)?.newImage,
      ),
    ).toStrictEqual({
      pageUrl: NEW_URL,
      change: {
        $set: {
          pageUrl: NEW_URL,
          imageProperties: IMAGE_PROPERTIES,
          status: PageStatus.Pending,
          retryCount: 0,
        },
        $unset: URL_RESET_UNSET,
      },
    });
  });
});

describe('queueing for processing', () => {
  it('stamps a new page with queuedAt when queueing is on', () => {
    expect(newPageFrom({ job: JOB, pageNumber: 1, pageUrl: OLD_URL }, NOW, true).queuedAt).toBe(
      NOW,
    );
    expect(
      newPageFrom({ job: JOB, pageNumber: 1, pageUrl: OLD_URL }, NOW, false),
    ).not.toHaveProperty('queuedAt');
  });

  it('queues a new image again, dropping the old claim and retry schedule', () => {
    const write = patchWrite({ pageUrl: NEW_URL }, NOW, true);
    expect(view(write?.newImage?.change).$set).toMatchObject({
      status: PageStatus.Pending,
      queuedAt: NOW,
    });
    expect(view(write?.newImage?.change).$unset).toMatchObject({
      leaseOwner: 1,
      leaseExpiresAt: 1,
      nextAttemptAt: 1,
    });
    expect(view(write?.newImage?.change).$unset).not.toHaveProperty('queuedAt');
  });
});

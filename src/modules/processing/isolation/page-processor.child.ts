/**
 * A page-processor child process (started by PageProcessorPool with `fork`): decodes, analyses,
 * preprocesses, OCRs and extracts the pages its parent sends, one at a time. Everything that
 * touches untrusted bytes runs here, so that a hostile file can at worst exhaust this process's
 * heap (`--max-old-space-size`) or time (the parent kills it), never stall the API.
 */
import sharp from 'sharp';
import { UnsupportedImageError } from '../decode/unsupported-image.error.js';
import { PagePipeline } from '../pipeline/page-pipeline.js';
import { createOcrEngine } from '../recognize/create-ocr-engine.js';
import type {
  PageProcessorMessage,
  PageProcessorSettings,
  ProcessPageMessage,
} from './page-processor.protocol.js';

/**
 * Reports to the parent, if it is still listening: a parent that closed the channel (shutting
 * down, or done with this child) is not an error here; the 'disconnect' handler ends the child.
 */
function send(message: PageProcessorMessage): void {
  if (process.connected) {
    process.send?.(message, undefined, undefined, () => undefined);
  }
}

/** How long a child whose parent is gone waits for its OCR engine to close before it exits. */
const ORPHAN_EXIT_MS = 2_000;

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as PageProcessorSettings;
  // Every page is new: libvips' operation cache would only hold on to decoded images.
  sharp.cache(false);
  // sharp defaults to one libvips thread on glibc; a child alone on several cores may use them.
  sharp.concurrency(settings.imageThreads ?? 1);
  const engine = createOcrEngine(settings.ocr);
  const pipeline = new PagePipeline(
    engine,
    { maxPages: settings.maxDocumentPages },
    settings.ocr.languages,
  );
  // The parent gone (it closed the channel, or died): nothing left to work for. The engine gets
  // a moment to close its workers, but a close that hangs never keeps an orphan alive.
  process.on('disconnect', () => {
    setTimeout(() => process.exit(0), ORPHAN_EXIT_MS).unref();
    void engine.close().finally(() => process.exit(0));
  });
  // A parent that went while this script's modules were loading was told to nobody.
  if (!process.connected) {
    process.exit(0);
  }
  try {
    // The first real page finds the model loaded and the extraction compiled.
    await pipeline.warmUp();
  } catch (error) {
    send({ type: 'start-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  process.on('message', (message: ProcessPageMessage) => {
    if (message.type !== 'process') {
      return;
    }
    const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.length);
    pipeline.process(bytes, message.page, message.language).then(
      (result) => send({ type: 'result', result }),
      (error: unknown) =>
        send({
          type: 'failed',
          unreadable: error instanceof UnsupportedImageError,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  send({ type: 'ready' });
}

void main();

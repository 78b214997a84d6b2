/** The fetched bytes are not a page image the pipeline can read (a permanent failure). */
export class UnsupportedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedImageError';
  }
}

import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { pageFromHocr } from './hocr.js';

/** Tesseract 5's hOCR, as `tesseract stdin stdout hocr` writes it (trimmed to two blocks). */
const HOCR = `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <body>
  <div class='ocr_page' id='page_1' title='image "stdin"; bbox 0 0 1200 500; ppageno 0; scan_res 300 300'>
   <div class='ocr_carea' id='block_1_1' title="bbox 54 44 412 81">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 54 44 412 81">
     <span class='ocr_header' id='line_1_1' title="bbox 54 44 412 81; baseline 0.003 -1; x_size 48">
      <span class='ocrx_word' id='word_1_1' title='bbox 54 44 268 81; x_wconf 93'>INVOICE</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 291 44 327 81; x_wconf 90'>&amp;</span>
     </span>
    </p>
   </div>
   <div class='ocr_photo' id='block_1_2' title="bbox 600 10 700 90"></div>
   <div class='ocr_carea' id='block_1_3' title="bbox 52 179 674 266">
    <p class='ocr_par' id='par_1_2' lang='eng' title="bbox 52 179 674 203">
     <span class='ocr_line' id='line_1_2' title="bbox 53 179 674 203; baseline 0 -3; x_size 26">
      <span class='ocrx_word' id='word_1_3' title='bbox 53 179 149 200; x_wconf 95'>Total</span>
      <span class='ocrx_word' id='word_1_4' title='bbox 554 179 674 203; x_wconf 80'><strong>1,234.56</strong></span>
     </span>
    </p>
    <p class='ocr_par' id='par_1_3' lang='eng' title="bbox 52 239 513 266">
     <span class='ocr_line' id='line_1_3' title="bbox 52 239 513 266; baseline 0 -6; x_size 27">
      <span class='ocrx_word' id='word_1_5' title='bbox 52 239 151 260; x_wconf 100'>&lt;it&#39;s&gt;</span>
      <span class='ocrx_word' id='word_1_6' title='bbox 160 239 170 260; x_wconf 12'> </span>
     </span>
    </p>
   </div>
  </div>
 </body>
</html>`;

describe('pageFromHocr', () => {
  it('maps blocks, paragraphs, lines and words with boxes, confidences and entities', () => {
    const page = pageFromHocr(HOCR);
    expect(page.blocks).toHaveLength(2);
    expect(page.blocks[0]).toEqual({
      text: 'INVOICE &',
      confidence: expect.closeTo(0.915, 10),
      box: { x: 54, y: 44, width: 358, height: 37 },
      blockType: BlockType.Title,
      lines: [
        {
          text: 'INVOICE &',
          confidence: expect.closeTo(0.915, 10),
          box: { x: 54, y: 44, width: 358, height: 37 },
          words: [
            { text: 'INVOICE', confidence: 0.93, box: { x: 54, y: 44, width: 214, height: 37 } },
            { text: '&', confidence: 0.9, box: { x: 291, y: 44, width: 36, height: 37 } },
          ],
        },
      ],
    });
    const [, body] = page.blocks;
    expect(body.blockType).toBe(BlockType.Text);
    expect(body.lines.map((line) => line.text)).toEqual(['Total 1,234.56', "<it's>"]);
    expect(body.text).toBe("Total 1,234.56\n\n<it's>");
    expect(body.lines[0].words[1]).toEqual({
      text: '1,234.56',
      confidence: 0.8,
      box: { x: 554, y: 179, width: 120, height: 24 },
    });
    expect(page.text).toBe("INVOICE &\n\nTotal 1,234.56\n\n<it's>");
    expect(page.confidence).toBeCloseTo((0.93 + 0.9 + 0.95 + 0.8 + 1) / 5, 10);
  });

  it('gives an empty page for hOCR without words', () => {
    expect(pageFromHocr("<div class='ocr_page' title='bbox 0 0 10 10'></div>")).toEqual({
      text: '',
      confidence: 0,
      blocks: [],
    });
  });
});

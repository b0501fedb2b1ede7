// Tiny real knowledge files for tests, written from scratch: a one-page PDF with a text object,
// the same PDF under a password (an /Encrypt dictionary whose keys no empty password opens),
// a Word document (a stored zip with the three parts Word needs), and a deterministic embedding.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

function pdfString(text: string): string {
  return text.replace(/[\\()]/gu, (character) => `\\${character}`);
}

function buildPdf(lines: readonly string[], encrypted: boolean): Buffer {
  const content = ['BT /F1 12 Tf 14 TL 10 80 Td', ...lines.map((line) => `(${pdfString(line)}) Tj T*`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const passwordCheck = `<${'5a'.repeat(32)}>`;
  if (encrypted) objects.push(`<< /Filter /Standard /V 1 /R 2 /O ${passwordCheck} /U ${passwordCheck} /P -4 >>`);
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const crossReference = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  const encryption = encrypted ? ` /Encrypt 6 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]` : '';
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encryption} >>\nstartxref\n${crossReference}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

export function minimalPdf(lines: readonly string[]): Buffer {
  return buildPdf(lines, false);
}

export function encryptedPdf(lines: readonly string[]): Buffer {
  return buildPdf(lines, true);
}

/** A zip whose entries are stored (not compressed): enough for a .docx reader. */
export function storedZip(entries: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const checksum = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

export function minimalDocx(paragraphs: readonly string[]): Buffer {
  const escape = (text: string): string => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;');
  return storedZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs
      .map((paragraph) => `<w:p><w:r><w:t>${escape(paragraph)}</w:t></w:r></w:p>`)
      .join('')}</w:body></w:document>`,
  });
}

/**
 * A deterministic stand-in for an embeddings model: each word adds to a few dimensions chosen by
 * its hash, so texts sharing words point the same way (enough to test fusion, not semantics).
 */
export function hashingEmbed(dimension = 64, synonyms: Readonly<Record<string, string>> = {}): (texts: readonly string[]) => Promise<number[][]> {
  return async (texts) =>
    texts.map((text) => {
      const vector = new Array<number>(dimension).fill(0);
      for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        const word = synonyms[raw] ?? raw;
        const digest = createHash('sha256').update(word).digest();
        for (let index = 0; index < 3; index += 1) vector[(digest[index] ?? 0) % dimension] = (vector[(digest[index] ?? 0) % dimension] ?? 0) + 1;
      }
      const length = Math.hypot(...vector) || 1;
      return vector.map((value) => value / length);
    });
}

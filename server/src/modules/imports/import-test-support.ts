/** Tests' multipart/form-data body with one file part named "file", built by hand. */
const BOUNDARY = '----shaar-import-test';

export function multipartFile(content: string | Buffer, fileName = 'journal.csv', contentType = 'text/csv') {
  const payload = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
}

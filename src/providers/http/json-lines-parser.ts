// Incremental parser for newline-delimited JSON (the streaming format of Ollama's native API):
// fed decoded text as it arrives, it yields one parsed value per complete non-empty line.

export class JsonLinesParser {
  private pendingLine = '';

  /**
   * Parses `text` and appends each value it completes to `values` (owned and reused by the
   * caller). A line that is not JSON stops the parse: its SyntaxError is returned, and the
   * values of the lines before it are already in `values`.
   */
  feed(text: string, values: unknown[]): SyntaxError | undefined {
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      let line = text.slice(start, end);
      if (this.pendingLine !== '') {
        line = this.pendingLine + line;
        this.pendingLine = '';
      }
      const error = this.parseLine(line, values);
      if (error !== undefined) return error;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    if (start < text.length) this.pendingLine += text.slice(start);
    return undefined;
  }

  /** Ends the stream, parsing a last line that lacked its newline. */
  finish(values: unknown[]): SyntaxError | undefined {
    const line = this.pendingLine;
    this.pendingLine = '';
    return this.parseLine(line, values);
  }

  private parseLine(line: string, values: unknown[]): SyntaxError | undefined {
    // Tolerate CRLF line ends and blank keep-alive lines.
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') return undefined;
    try {
      values.push(JSON.parse(text));
      return undefined;
    } catch (error) {
      return new SyntaxError(`not a JSON line: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`, { cause: error });
    }
  }
}

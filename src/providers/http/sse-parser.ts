// Incremental parser for Server-Sent Events (the WHATWG event-stream format): fed decoded text
// as it arrives, it emits complete events. Chunk boundaries may fall anywhere, including
// between the `\r` and `\n` of one line break.

export interface SseEvent {
  readonly event?: string;
  readonly data: string;
  readonly id?: string;
}

export class SseParser {
  /** The unterminated tail of the last chunk: the start of a line not yet complete. */
  private pendingLine = '';
  private data = '';
  private hasData = false;
  private eventType: string | undefined = undefined;
  private lastEventId: string | undefined = undefined;
  /** A chunk ended with `\r`: a `\n` opening the next chunk belongs to the same line break. */
  private skipLeadingLineFeed = false;
  private atStreamStart = true;

  /**
   * Parses `text` and appends every event it completes to `events`. The caller owns the array
   * and may reuse it between calls, so a chunk costs no allocation beyond the events themselves.
   */
  feed(text: string, events: SseEvent[]): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.atStreamStart) {
      this.atStreamStart = false;
      // A byte order mark may open the stream; decoders usually strip it, strings may not.
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.skipLeadingLineFeed) {
      this.skipLeadingLineFeed = false;
      if (text.charCodeAt(start) === 0x0a) start += 1;
    }
    let lineFeedAt = text.indexOf('\n', start);
    let carriageReturnAt = text.indexOf('\r', start);
    while (true) {
      if (lineFeedAt !== -1 && lineFeedAt < start) lineFeedAt = text.indexOf('\n', start);
      if (carriageReturnAt !== -1 && carriageReturnAt < start) carriageReturnAt = text.indexOf('\r', start);
      let end: number;
      if (lineFeedAt === -1) end = carriageReturnAt;
      else if (carriageReturnAt === -1) end = lineFeedAt;
      else end = lineFeedAt < carriageReturnAt ? lineFeedAt : carriageReturnAt;
      if (end === -1) break;

      let line = text.slice(start, end);
      if (this.pendingLine !== '') {
        line = this.pendingLine + line;
        this.pendingLine = '';
      }
      start = end + 1;
      if (end === carriageReturnAt) {
        if (start === text.length) this.skipLeadingLineFeed = true;
        else if (text.charCodeAt(start) === 0x0a) start += 1;
      }
      this.processLine(line, events);
    }
    if (start < text.length) this.pendingLine += text.slice(start);
  }

  /**
   * Ends the stream. An event whose lines were all complete but which lacked the closing blank
   * line is still delivered (servers that close right after `data: [DONE]\n` are common).
   * Returns true when the stream stopped inside a line, the mark of a truncated stream.
   */
  finish(events: SseEvent[]): boolean {
    const truncated = this.pendingLine !== '';
    this.pendingLine = '';
    if (!truncated && this.hasData) this.dispatch(events);
    this.resetEvent();
    return truncated;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      if (this.hasData) this.dispatch(events);
      this.resetEvent();
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return; // ":" opens a comment (keep-alive pings)
    const colonAt = line.indexOf(':');
    let field: string;
    let value: string;
    if (colonAt === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colonAt);
      const valueStart = line.charCodeAt(colonAt + 1) === 0x20 ? colonAt + 2 : colonAt + 1;
      value = line.slice(valueStart);
    }
    switch (field) {
      case 'data':
        if (this.hasData) this.data += '\n' + value;
        else {
          this.data = value;
          this.hasData = true;
        }
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        // `retry` and unknown fields carry nothing an upstream client needs.
        break;
    }
  }

  private dispatch(events: SseEvent[]): void {
    const eventType = this.eventType;
    const id = this.lastEventId;
    if (eventType === undefined || eventType === '') {
      events.push(id === undefined ? { data: this.data } : { data: this.data, id });
    } else {
      events.push(id === undefined ? { event: eventType, data: this.data } : { event: eventType, data: this.data, id });
    }
  }

  private resetEvent(): void {
    this.data = '';
    this.hasData = false;
    this.eventType = undefined;
  }
}

package dev.foyer.directory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines ({@code \n}, or {@code \r\n}) without ever holding more than one line of at most
 * {@code maxBytes}: the rest of a longer line is read and dropped, and the line is reported as too long. A UTF-8 byte
 * order mark at the start is dropped too (spreadsheet tools write one).
 */
final class LineReader {

	private final InputStream in;

	private final int maxBytes;

	private final byte[] buffer = new byte[64 * 1024];

	private int position;

	private int limit;

	private byte[] line = new byte[1024];

	private boolean started;

	LineReader(InputStream in, int maxBytes) {
		this.in = in;
		this.maxBytes = maxBytes;
	}

	/** A line's bytes (valid until the next call), or {@code tooLong} with none of them. */
	record Line(byte[] bytes, int length, boolean tooLong) {

		boolean isBlank() {
			if (this.tooLong) {
				return false;
			}
			for (int i = 0; i < this.length; i++) {
				byte b = this.bytes[i];
				if (b != ' ' && b != '\t' && b != '\r') {
					return false;
				}
			}
			return true;
		}

	}

	/** The next line, or null at the end of the stream. */
	Line next() throws IOException {
		int length = 0;
		boolean tooLong = false;
		boolean any = false;
		while (true) {
			if (this.position == this.limit) {
				this.limit = this.in.read(this.buffer);
				this.position = 0;
				if (this.limit <= 0) {
					this.limit = 0;
					return any ? finish(length, tooLong) : null;
				}
				if (!this.started) {
					this.started = true;
					if (this.limit >= 3 && (this.buffer[0] & 0xFF) == 0xEF && (this.buffer[1] & 0xFF) == 0xBB
							&& (this.buffer[2] & 0xFF) == 0xBF) {
						this.position = 3;
					}
				}
			}
			any = true;
			int start = this.position;
			int end = start;
			while (end < this.limit && this.buffer[end] != '\n') {
				end++;
			}
			int chunk = end - start;
			if (!tooLong) {
				if (length + chunk > this.maxBytes) {
					tooLong = true;
				}
				else {
					if (length + chunk > this.line.length) {
						this.line = java.util.Arrays.copyOf(this.line, Math.min(this.maxBytes, Math.max(length + chunk, this.line.length * 2)));
					}
					System.arraycopy(this.buffer, start, this.line, length, chunk);
					length += chunk;
				}
			}
			if (end < this.limit) {
				this.position = end + 1;
				return finish(length, tooLong);
			}
			this.position = this.limit;
		}
	}

	private Line finish(int length, boolean tooLong) {
		if (tooLong) {
			return new Line(null, 0, true);
		}
		int end = length > 0 && this.line[length - 1] == '\r' ? length - 1 : length;
		return new Line(this.line, end, false);
	}

}

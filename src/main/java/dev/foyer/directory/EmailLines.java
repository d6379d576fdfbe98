package dev.foyer.directory;

/**
 * The line on which each address of an import was imported, in 16 to 32 bytes per address: a 64-bit digest of the
 * normalised address and the line number, in open-addressed arrays at most half full. A million-line import so costs
 * at most 32 MiB, where a map of strings would cost four times that. Two addresses sharing a digest (about one chance in 10^7 at a million
 * lines) would make an old account count as a repeat within the file; either way the line writes nothing.
 */
final class EmailLines {

	private long[] keys = new long[1024];

	private long[] lines = new long[1024];

	private int size;

	void put(String emailNormalized, long line) {
		if ((this.size + 1) * 2 > this.keys.length) {
			grow();
		}
		insert(digest(emailNormalized), line);
	}

	/** The line, or 0 if this request has not imported the address. */
	long lineOf(String emailNormalized) {
		long key = digest(emailNormalized);
		int mask = this.keys.length - 1;
		for (int i = (int) (key ^ (key >>> 32)) & mask;; i = (i + 1) & mask) {
			if (this.keys[i] == 0) {
				return 0;
			}
			if (this.keys[i] == key) {
				return this.lines[i];
			}
		}
	}

	private void insert(long key, long line) {
		int mask = this.keys.length - 1;
		for (int i = (int) (key ^ (key >>> 32)) & mask;; i = (i + 1) & mask) {
			if (this.keys[i] == 0 || this.keys[i] == key) {
				if (this.keys[i] == 0) {
					this.size++;
				}
				this.keys[i] = key;
				this.lines[i] = line;
				return;
			}
		}
	}

	private void grow() {
		long[] oldKeys = this.keys;
		long[] oldLines = this.lines;
		this.keys = new long[oldKeys.length * 2];
		this.lines = new long[oldLines.length * 2];
		this.size = 0;
		for (int i = 0; i < oldKeys.length; i++) {
			if (oldKeys[i] != 0) {
				insert(oldKeys[i], oldLines[i]);
			}
		}
	}

	/** FNV-1a over the UTF-16 units, then a final mix; 0 is kept for empty slots. */
	static long digest(String text) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < text.length(); i++) {
			h ^= text.charAt(i);
			h *= 0x100000001b3L;
		}
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		return h == 0 ? 1 : h;
	}

}

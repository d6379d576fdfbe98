package dev.foyer.directory;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2 (RFC 9106; types d, i and id; versions 0x10 and 0x13) over one flat, reused memory array.
 * <p>
 * Why not Bouncy Castle's generator, which Spring's encoder uses: it allocates every 1 KiB block as two objects
 * on each hash (19 MiB, ~39,000 objects at Foyer's parameters). In a server JVM with a bounded heap those blocks
 * outlive young collections, get copied and promoted, and a hash then cost 1.5–2× the CPU it costs in a quiet
 * JVM, varying with heap sizing (docs/benchmarks.md). Here the memory of finished hashes goes back to a small pool,
 * so a steady stream of sign-ins allocates next to nothing. Tests check the result against RFC 9106's test vector
 * and against Bouncy Castle for Foyer's parameters.
 * <p>
 * The compression G runs on 256-bit vectors ({@link VectorCompression}) where the JVM has the
 * {@code jdk.incubator.vector} module (FOYER_ARGON2_VECTORS=on adds it) and the CPU such vectors; otherwise on the
 * scalar code here. Both give the same bits.
 */
final class Argon2 {

	static final int TYPE_D = 0;

	static final int TYPE_I = 1;

	static final int TYPE_ID = 2;

	static final int VERSION_10 = 0x10;

	static final int VERSION_13 = 0x13;

	private static final int BLOCK_LONGS = 128;

	private static final int SYNC_POINTS = 4;

	/** Memory arrays of finished hashes, kept for the next ones: at most one per CPU. */
	private static final ConcurrentLinkedQueue<long[]> POOL = new ConcurrentLinkedQueue<>();

	private static final int POOL_LIMIT = Runtime.getRuntime().availableProcessors();

	/**
	 * The largest memory array kept for reuse: 32 MiB, above Foyer's own 19 MiB. An imported hash may ask for up to
	 * 128 MiB once, at its first sign-in; keeping that array would hold the heap for good.
	 */
	private static final int POOL_MAX_LONGS = 32 * 1024 * 1024 / Long.BYTES;

	/** How the compression G is computed; both give the same result. */
	enum Compression {

		SCALAR("scalar code"), VECTOR("256-bit vectors");

		/**
		 * VECTOR where the module and the CPU allow it, on JDK 25 and later: measured there, and a JDK whose compiler
		 * does not turn one of its operations into instructions would run it many times slower than the scalar code.
		 */
		static final Compression AVAILABLE = available();

		private final String description;

		Compression(String description) {
			this.description = description;
		}

		String description() {
			return this.description;
		}

		private static Compression available() {
			if (Runtime.version().feature() < 25 || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
				return SCALAR;
			}
			try {
				return VectorCompression.suitable() ? VECTOR : SCALAR;
			}
			catch (LinkageError ex) {
				return SCALAR;
			}
		}

	}

	private Argon2() {
	}

	/** The raw tag of {@code tagLength} bytes. */
	static byte[] hash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] password,
			byte[] salt, int tagLength) {
		return hash(type, version, memoryKib, iterations, parallelism, password, salt, new byte[0], new byte[0],
				tagLength, Compression.AVAILABLE);
	}

	/**
	 * With RFC 9106's optional secret and associated data, which Foyer does not use (its test vectors do), and a
	 * chosen compression (tests run both).
	 */
	static byte[] hash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] password,
			byte[] salt, byte[] secret, byte[] associatedData, int tagLength, Compression compression) {
		if (parallelism < 1 || iterations < 1 || tagLength < 4 || memoryKib < 8 * parallelism || salt.length < 8) {
			throw new IllegalArgumentException("Argon2 parameters out of range");
		}
		int blocks = Math.max(memoryKib, 8 * parallelism) / (SYNC_POINTS * parallelism) * (SYNC_POINTS * parallelism);
		long[] memory = take(blocks * BLOCK_LONGS);
		try {
			return new Run(type, version, blocks, iterations, parallelism, memory, compression).compute(password, salt,
					secret, associatedData, tagLength, memoryKib);
		}
		finally {
			give(memory);
		}
	}

	private static long[] take(int longs) {
		long[] pooled = POOL.poll();
		if (pooled != null && pooled.length >= longs) {
			return pooled;
		}
		if (pooled != null) {
			give(pooled);
		}
		return new long[longs];
	}

	private static void give(long[] memory) {
		// The pool is bounded by CPUs, not by callers: PasswordHashing lets at most one hash per CPU run anyway.
		if (memory.length <= POOL_MAX_LONGS && POOL.size() < POOL_LIMIT) {
			POOL.offer(memory);
		}
	}

	/** One computation: the memory holds {@code blocks} blocks of 128 longs, in lanes of {@code laneLength}. */
	private static final class Run {

		private final int type;

		private final int version;

		private final int blocks;

		private final int iterations;

		private final int lanes;

		private final int laneLength;

		private final int segmentLength;

		private final long[] memory;

		private final boolean vector;

		private final long[] r = new long[BLOCK_LONGS];

		private final long[] s = new long[BLOCK_LONGS];

		private final long[] t = new long[BLOCK_LONGS];

		private final long[] zero = new long[BLOCK_LONGS];

		private final long[] input = new long[BLOCK_LONGS];

		private final long[] address = new long[BLOCK_LONGS];

		Run(int type, int version, int blocks, int iterations, int lanes, long[] memory, Compression compression) {
			this.type = type;
			this.version = version;
			this.blocks = blocks;
			this.iterations = iterations;
			this.lanes = lanes;
			this.laneLength = blocks / lanes;
			this.segmentLength = this.laneLength / SYNC_POINTS;
			this.memory = memory;
			this.vector = compression == Compression.VECTOR;
		}

		byte[] compute(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int tagLength, int memoryKib) {
			Blake2bDigest digest = new Blake2bDigest(512);
			int[] header = { this.lanes, tagLength, memoryKib, this.iterations, this.version, this.type };
			for (int value : header) {
				update(digest, value);
			}
			update(digest, password.length);
			digest.update(password, 0, password.length);
			update(digest, salt.length);
			digest.update(salt, 0, salt.length);
			update(digest, secret.length);
			digest.update(secret, 0, secret.length);
			update(digest, associatedData.length);
			digest.update(associatedData, 0, associatedData.length);
			byte[] h0 = new byte[72];
			digest.doFinal(h0, 0);

			byte[] block = new byte[1024];
			for (int lane = 0; lane < this.lanes; lane++) {
				for (int first = 0; first < 2; first++) {
					writeInt(h0, 64, first);
					writeInt(h0, 68, lane);
					variableHash(h0, block);
					load(block, this.memory, (lane * this.laneLength + first) * BLOCK_LONGS);
				}
			}
			for (int pass = 0; pass < this.iterations; pass++) {
				for (int slice = 0; slice < SYNC_POINTS; slice++) {
					for (int lane = 0; lane < this.lanes; lane++) {
						fillSegment(pass, slice, lane);
					}
				}
			}
			long[] last = new long[BLOCK_LONGS];
			for (int lane = 0; lane < this.lanes; lane++) {
				int offset = (lane * this.laneLength + this.laneLength - 1) * BLOCK_LONGS;
				for (int i = 0; i < BLOCK_LONGS; i++) {
					last[i] ^= this.memory[offset + i];
				}
			}
			for (int i = 0; i < BLOCK_LONGS; i++) {
				for (int b = 0; b < 8; b++) {
					block[i * 8 + b] = (byte) (last[i] >>> (8 * b));
				}
			}
			byte[] tag = new byte[tagLength];
			variableHash(block, tag);
			// The memory goes back to the pool as it is: the next hash overwrites every block in its first pass.
			return tag;
		}

		private void fillSegment(int pass, int slice, int lane) {
			boolean independent = this.type == TYPE_I || (this.type == TYPE_ID && pass == 0 && slice < SYNC_POINTS / 2);
			if (independent) {
				java.util.Arrays.fill(this.input, 0L);
				this.input[0] = pass;
				this.input[1] = lane;
				this.input[2] = slice;
				this.input[3] = this.blocks;
				this.input[4] = this.iterations;
				this.input[5] = this.type;
			}
			int start = 0;
			if (pass == 0 && slice == 0) {
				start = 2;
				if (independent) {
					nextAddresses();
				}
			}
			int current = lane * this.laneLength + slice * this.segmentLength + start;
			int previous = (current % this.laneLength == 0) ? current + this.laneLength - 1 : current - 1;
			for (int index = start; index < this.segmentLength; index++, current++, previous++) {
				if (current % this.laneLength == 1) {
					previous = current - 1;
				}
				long pseudoRandom;
				if (independent) {
					if (index % BLOCK_LONGS == 0) {
						nextAddresses();
					}
					pseudoRandom = this.address[index % BLOCK_LONGS];
				}
				else {
					pseudoRandom = this.memory[previous * BLOCK_LONGS];
				}
				int referenceLane = (int) ((pseudoRandom >>> 32) % this.lanes);
				if (pass == 0 && slice == 0) {
					referenceLane = lane;
				}
				int referenceIndex = referenceIndex(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, referenceLane == lane);
				int reference = referenceLane * this.laneLength + referenceIndex;
				boolean xorInto = this.version != VERSION_10 && pass > 0;
				fillBlock(this.memory, previous * BLOCK_LONGS, this.memory, reference * BLOCK_LONGS, this.memory,
						current * BLOCK_LONGS, xorInto);
			}
		}

		private int referenceIndex(int pass, int slice, int index, long pseudoRandom, boolean sameLane) {
			long area;
			if (pass == 0) {
				if (slice == 0) {
					area = index - 1;
				}
				else if (sameLane) {
					area = (long) slice * this.segmentLength + index - 1;
				}
				else {
					area = (long) slice * this.segmentLength + (index == 0 ? -1 : 0);
				}
			}
			else if (sameLane) {
				area = this.laneLength - this.segmentLength + index - 1;
			}
			else {
				area = this.laneLength - this.segmentLength + (index == 0 ? -1 : 0);
			}
			long relative = (pseudoRandom * pseudoRandom) >>> 32;
			relative = area - 1 - ((area * relative) >>> 32);
			long startPosition = (pass != 0 && slice != SYNC_POINTS - 1) ? (long) (slice + 1) * this.segmentLength : 0;
			return (int) ((startPosition + relative) % this.laneLength);
		}

		private void nextAddresses() {
			this.input[6]++;
			fillBlock(this.zero, 0, this.input, 0, this.address, 0, false);
			fillBlock(this.zero, 0, this.address, 0, this.address, 0, false);
		}

		/** The compression G: next = G(prev, ref), or next ^= G(prev, ref) when xorInto (version 0x13, later passes). */
		private void fillBlock(long[] prevArray, int prev, long[] refArray, int ref, long[] nextArray, int next,
				boolean xorInto) {
			if (this.vector) {
				VectorCompression.fillBlock(prevArray, prev, refArray, ref, nextArray, next, xorInto, this.r, this.t,
						this.s);
				return;
			}
			long[] r = this.r;
			long[] t = this.t;
			for (int i = 0; i < BLOCK_LONGS; i++) {
				long v = prevArray[prev + i] ^ refArray[ref + i];
				r[i] = v;
				t[i] = xorInto ? v ^ nextArray[next + i] : v;
			}
			for (int row = 0; row < 8; row++) {
				int b = row * 16;
				permute(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
						b + 14, b + 15);
			}
			for (int column = 0; column < 8; column++) {
				int b = column * 2;
				permute(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
						b + 97, b + 112, b + 113);
			}
			for (int i = 0; i < BLOCK_LONGS; i++) {
				nextArray[next + i] = t[i] ^ r[i];
			}
		}

	}

	/** Blake2b's round on 16 words, with Argon2's multiplication (the BlaMka "P" permutation). */
	private static void permute(long[] v, int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7, int i8,
			int i9, int i10, int i11, int i12, int i13, int i14, int i15) {
		long v0 = v[i0], v1 = v[i1], v2 = v[i2], v3 = v[i3], v4 = v[i4], v5 = v[i5], v6 = v[i6], v7 = v[i7];
		long v8 = v[i8], v9 = v[i9], v10 = v[i10], v11 = v[i11], v12 = v[i12], v13 = v[i13], v14 = v[i14], v15 = v[i15];

		v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 32); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 24);
		v0 = f(v0, v4); v12 = Long.rotateRight(v12 ^ v0, 16); v8 = f(v8, v12); v4 = Long.rotateRight(v4 ^ v8, 63);
		v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 32); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 24);
		v1 = f(v1, v5); v13 = Long.rotateRight(v13 ^ v1, 16); v9 = f(v9, v13); v5 = Long.rotateRight(v5 ^ v9, 63);
		v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 32); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 24);
		v2 = f(v2, v6); v14 = Long.rotateRight(v14 ^ v2, 16); v10 = f(v10, v14); v6 = Long.rotateRight(v6 ^ v10, 63);
		v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 32); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 24);
		v3 = f(v3, v7); v15 = Long.rotateRight(v15 ^ v3, 16); v11 = f(v11, v15); v7 = Long.rotateRight(v7 ^ v11, 63);

		v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 32); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 24);
		v0 = f(v0, v5); v15 = Long.rotateRight(v15 ^ v0, 16); v10 = f(v10, v15); v5 = Long.rotateRight(v5 ^ v10, 63);
		v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 32); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 24);
		v1 = f(v1, v6); v12 = Long.rotateRight(v12 ^ v1, 16); v11 = f(v11, v12); v6 = Long.rotateRight(v6 ^ v11, 63);
		v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 32); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 24);
		v2 = f(v2, v7); v13 = Long.rotateRight(v13 ^ v2, 16); v8 = f(v8, v13); v7 = Long.rotateRight(v7 ^ v8, 63);
		v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 32); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 24);
		v3 = f(v3, v4); v14 = Long.rotateRight(v14 ^ v3, 16); v9 = f(v9, v14); v4 = Long.rotateRight(v4 ^ v9, 63);

		v[i0] = v0; v[i1] = v1; v[i2] = v2; v[i3] = v3; v[i4] = v4; v[i5] = v5; v[i6] = v6; v[i7] = v7;
		v[i8] = v8; v[i9] = v9; v[i10] = v10; v[i11] = v11; v[i12] = v12; v[i13] = v13; v[i14] = v14; v[i15] = v15;
	}

	/** a + b + 2 * lo32(a) * lo32(b), modulo 2^64. */
	private static long f(long a, long b) {
		return a + b + 2 * (a & 0xFFFFFFFFL) * (b & 0xFFFFFFFFL);
	}

	/** H' of RFC 9106 section 3.3: Blake2b stretched to {@code out.length} bytes. */
	private static void variableHash(byte[] in, byte[] out) {
		int length = out.length;
		if (length <= 64) {
			Blake2bDigest digest = new Blake2bDigest(length * 8);
			update(digest, length);
			digest.update(in, 0, in.length);
			digest.doFinal(out, 0);
			return;
		}
		Blake2bDigest digest = new Blake2bDigest(512);
		byte[] v = new byte[64];
		update(digest, length);
		digest.update(in, 0, in.length);
		digest.doFinal(v, 0);
		System.arraycopy(v, 0, out, 0, 32);
		int position = 32;
		int remaining = length - 32;
		while (remaining > 64) {
			digest.reset();
			digest.update(v, 0, 64);
			digest.doFinal(v, 0);
			System.arraycopy(v, 0, out, position, 32);
			position += 32;
			remaining -= 32;
		}
		Blake2bDigest last = new Blake2bDigest(remaining * 8);
		last.update(v, 0, 64);
		last.doFinal(out, position);
	}

	private static void update(Blake2bDigest digest, int value) {
		byte[] le = new byte[4];
		writeInt(le, 0, value);
		digest.update(le, 0, 4);
	}

	private static void writeInt(byte[] out, int offset, int value) {
		out[offset] = (byte) value;
		out[offset + 1] = (byte) (value >>> 8);
		out[offset + 2] = (byte) (value >>> 16);
		out[offset + 3] = (byte) (value >>> 24);
	}

	private static void load(byte[] bytes, long[] memory, int offset) {
		for (int i = 0; i < BLOCK_LONGS; i++) {
			long value = 0;
			for (int b = 7; b >= 0; b--) {
				value = (value << 8) | (bytes[i * 8 + b] & 0xFFL);
			}
			memory[offset + i] = value;
		}
	}

}

package dev.foyer.directory;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Argon2's compression G (RFC 9106 section 3.5) on 256-bit vectors of the JDK's Vector API: four 64-bit words per
 * operation where {@link Argon2}'s scalar code does one. About twice as fast on x86-64 (AVX2 or AVX-512); the rest
 * of a hash is waiting for memory, which no code changes (docs/benchmarks.md).
 * <p>
 * A block is 8 rows of 16 words. Each BlaMka permutation holds its 16 words as four vectors A, B, C, D (the rows of
 * Blake2b's 4x4 state), so one vector operation runs the four column steps at once; the diagonal steps rotate the
 * lanes of B, C and D first. The row pass permutes each row where it lies. The column pass permutes pairs of columns:
 * {@link #regroup} copies each pair into a row of a scratch block first, and {@link #ungroup} copies the results back,
 * so both passes run the same {@link #permute}. The copies cost little beside the permutations.
 * <p>
 * Why one permutation per method: C2 stops turning Vector API calls into instructions once a method grows past its
 * inlining budget, and then every vector becomes an object (tried: two permutations in one method ran 30 times
 * slower than this). One permutation per method stays well inside it. Only JDK 21 API is used; Argon2 calls it on
 * JDK 25 and later, where it was measured.
 * <p>
 * Load it only where {@code jdk.incubator.vector} is present (Argon2 checks); it then holds nothing but constants.
 */
final class VectorCompression {

	private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_256;

	private static final int BLOCK_LONGS = 128;

	private static final long LOW_32 = 0xFFFFFFFFL;

	/** Lane rotations for the diagonal steps, and their inverses. */
	private static final VectorShuffle<Long> LEFT_1 = VectorShuffle.fromValues(SPECIES, 1, 2, 3, 0);

	private static final VectorShuffle<Long> LEFT_2 = VectorShuffle.fromValues(SPECIES, 2, 3, 0, 1);

	private static final VectorShuffle<Long> LEFT_3 = VectorShuffle.fromValues(SPECIES, 3, 0, 1, 2);

	private static final VectorMask<Long> HIGH_HALF = VectorMask.fromValues(SPECIES, false, false, true, true);

	private VectorCompression() {
	}

	/**
	 * Whether this CPU runs 256-bit vectors as such. Elsewhere (128-bit NEON, say) the JDK would emulate them, far
	 * slower than the scalar code.
	 */
	static boolean suitable() {
		return LongVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
	}

	/**
	 * next = G(prev, ref), or next ^= G(prev, ref) when {@code xorInto}; {@code r}, {@code t} and {@code s} are
	 * scratch blocks of 128 longs. {@code ref} may share its array with {@code next}: it is read before next is
	 * written.
	 */
	static void fillBlock(long[] prevArray, int prev, long[] refArray, int ref, long[] nextArray, int next,
			boolean xorInto, long[] r, long[] t, long[] s) {
		for (int i = 0; i < BLOCK_LONGS; i += 4) {
			LongVector v = LongVector.fromArray(SPECIES, prevArray, prev + i)
				.lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, refArray, ref + i));
			v.intoArray(r, i);
			// An if, not a conditional expression: C2 keeps a vector that two branches merge as an object.
			if (xorInto) {
				v.lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, nextArray, next + i)).intoArray(t, i);
			}
			else {
				v.intoArray(t, i);
			}
		}
		for (int row = 0; row < 8; row++) {
			permute(r, row * 16);
		}
		for (int pair = 0; pair < 8; pair += 2) {
			regroup(r, s, pair);
		}
		for (int pair = 0; pair < 8; pair++) {
			permute(s, pair * 16);
		}
		for (int pair = 0; pair < 8; pair += 2) {
			ungroup(s, t, nextArray, next, pair);
		}
	}

	/**
	 * Column pairs {@code pair} and {@code pair + 1} of {@code r} (words 2·pair, 2·pair+1, then 16 further on for
	 * each row) as rows {@code pair} and {@code pair + 1} of {@code s}.
	 */
	private static void regroup(long[] r, long[] s, int pair) {
		for (int rows = 0; rows < 4; rows++) {
			int from = 2 * pair + 32 * rows;
			LongVector upper = LongVector.fromArray(SPECIES, r, from);
			LongVector lower = LongVector.fromArray(SPECIES, r, from + 16);
			// (upper0, upper1, lower0, lower1) and (upper2, upper3, lower2, lower3)
			upper.blend(lower.rearrange(LEFT_2), HIGH_HALF).intoArray(s, 16 * pair + 4 * rows);
			upper.rearrange(LEFT_2).blend(lower, HIGH_HALF).intoArray(s, 16 * pair + 16 + 4 * rows);
		}
	}

	/** The inverse of {@link #regroup}, into {@code next} as t ^ result. */
	private static void ungroup(long[] s, long[] t, long[] nextArray, int next, int pair) {
		for (int rows = 0; rows < 4; rows++) {
			int to = 2 * pair + 32 * rows;
			LongVector first = LongVector.fromArray(SPECIES, s, 16 * pair + 4 * rows);
			LongVector second = LongVector.fromArray(SPECIES, s, 16 * pair + 16 + 4 * rows);
			first.blend(second.rearrange(LEFT_2), HIGH_HALF)
				.lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, t, to))
				.intoArray(nextArray, next + to);
			first.rearrange(LEFT_2).blend(second, HIGH_HALF)
				.lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, t, to + 16))
				.intoArray(nextArray, next + to + 16);
		}
	}

	/**
	 * The BlaMka permutation P on the 16 words at {@code offset}: Blake2b's G on the columns, then on the diagonals,
	 * each step {@code x = x + y + 2 * lo32(x) * lo32(y)}. Written out straight, without helpers or loops: a vector
	 * that a call returns or that a loop carries may stay an object.
	 */
	private static void permute(long[] v, int offset) {
		LongVector a = LongVector.fromArray(SPECIES, v, offset);
		LongVector b = LongVector.fromArray(SPECIES, v, offset + 4);
		LongVector c = LongVector.fromArray(SPECIES, v, offset + 8);
		LongVector d = LongVector.fromArray(SPECIES, v, offset + 12);
		LongVector m;
		m = a.and(LOW_32).mul(b.and(LOW_32));
		a = a.add(b).add(m.add(m));
		d = d.lanewise(VectorOperators.XOR, a).lanewise(VectorOperators.ROR, 32);
		m = c.and(LOW_32).mul(d.and(LOW_32));
		c = c.add(d).add(m.add(m));
		b = b.lanewise(VectorOperators.XOR, c).lanewise(VectorOperators.ROR, 24);
		m = a.and(LOW_32).mul(b.and(LOW_32));
		a = a.add(b).add(m.add(m));
		d = d.lanewise(VectorOperators.XOR, a).lanewise(VectorOperators.ROR, 16);
		m = c.and(LOW_32).mul(d.and(LOW_32));
		c = c.add(d).add(m.add(m));
		b = b.lanewise(VectorOperators.XOR, c).lanewise(VectorOperators.ROR, 63);
		// The diagonals (0, 5, 10, 15), (1, 6, 11, 12), ... become columns.
		b = b.rearrange(LEFT_1);
		c = c.rearrange(LEFT_2);
		d = d.rearrange(LEFT_3);
		m = a.and(LOW_32).mul(b.and(LOW_32));
		a = a.add(b).add(m.add(m));
		d = d.lanewise(VectorOperators.XOR, a).lanewise(VectorOperators.ROR, 32);
		m = c.and(LOW_32).mul(d.and(LOW_32));
		c = c.add(d).add(m.add(m));
		b = b.lanewise(VectorOperators.XOR, c).lanewise(VectorOperators.ROR, 24);
		m = a.and(LOW_32).mul(b.and(LOW_32));
		a = a.add(b).add(m.add(m));
		d = d.lanewise(VectorOperators.XOR, a).lanewise(VectorOperators.ROR, 16);
		m = c.and(LOW_32).mul(d.and(LOW_32));
		c = c.add(d).add(m.add(m));
		b = b.lanewise(VectorOperators.XOR, c).lanewise(VectorOperators.ROR, 63);
		a.intoArray(v, offset);
		b.rearrange(LEFT_3).intoArray(v, offset + 4);
		c.rearrange(LEFT_2).intoArray(v, offset + 8);
		d.rearrange(LEFT_1).intoArray(v, offset + 12);
	}

}

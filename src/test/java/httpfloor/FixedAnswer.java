package httpfloor;

import java.nio.charset.StandardCharsets;

/** The floors' fixed answer: a JSON object of exactly the size of the answer it stands in for (HAProxy's too). */
public final class FixedAnswer {

	private FixedAnswer() {
	}

	/** {@code {"a":"xx…x"}}, {@code bytes} long (at least 9). */
	public static byte[] of(int bytes) {
		return ("{\"a\":\"" + "x".repeat(Math.max(0, bytes - 8)) + "\"}").getBytes(StandardCharsets.US_ASCII);
	}

	/** Arguments: port, answer size in bytes. */
	static int[] arguments(String[] args) {
		if (args.length != 2) {
			throw new IllegalArgumentException("arguments: PORT ANSWER_BYTES");
		}
		return new int[] { Integer.parseInt(args[0]), Integer.parseInt(args[1]) };
	}

}

package dev.foyer.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2 password hashes in the PHC string format that Spring Security's {@code Argon2PasswordEncoder} reads and
 * writes ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so hashes from either verify with the other. New
 * hashes are Argon2id with the given parameters; stored ones verify with the parameters they carry.
 */
public final class Argon2PasswordHashes implements PasswordEncoder {

	private static final int SALT_BYTES = 16;

	private static final int HASH_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final int memoryKib;

	private final int iterations;

	private final int parallelism;

	public Argon2PasswordHashes(int memoryKib, int iterations, int parallelism) {
		this.memoryKib = memoryKib;
		this.iterations = iterations;
		this.parallelism = parallelism;
	}

	@Override
	public String encode(CharSequence rawPassword) {
		byte[] salt = new byte[SALT_BYTES];
		RANDOM.nextBytes(salt);
		byte[] hash = Argon2.hash(Argon2.TYPE_ID, Argon2.VERSION_13, this.memoryKib, this.iterations, this.parallelism,
				bytes(rawPassword), salt, HASH_BYTES);
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		return "$argon2id$v=19$m=" + this.memoryKib + ",t=" + this.iterations + ",p=" + this.parallelism + "$"
				+ b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		Stored stored = Stored.parse(encodedPassword);
		if (stored == null) {
			return false;
		}
		byte[] computed = Argon2.hash(stored.type(), stored.version(), stored.memoryKib(), stored.iterations(),
				stored.parallelism(), bytes(rawPassword), stored.salt(), stored.hash().length);
		return MessageDigest.isEqual(computed, stored.hash());
	}

	/**
	 * True for any hash not made with exactly these parameters. Weaker ones must go; stronger ones (imported from a
	 * system with more memory or passes) would make every sign-in, right or wrong, cost more than Foyer budgets for.
	 */
	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		Stored stored = Stored.parse(encodedPassword);
		return stored == null || stored.type() != Argon2.TYPE_ID || stored.version() != Argon2.VERSION_13
				|| stored.memoryKib() != this.memoryKib || stored.iterations() != this.iterations
				|| stored.parallelism() != this.parallelism || stored.salt().length < SALT_BYTES
				|| stored.hash().length != HASH_BYTES;
	}

	private static byte[] bytes(CharSequence password) {
		return password.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** A parsed PHC string; null from {@link #parse} when it is not one. */
	record Stored(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

		static Stored parse(String encoded) {
			if (encoded == null) {
				return null;
			}
			String[] parts = encoded.split("\\$", -1);
			try {
				int type = switch (parts[1]) {
					case "argon2d" -> Argon2.TYPE_D;
					case "argon2i" -> Argon2.TYPE_I;
					case "argon2id" -> Argon2.TYPE_ID;
					default -> -1;
				};
				int next = 2;
				int version = Argon2.VERSION_10;
				if (parts[next].startsWith("v=")) {
					version = Integer.parseInt(parts[next].substring(2));
					next++;
				}
				int memory = -1;
				int iterations = -1;
				int parallelism = -1;
				for (String parameter : parts[next].split(",")) {
					int value = Integer.parseInt(parameter.substring(2));
					switch (parameter.substring(0, 2)) {
						case "m=" -> memory = value;
						case "t=" -> iterations = value;
						case "p=" -> parallelism = value;
						default -> throw new IllegalArgumentException(parameter);
					}
				}
				byte[] salt = Base64.getDecoder().decode(parts[next + 1]);
				byte[] hash = Base64.getDecoder().decode(parts[next + 2]);
				boolean valid = type >= 0 && (version == Argon2.VERSION_10 || version == Argon2.VERSION_13)
						&& memory > 0 && iterations > 0 && parallelism > 0 && parts.length == next + 3;
				return valid ? new Stored(type, version, memory, iterations, parallelism, salt, hash) : null;
			}
			catch (RuntimeException malformed) {
				return null;
			}
		}

	}

}

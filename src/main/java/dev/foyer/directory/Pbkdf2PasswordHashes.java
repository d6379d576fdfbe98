package dev.foyer.directory;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * PBKDF2 password hashes imported from other systems (Keycloak stores them so), each with its own algorithm,
 * iteration count, salt and key length, written as a PHC-style string: {@code $pbkdf2-sha256$i=27500$salt$hash}
 * (standard base64 without padding; the key length is the hash's). Verify-only: Foyer hashes every new password with
 * Argon2id, and a PBKDF2 hash is replaced at the first sign-in that proves it.
 */
final class Pbkdf2PasswordHashes implements PasswordEncoder {

	/** The PHC names Foyer accepts and the JDK's algorithm behind each. Keycloak's "pbkdf2" is HMAC-SHA1. */
	static final Map<String, String> ALGORITHMS = Map.of("pbkdf2", "PBKDF2WithHmacSHA1", "pbkdf2-sha256",
			"PBKDF2WithHmacSHA256", "pbkdf2-sha512", "PBKDF2WithHmacSHA512");

	@Override
	public String encode(CharSequence rawPassword) {
		// Never called: DelegatingPasswordEncoder encodes with its default, Argon2id.
		throw new UnsupportedOperationException("Foyer hashes new passwords with Argon2id, never with PBKDF2");
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		Stored stored = Stored.parse(encodedPassword);
		if (stored == null || rawPassword == null || rawPassword.isEmpty()) {
			return false;
		}
		return MessageDigest.isEqual(derive(stored.algorithm(), rawPassword, stored.salt(), stored.iterations(),
				stored.hash().length), stored.hash());
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return true;
	}

	/**
	 * PBKDF2 as the JDK computes it, which is what Keycloak calls: the password's UTF-8 bytes as the HMAC key. (Keycloak
	 * may pad short passwords with NUL characters; HMAC pads its key with zero bytes anyway, so the result is the
	 * same.)
	 */
	static byte[] derive(String algorithm, CharSequence password, byte[] salt, int iterations, int bytes) {
		char[] chars = password.toString().toCharArray();
		PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
		try {
			return SecretKeyFactory.getInstance(ALGORITHMS.get(algorithm)).generateSecret(spec).getEncoded();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK has no " + ALGORITHMS.get(algorithm), ex);
		}
		finally {
			spec.clearPassword();
			java.util.Arrays.fill(chars, '\0');
		}
	}

	static String format(String algorithm, int iterations, byte[] salt, byte[] hash) {
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		return "$" + algorithm + "$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
	}

	/** A parsed hash; null from {@link #parse} when it is not one. */
	record Stored(String algorithm, int iterations, byte[] salt, byte[] hash) {

		static Stored parse(String encoded) {
			if (encoded == null) {
				return null;
			}
			String[] parts = encoded.split("\\$", -1);
			try {
				if (parts.length != 5 || !parts[0].isEmpty() || !ALGORITHMS.containsKey(parts[1])
						|| !parts[2].startsWith("i=")) {
					return null;
				}
				int iterations = Integer.parseInt(parts[2].substring(2));
				byte[] salt = Base64.getDecoder().decode(parts[3]);
				byte[] hash = Base64.getDecoder().decode(parts[4]);
				return iterations > 0 && salt.length > 0 && hash.length > 0
						? new Stored(parts[1], iterations, salt, hash) : null;
			}
			catch (IllegalArgumentException malformed) {
				return null;
			}
		}

	}

}

package dev.foyer.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Client secrets are 256 random bits. That much entropy needs no slow hash: a SHA-256 digest resists any
 * guessing, and verifying one costs microseconds rather than the 20–50 ms a password hash would add to every
 * token request.
 */
public final class ClientSecrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private ClientSecrets() {
	}

	static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public static String sha256Hex(String value) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** True if the presented secret matches one of the unexpired digests, compared in constant time. */
	public static boolean matches(String presented, List<Client.SecretDigest> digests, Instant now) {
		if (presented == null || presented.isEmpty()) {
			return false;
		}
		byte[] candidate = sha256Hex(presented).getBytes(StandardCharsets.US_ASCII);
		boolean matched = false;
		for (Client.SecretDigest digest : digests) {
			boolean equal = MessageDigest.isEqual(candidate, digest.sha256Hex().getBytes(StandardCharsets.US_ASCII));
			matched |= equal && digest.expiresAt().isAfter(now);
		}
		return matched;
	}

}

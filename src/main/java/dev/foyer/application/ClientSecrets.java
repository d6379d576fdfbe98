package dev.foyer.application;

import java.time.Instant;
import java.util.List;

import dev.foyer.keys.Digests;

/**
 * Client secrets are 256 random bits. That much entropy needs no slow hash: a SHA-256 digest resists any
 * guessing, and verifying one costs microseconds rather than the 20–50 ms a password hash would add to every
 * token request.
 */
public final class ClientSecrets {

	private ClientSecrets() {
	}

	static String generate() {
		return Digests.randomToken();
	}

	public static String sha256Hex(String value) {
		return Digests.sha256Hex(value);
	}

	/** True if the presented secret matches one of the unexpired digests, compared in constant time. */
	public static boolean matches(String presented, List<Client.SecretDigest> digests, Instant now) {
		if (presented == null || presented.isEmpty()) {
			return false;
		}
		String candidate = sha256Hex(presented);
		boolean matched = false;
		for (Client.SecretDigest digest : digests) {
			matched |= Digests.same(candidate, digest.sha256Hex()) && digest.expiresAt().isAfter(now);
		}
		return matched;
	}

}

package dev.foyer.application;

import java.time.Instant;
import java.util.List;

/**
 * What the protocol layer needs of an application to authenticate it and issue tokens, served from memory.
 *
 * @param secretDigests SHA-256 digests (hex) of its secrets with their expiry
 */
public record Client(Application application, List<SecretDigest> secretDigests) {

	public record SecretDigest(String sha256Hex, Instant expiresAt) {
	}

}

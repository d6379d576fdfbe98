package dev.foyer.application;

import java.time.Instant;
import java.util.List;

/**
 * What the protocol layer needs of an application to authenticate it and issue tokens, served from memory.
 *
 * @param secretDigests SHA-256 digests (hex) of its secrets with their expiry
 * @param heldRoles the roles of other applications (APIs) this application holds as a service principal, for its
 * client_credentials tokens
 */
public record Client(Application application, List<SecretDigest> secretDigests, List<HeldRole> heldRoles) {

	public record SecretDigest(String sha256Hex, Instant expiresAt) {
	}

	/** A role of the API whose client id is {@code resourceClientId}, assigned to this application. */
	public record HeldRole(String resourceClientId, String appRoleId) {
	}

	/** The client ids of the APIs this application holds a role of: it may ask for their {@code /.default} scope. */
	public List<String> resourcesHeld() {
		return this.heldRoles.stream().map(HeldRole::resourceClientId).distinct().toList();
	}

}

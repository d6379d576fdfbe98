package dev.foyer.tenant;

import java.time.Instant;

import dev.foyer.keys.SigningAlgorithm;

/** An isolated customer identity space. */
public record Tenant(String id, String displayName, SigningAlgorithm signingAlgorithm, Instant createdAt,
		Instant updatedAt) {

	/** The tenant of Foyer's operators, created at first start. */
	public static final String ADMIN = "admin";

}

package dev.foyer.tenant;

import java.time.Instant;

import dev.foyer.keys.SigningAlgorithm;

/** An isolated customer identity space. */
public record Tenant(String id, String displayName, SigningAlgorithm signingAlgorithm, TokenPolicy tokenPolicy,
		SessionPolicy sessionPolicy, Instant createdAt, Instant updatedAt) {

	/** What applies to apps that do not override it: Foyer's defaults, then the tenant's own settings. */
	public TokenPolicy effectiveTokenPolicy() {
		return TokenPolicy.DEFAULTS.overriddenBy(new TokenPolicy(null, null, null, null, this.signingAlgorithm.name()))
			.overriddenBy(this.tokenPolicy);
	}

	/** How long the tenant's single sign-on sessions last: Foyer's defaults, then the tenant's own settings. */
	public SessionPolicy effectiveSessionPolicy() {
		return SessionPolicy.DEFAULTS.overriddenBy(this.sessionPolicy);
	}

	/** The tenant of Foyer's operators, created at first start. */
	public static final String ADMIN = "admin";

}

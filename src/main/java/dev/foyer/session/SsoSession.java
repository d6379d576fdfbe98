package dev.foyer.session;

import java.time.Instant;
import java.util.List;

/** A signed-in browser of one tenant: who, since when, how, until when, from where. */
public record SsoSession(String id, String tenantId, String accountId, List<String> amr, Instant authTime,
		Instant createdAt, Instant lastSeenAt, Instant expiresAt, String ipAddress, String userAgent) {

	public AccountAuthentication authentication() {
		return new AccountAuthentication(this.tenantId, this.accountId, this.id, this.authTime, this.amr);
	}

}

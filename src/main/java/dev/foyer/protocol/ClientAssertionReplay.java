package dev.foyer.protocol;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import dev.foyer.application.Application;
import dev.foyer.keys.Digests;

/**
 * Takes each {@code private_key_jwt} client assertion once. OpenID Connect Core 9 says such assertions "MUST only be
 * used once" and carry a {@code jti}; RFC 7523 (3) lets the server keep the used ones for as long as they would be
 * valid. Without it, an assertion seen once (in a proxy's log, say) is a credential until its {@code exp}, which the
 * app chooses. Keycloak and Ory Hydra refuse a reused {@code jti} the same way.
 * <p>
 * The used {@code jti} values are rows, not node memory, so a copy replayed through another node of a cluster is
 * refused too: the primary key makes the first use win. That is one insert per assertion, the price of the check;
 * the secret-based {@code client_credentials} path still writes nothing. An assertion may live at most
 * {@link #LONGEST_LIFETIME}, so that the rows are few and short-lived; housekeeping deletes them after their
 * {@code exp}.
 */
@Component
class ClientAssertionReplay {

	private static final Logger log = LoggerFactory.getLogger(ClientAssertionReplay.class);

	/** As Okta allows; Nimbus and MSAL make theirs last 5 and 10 minutes. */
	static final Duration LONGEST_LIFETIME = Duration.ofHours(1);

	/** The clock skew Spring Security's timestamp check allows past {@code exp}: the row is kept as long. */
	static final Duration SKEW = Duration.ofSeconds(60);

	private final JdbcClient jdbc;

	ClientAssertionReplay(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Run after the assertion's signature and its standard claims were checked: only then is a jti taken. */
	OAuth2TokenValidator<Jwt> firstUseOf(Application app) {
		return assertion -> {
			String jti = assertion.getId();
			if (jti == null || jti.isBlank()) {
				return refused("The client assertion has no jti (OpenID Connect Core 9)");
			}
			Instant expiresAt = assertion.getExpiresAt();
			if (expiresAt == null || expiresAt.isAfter(Instant.now().plus(LONGEST_LIFETIME).plus(SKEW))) {
				return refused("The client assertion must expire within " + LONGEST_LIFETIME.toMinutes() + " minutes");
			}
			try {
				this.jdbc.sql("""
						insert into client_assertion_used (tenant_id, application_id, jti_sha256, expires_at)
						values (?, ?, ?, ?)""")
					.params(app.tenantId(), app.id(), Digests.sha256Hex(jti), Timestamp.from(expiresAt.plus(SKEW)))
					.update();
			}
			catch (DuplicateKeyException used) {
				log.warn("A client assertion was presented again (tenant {}, app {}): refused", app.tenantId(),
						app.clientId());
				return refused("The client assertion was used before: sign a new one for each request");
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	private static OAuth2TokenValidatorResult refused(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null));
	}

}

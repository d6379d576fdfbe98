package dev.foyer.protocol;

import java.time.Instant;
import java.util.Set;

import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

import dev.foyer.application.Applications;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.session.AccountAuthentication;
import dev.foyer.tenant.TokenPolicy;

/**
 * The one place token contents are shaped.
 * <ul>
 * <li>Access tokens follow RFC 9068: {@code typ: at+jwt}, {@code client_id}, {@code scope} as a space-separated
 * string; signed with the algorithm the tenant and app policy choose (RS256 unless ES256 is set).</li>
 * <li>ID tokens carry {@code auth_time}, {@code amr} and {@code sid} from the sign-on session, live as long as the
 * policy says, and carry the account's claims by scope: {@code name}, {@code given_name}, {@code family_name} for
 * {@code profile}; {@code email}, {@code email_verified} for {@code email}.</li>
 * </ul>
 */
@Component
class TokenShape implements OAuth2TokenCustomizer<JwtEncodingContext> {

	static final String ACCESS_TOKEN_TYPE = "at+jwt";

	private final TenantClientRepository clients;

	private final Applications applications;

	private final Accounts accounts;

	private final TenantContext tenants;

	TokenShape(TenantClientRepository clients, Applications applications, Accounts accounts, TenantContext tenants) {
		this.clients = clients;
		this.applications = applications;
		this.accounts = accounts;
		this.tenants = tenants;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		String tenant = this.tenants.requireTenant();
		TokenPolicy policy = this.applications.client(tenant, context.getRegisteredClient().getClientId())
			.map(this.clients::policy)
			.orElse(TokenPolicy.DEFAULTS);
		JwtClaimsSet.Builder claims = context.getClaims();
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type(ACCESS_TOKEN_TYPE);
			if (policy.accessTokenAlgorithm() != null) {
				context.getJwsHeader().algorithm(SignatureAlgorithm.from(policy.accessTokenAlgorithm()));
			}
			claims.claim("client_id", context.getRegisteredClient().getClientId());
			claims.claims(c -> {
				if (c.get("scope") instanceof java.util.Collection<?> scopes) {
					c.put("scope", String.join(" ", scopes.stream().map(Object::toString).toList()));
				}
			});
			return;
		}
		if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
				&& context.getPrincipal() instanceof AccountAuthentication person) {
			Instant issuedAt = Instant.now();
			claims.issuedAt(issuedAt).expiresAt(issuedAt.plus(policy.idTokenLifetime()));
			claims.claim("auth_time", person.authTime().getEpochSecond());
			claims.claim("amr", person.amr());
			claims.claim("sid", person.sessionId());
			this.accounts.find(tenant, person.accountId())
				.ifPresent(account -> identityClaims(claims, account, context.getAuthorizedScopes()));
		}
	}

	/** The account's claims that the granted scopes release: shared with the userinfo endpoint. */
	static void identityClaims(JwtClaimsSet.Builder claims, Account account, Set<String> scopes) {
		claims.claims(c -> c.putAll(IdentityClaims.of(account, scopes)));
	}

}

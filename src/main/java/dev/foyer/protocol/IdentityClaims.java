package dev.foyer.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.oidc.OidcScopes;

import dev.foyer.directory.Account;

/** The OpenID Connect standard claims of an account that each scope releases, for ID tokens and userinfo alike. */
final class IdentityClaims {

	private IdentityClaims() {
	}

	static Map<String, Object> of(Account account, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", account.id());
		if (scopes.contains(OidcScopes.PROFILE)) {
			putIfPresent(claims, "name", account.displayName());
			putIfPresent(claims, "given_name", account.givenName());
			putIfPresent(claims, "family_name", account.surname());
			claims.put("updated_at", account.updatedAt().getEpochSecond());
		}
		if (scopes.contains(OidcScopes.EMAIL)) {
			claims.put("email", account.email());
			claims.put("email_verified", account.emailVerified());
		}
		return claims;
	}

	private static void putIfPresent(Map<String, Object> claims, String name, String value) {
		if (value != null) {
			claims.put(name, value);
		}
	}

}

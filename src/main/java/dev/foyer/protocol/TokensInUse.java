package dev.foyer.protocol;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The authorization service that userinfo and introspection see: they only read what a token grants, many times
 * per sign-in, so an access token in use is answered from memory ({@link TenantAuthorizationService#findInUse}).
 * What it returns is a trimmed copy and is never saved: every write goes through {@link TenantAuthorizationService}.
 * Not a bean: Spring Authorization Server takes the one {@code OAuth2AuthorizationService} bean for all its other
 * endpoints, and that must stay {@link TenantAuthorizationService}.
 */
class TokensInUse implements OAuth2AuthorizationService {

	private final TenantAuthorizationService authorizations;

	TokensInUse(TenantAuthorizationService authorizations) {
		this.authorizations = authorizations;
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return this.authorizations.findInUse(token, tokenType);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		throw new UnsupportedOperationException("userinfo and introspection look tokens up, never authorizations by id");
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		throw new UnsupportedOperationException("a token in use is read, never saved, here");
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		throw new UnsupportedOperationException("a token in use is read, never removed, here");
	}

}

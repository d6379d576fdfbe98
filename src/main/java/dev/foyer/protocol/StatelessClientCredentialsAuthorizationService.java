package dev.foyer.protocol;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps the client_credentials grant free of writes: its access token is a self-contained signed JWT that
 * nothing needs to look up later, so the authorization Spring Authorization Server would store is dropped.
 * The other grants need no store until the browser sign-in flows exist; until then they are held in memory.
 */
class StatelessClientCredentialsAuthorizationService implements OAuth2AuthorizationService {

	private final OAuth2AuthorizationService others = new InMemoryOAuth2AuthorizationService();

	@Override
	public void save(OAuth2Authorization authorization) {
		if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
			this.others.save(authorization);
		}
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.others.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.others.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return this.others.findByToken(token, tokenType);
	}

}

package dev.foyer.protocol;

import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * The one place token contents are shaped. Access tokens follow RFC 9068: {@code typ: at+jwt} and a
 * {@code client_id} claim; resource servers can then tell them from ID tokens.
 */
@Component
class AccessTokenShape implements OAuth2TokenCustomizer<JwtEncodingContext> {

	static final String ACCESS_TOKEN_TYPE = "at+jwt";

	@Override
	public void customize(JwtEncodingContext context) {
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type(ACCESS_TOKEN_TYPE);
			context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
		}
	}

}

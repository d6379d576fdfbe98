package dev.foyer.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.foyer.application.AppType;
import dev.foyer.keys.Digests;

/**
 * Refresh tokens for public apps ({@code spa}, {@code native}), as Auth0, Entra and Keycloak give them: a mobile app
 * must not have to open a browser every hour. Spring Authorization Server gives public clients none (it can neither
 * issue nor accept them), so the three pieces are here:
 * <ul>
 * <li>{@link Tokens}: a public app gets a refresh token at the code exchange when it asked for
 * {@code offline_access} (the people who use it consented to nothing more by default);</li>
 * <li>{@link Converter} and {@link Provider}: a public app authenticates at the token endpoint's
 * {@code refresh_token} grant, and at the revocation endpoint, with its {@code client_id} alone.</li>
 * <li>And, while here: a public app's code exchange that lacks its PKCE verifier is answered {@code invalid_grant}
 * about the verifier, not {@code invalid_client}.</li>
 * </ul>
 * Such a refresh token is a bearer credential that anyone who copies it can present with the public client id, so
 * RFC 9700 (4.14.2) wants it rotated: it is, with reuse detection, as for every app (a copy presented after its
 * original was used revokes the whole chain). A {@code spa}'s chain also ends {@link #SPA_LIFETIME} after sign-in
 * whatever the token policy says, as Entra's does: a browser has no safe place to keep it.
 */
final class PublicClientRefresh {

	/** How long a single-page app's refresh tokens last at most, from the sign-in, as in Entra External ID. */
	static final Duration SPA_LIFETIME = Duration.ofHours(24);

	private PublicClientRefresh() {
	}

	/** The absolute lifetime of a refresh token chain of an app of this type, under a policy that says {@code policy}. */
	static Duration absoluteLifetime(AppType type, Duration policy) {
		return type == AppType.spa && policy.compareTo(SPA_LIFETIME) > 0 ? SPA_LIFETIME : policy;
	}

	/** Spring Authorization Server's refresh tokens, and a public app's at the code exchange when it asked for them. */
	static final class Tokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

		private final OAuth2RefreshTokenGenerator standard = new OAuth2RefreshTokenGenerator();

		@Override
		public OAuth2RefreshToken generate(OAuth2TokenContext context) {
			if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType()) || !publicCodeExchange(context)) {
				return this.standard.generate(context);
			}
			if (!context.getAuthorizedScopes().contains(TenantClientRepository.OFFLINE_ACCESS)) {
				return null;
			}
			Instant issuedAt = Instant.now();
			return new OAuth2RefreshToken(Digests.randomToken(), issuedAt,
					issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
		}

		private static boolean publicCodeExchange(OAuth2TokenContext context) {
			return AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())
					&& context.getAuthorizationGrant() != null
					&& context.getAuthorizationGrant().getPrincipal() instanceof OAuth2ClientAuthenticationToken client
					&& ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod());
		}

	}

	/**
	 * A refresh grant or a revocation that names its client with {@code client_id} and nothing else: no Basic header,
	 * no secret, no assertion (a request with any of those is another converter's). Whether the client is public is
	 * the {@link Provider}'s to check.
	 */
	static final class Converter implements AuthenticationConverter {

		@Override
		public Authentication convert(HttpServletRequest request) {
			String grant = request.getRequestURI().endsWith("/oauth2/token")
					? request.getParameter(OAuth2ParameterNames.GRANT_TYPE) : null;
			boolean refresh = AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(grant);
			// A code exchange without its PKCE verifier: Spring's public-client provider, which takes it from here,
			// answers invalid_grant naming code_verifier instead of "client authentication is required".
			boolean codeWithoutVerifier = AuthorizationGrantType.AUTHORIZATION_CODE.getValue().equals(grant)
					&& request.getParameter(PkceParameterNames.CODE_VERIFIER) == null;
			boolean revocation = request.getRequestURI().endsWith("/oauth2/revoke");
			String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
			if (!(refresh || codeWithoutVerifier || revocation) || clientIds == null || request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			if (clientIds.length != 1 || clientIds[0].isBlank()) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
			}
			Map<String, Object> parameters = new HashMap<>();
			request.getParameterMap().forEach((name, values) -> {
				if (!name.equals(OAuth2ParameterNames.CLIENT_ID)) {
					parameters.put(name, values.length == 1 ? values[0] : values);
				}
			});
			return new PublicClientToken(clientIds[0], parameters);
		}

	}

	/**
	 * Authenticates a {@link PublicClientToken} of a refresh grant or a revocation when its client is public; a
	 * confidential one must use its secret. A code exchange is left to Spring's public-client provider.
	 */
	static final class Provider implements AuthenticationProvider {

		private final RegisteredClientRepository clients;

		Provider(RegisteredClientRepository clients) {
			this.clients = clients;
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			PublicClientToken presented = (PublicClientToken) authentication;
			if (AuthorizationGrantType.AUTHORIZATION_CODE.getValue()
				.equals(presented.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE))) {
				return null;
			}
			RegisteredClient client = this.clients.findByClientId((String) presented.getPrincipal());
			if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
			}
			return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return PublicClientToken.class.isAssignableFrom(authentication);
		}

	}

	/** What {@link Converter} makes: its own type, so that only {@link Provider} takes it. */
	static final class PublicClientToken extends OAuth2ClientAuthenticationToken {

		PublicClientToken(String clientId, Map<String, Object> parameters) {
			super(clientId, ClientAuthenticationMethod.NONE, null, parameters);
		}

	}

}

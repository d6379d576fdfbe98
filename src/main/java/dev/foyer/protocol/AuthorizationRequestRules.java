package dev.foyer.protocol;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Foyer's rules for authorization requests beyond Spring Authorization Server's, each refused before anyone signs in.
 * <ul>
 * <li>No request objects (OpenID Connect Core 6: {@code request} and {@code request_uri}, JAR, PAR). The
 * specification wants an OP without them to refuse them rather than ignore them: an app that signs its request's
 * parameters must not have the unsigned copies beside them used instead. For {@code request}, once the client and
 * its redirect URI are known good, the app gets {@code request_not_supported} at its redirect URI
 * ({@link #refuseRequestParameter}). Behind a {@code request_uri} would be the request's parameters, so nothing in it
 * can be checked, and Spring Authorization Server would show the sign-in page even for an unknown client; the
 * person gets the error page at once ({@link RequestUriRefusal}).</li>
 * <li>A {@code response_mode} other than query, fragment and form_post is {@code invalid_request}, as Keycloak
 * answers it ({@link #checkResponseMode}); it used to be ignored, and the code sent in the query.</li>
 * <li>A PKCE challenge that no verifier can meet (RFC 7636 4.1 and 4.2: an S256 challenge is 43 base64url
 * characters) is {@code invalid_request} now, as Keycloak answers it, not a failed code exchange after the person
 * has signed in ({@link #checkCodeChallenge}).</li>
 * </ul>
 */
final class AuthorizationRequestRules {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationRequestRules.class);

	private static final java.util.regex.Pattern S256_CHALLENGE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

	static final String REQUEST = "request";

	static final String REQUEST_URI = "request_uri";

	private AuthorizationRequestRules() {
	}

	/** An authorization request validator, run after the client's redirect URI has been checked. */
	static void refuseRequestParameter(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		if (request.getAdditionalParameters().containsKey(REQUEST)) {
			throw refusal(context, "request_not_supported", "Request objects (the request parameter) are not supported");
		}
	}

	/** An authorization request validator, run after the client's redirect URI has been checked. */
	static void checkCodeChallenge(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		Object challenge = request.getAdditionalParameters().get("code_challenge");
		if (challenge instanceof String value && !S256_CHALLENGE.matcher(value).matches()) {
			throw refusal(context, "invalid_request",
					"OAuth 2.0 Parameter: code_challenge (an S256 challenge is 43 base64url characters)");
		}
	}

	/** An authorization request validator: a response mode Foyer does not know is refused, not answered in the query. */
	static void checkResponseMode(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		Object mode = request.getAdditionalParameters().get(AuthorizationResponses.RESPONSE_MODE);
		if (mode != null && !AuthorizationResponses.RESPONSE_MODES.contains(mode)) {
			throw refusal(context, "invalid_request",
					"OAuth 2.0 Parameter: response_mode (query, fragment or form_post)");
		}
	}

	/** The error, to be sent to the client's redirect URI. */
	private static OAuth2AuthorizationCodeRequestAuthenticationException refusal(
			OAuth2AuthorizationCodeRequestAuthenticationContext context, String error, String description) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		// Without redirect_uri in the request, the client's only registered one is where the answer goes.
		String redirectUri = request.getRedirectUri() != null ? request.getRedirectUri()
				: context.getRegisteredClient().getRedirectUris().iterator().next();
		OAuth2AuthorizationCodeRequestAuthenticationToken answerTo = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(), redirectUri,
				request.getState(), request.getScopes(), request.getAdditionalParameters());
		return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(error, description, null), answerTo);
	}

	/** Answers an authorization request that carries {@code request_uri} with the error page. */
	static final class RequestUriRefusal extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !request.getRequestURI().endsWith("/oauth2/authorize") || request.getParameter(REQUEST_URI) == null;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			log.info("Authorization request refused without redirect: request_uri_not_supported");
			response.sendError(HttpStatus.BAD_REQUEST.value());
		}

	}

}

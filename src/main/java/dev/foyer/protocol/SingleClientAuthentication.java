package dev.foyer.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.foyer.web.OAuthErrors;

/**
 * RFC 6749 2.3: a client uses one authentication method per request. Spring Authorization Server takes the first it
 * finds and ignores the rest, so a request with a Basic header and a {@code client_secret} or
 * {@code client_assertion} in its body, or with a {@code client_id} that names another client than its Basic header,
 * was answered as if the rest were not there. It is refused instead, at the token, introspection and revocation
 * endpoints.
 */
class SingleClientAuthentication extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		return !"POST".equals(request.getMethod()) || !(uri.endsWith("/oauth2/token") || uri.endsWith("/oauth2/introspect")
				|| uri.endsWith("/oauth2/revoke"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean secretInBody = request.getParameter("client_secret") != null;
		boolean assertion = request.getParameter("client_assertion") != null;
		String clientId = request.getParameter("client_id");
		// The Basic header is decoded only when something beside it could clash with it: a grant's usual request,
		// Basic and nothing else, is passed on as it is.
		String basicClient = (secretInBody || assertion || clientId != null)
				? basicClientId(request.getHeader("Authorization")) : null;
		int methods = (basicClient != null ? 1 : 0) + (secretInBody ? 1 : 0) + (assertion ? 1 : 0);
		if (methods > 1) {
			OAuthErrors.write(response, HttpStatus.BAD_REQUEST, new OAuth2Error(
					OAuth2ErrorCodes.INVALID_REQUEST, "Use one client authentication method per request", null));
			return;
		}
		if (basicClient != null && clientId != null && !clientId.equals(basicClient)) {
			OAuthErrors.write(response, HttpStatus.UNAUTHORIZED, new OAuth2Error(
					OAuth2ErrorCodes.INVALID_CLIENT, "client_id names another client than the Authorization header", null));
			return;
		}
		chain.doFilter(request, response);
	}

	/** The client id of an {@code Authorization: Basic} header (form-encoded, RFC 6749 2.3.1), or null. */
	private static String basicClientId(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		try {
			String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
			int colon = pair.indexOf(':');
			return java.net.URLDecoder.decode(colon < 0 ? pair : pair.substring(0, colon), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// Not Basic as RFC 7617 has it: Spring Authorization Server's converter answers that.
			return null;
		}
	}

}

package dev.foyer.web;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with 400, before any other filter reads a parameter, a request whose query or form body does not
 * percent-decode ({@code email=%ZZ}). Tomcat throws at the first read of a parameter, wherever that is; left to
 * that, the answer was a 500 on the admin API, and a 400 logged as a 500 elsewhere. Tomcat parses the parameters
 * once and keeps them, so reading them here costs the requests that read them later nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ParameterEncodingFilter extends OncePerRequestFilter {

	private static final String UNDECODABLE = "The request's parameters are not correctly percent-encoded";

	/** A tenant's OAuth endpoints, whose clients read OAuth's error answer, not problem+json. */
	private static final Pattern OAUTH_ENDPOINT = Pattern.compile("/t/[^/]+/(oauth2/.*|userinfo)");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			request.getParameterMap();
		}
		catch (InvalidParameterException ex) {
			String uri = request.getRequestURI();
			if (ProblemResponses.wantsPage(request)) {
				response.sendError(HttpStatus.BAD_REQUEST.value());
			}
			else if (OAUTH_ENDPOINT.matcher(uri).matches()) {
				OAuthErrors.write(response, HttpStatus.BAD_REQUEST,
						new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, UNDECODABLE, null));
			}
			else {
				ProblemResponses.write(response, HttpStatus.BAD_REQUEST, UNDECODABLE, uri, List.of());
			}
			return;
		}
		chain.doFilter(request, response);
	}

}

package dev.foyer.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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
 * percent-decode ({@code email=%ZZ}), or decodes to a NUL character ({@code %00}). Tomcat throws at the first read
 * of a parameter, wherever that is; left to that, the answer was a 500 on the admin API, and a 400 logged as a 500
 * elsewhere. PostgreSQL refuses a NUL in any text it is given, even to compare, so a NUL in a flow id or a filter
 * was a 500 there (and nothing on H2); no parameter of Foyer's can hold one. Tomcat parses the parameters once and
 * keeps them, so reading them here costs the requests that read them later nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ParameterEncodingFilter extends OncePerRequestFilter {

	private static final String UNDECODABLE = "The request's parameters are not correctly percent-encoded, or hold a NUL "
			+ "character";

	/** A tenant's OAuth endpoints, whose clients read OAuth's error answer, not problem+json. */
	private static final Pattern OAUTH_ENDPOINT = Pattern.compile("/t/[^/]+/(oauth2/.*|userinfo)");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean acceptable;
		try {
			acceptable = withoutNul(request.getParameterMap());
		}
		catch (InvalidParameterException ex) {
			acceptable = false;
		}
		if (!acceptable) {
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

	private static boolean withoutNul(Map<String, String[]> parameters) {
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			if (parameter.getKey().indexOf('\0') >= 0) {
				return false;
			}
			for (String value : parameter.getValue()) {
				if (value.indexOf('\0') >= 0) {
					return false;
				}
			}
		}
		return true;
	}

}

package dev.foyer.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Finds the bearer token in the {@code Authorization} header (RFC 6750 section 2.1: {@code Bearer}, one space, a
 * b64token), exactly as Spring Security's {@code DefaultBearerTokenResolver} does with its defaults, without its
 * case-insensitive regular expression: matched over a whole JWT, that cost a sixth of every userinfo request. At
 * userinfo also in a form body ({@link #headerOrFormBody()}).
 */
public final class BearerTokens implements BearerTokenResolver {

	private static final String SCHEME = "bearer";

	private static final String FORM_FIELD = "access_token";

	private static final String FORM = "application/x-www-form-urlencoded";

	/** RFC 6750 section 3.1: the status that goes with each error. */
	private static final java.util.Map<String, HttpStatus> STATUS_BY_ERROR = java.util.Map.of(
			OAuth2ErrorCodes.INVALID_REQUEST, HttpStatus.BAD_REQUEST, OAuth2ErrorCodes.INSUFFICIENT_SCOPE,
			HttpStatus.FORBIDDEN, OAuth2ErrorCodes.INVALID_TOKEN, HttpStatus.UNAUTHORIZED);

	private final boolean formBody;

	/** The header only: what the admin API takes. */
	public BearerTokens() {
		this(false);
	}

	private BearerTokens(boolean formBody) {
		this.formBody = formBody;
	}

	/**
	 * The header, or at the userinfo endpoint the {@code access_token} field of a form-encoded POST body (RFC 6750
	 * section 2.2), which OpenID Connect Core 5.3.1 lets an app send and the certification suite tries. Never the query
	 * string (RFC 9700 2.5: it ends up in logs), and never two at once (RFC 6750 section 2: one method per request).
	 */
	public static BearerTokens headerOrFormBody() {
		return new BearerTokens(true);
	}

	@Override
	public String resolve(HttpServletRequest request) {
		String header = fromHeader(request);
		// Only userinfo takes a body token: the token endpoint's grants, which pass here too, are spared the look.
		String contentType = request.getContentType();
		if (!this.formBody || !"POST".equals(request.getMethod()) || !request.getRequestURI().endsWith("/userinfo")
				|| contentType == null || !contentType.regionMatches(true, 0, FORM, 0, FORM.length()) || inQuery(request)) {
			return header;
		}
		String[] fields = request.getParameterValues(FORM_FIELD);
		if (fields == null) {
			return header;
		}
		if (header != null || fields.length > 1) {
			throw new OAuth2AuthenticationException(
					BearerTokenErrors.invalidRequest("Found more than one bearer token in the request"));
		}
		return b64token(fields[0], 0);
	}

	/** A token in the query string is not taken, even beside a form body (the servlet API merges the two). */
	private static boolean inQuery(HttpServletRequest request) {
		String query = request.getQueryString();
		return query != null && ("&" + query).contains("&" + FORM_FIELD + "=");
	}

	private static String fromHeader(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return null;
		}
		int start = SCHEME.length() + 1;
		if (authorization.length() <= start || authorization.charAt(start - 1) != ' ') {
			throw malformed();
		}
		return b64token(authorization, start);
	}

	/** {@code value} from {@code start} on, when it is a b64token (RFC 6750 2.1: characters, then '=' padding). */
	private static String b64token(String value, int start) {
		int end = value.length();
		while (end > start && value.charAt(end - 1) == '=') {
			end--;
		}
		if (end == start) {
			throw malformed();
		}
		for (int i = start; i < end; i++) {
			if (!b64tokenCharacter(value.charAt(i))) {
				throw malformed();
			}
		}
		return value.substring(start);
	}

	private static boolean b64tokenCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~' || c == '+' || c == '/';
	}

	/**
	 * The answer to a request whose bearer token is missing, refused or too weak (RFC 6750 section 3): the status,
	 * a {@code WWW-Authenticate: Bearer} challenge with the error, and the error as JSON. Spring Security's own entry
	 * point adds a {@code resource_metadata} address (RFC 9728) that Foyer does not serve.
	 */
	public static void challenge(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		OAuth2Error error = failure instanceof OAuth2AuthenticationException oauth ? oauth.getError() : null;
		HttpStatus status = error instanceof BearerTokenError bearer ? bearer.getHttpStatus()
				: error == null || !STATUS_BY_ERROR.containsKey(error.getErrorCode()) ? HttpStatus.UNAUTHORIZED
						: STATUS_BY_ERROR.get(error.getErrorCode());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge(error));
		if (error == null) {
			response.setStatus(status.value());
			return;
		}
		OAuthErrors.write(response, status, error);
	}

	/** {@code Bearer}, with the error's code, description, address and scope when there is an error. */
	public static String challenge(OAuth2Error error) {
		if (error == null) {
			return "Bearer";
		}
		java.util.List<String> parameters = new java.util.ArrayList<>();
		parameters.add("error=\"" + quotable(error.getErrorCode()) + "\"");
		if (error.getDescription() != null) {
			parameters.add("error_description=\"" + quotable(error.getDescription()) + "\"");
		}
		if (error.getUri() != null) {
			parameters.add("error_uri=\"" + quotable(error.getUri()) + "\"");
		}
		if (error instanceof BearerTokenError bearer && bearer.getScope() != null) {
			parameters.add("scope=\"" + quotable(bearer.getScope()) + "\"");
		}
		return "Bearer " + String.join(", ", parameters);
	}

	/** RFC 6750 allows neither quotes nor backslashes (nor anything outside printable ASCII) in these values. */
	private static String quotable(String value) {
		return value.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "");
	}

	private static OAuth2AuthenticationException malformed() {
		return new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
	}

}

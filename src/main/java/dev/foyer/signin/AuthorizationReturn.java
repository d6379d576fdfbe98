package dev.foyer.signin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The end of a sign-in that an app's authorization request started: the request is completed inside the server,
 * for the person who has just signed in, and its answer (the redirect to the app with the code, or the app's error)
 * is the answer to the sign-in's post. The browser is spared the round trip to the authorization endpoint that a
 * redirect to it would cost, as Keycloak answers its sign-in form.
 * <p>
 * Spring Authorization Server's endpoint serves it as it serves any authorization request: the flow run's
 * {@code returnTo} is replayed as a GET with that request's parameters only (never the posted form's, which hold
 * the password), and the person is the new SSO session's.
 */
final class AuthorizationReturn {

	private AuthorizationReturn() {
	}

	/** Whether {@code returnTo} is an authorization request of this tenant, the only place a sign-in returns to so. */
	static boolean isAuthorizationRequest(String tenantId, String returnTo) {
		return returnTo != null && returnTo.startsWith("/t/" + tenantId + "/oauth2/authorize?");
	}

	static void complete(String returnTo, Authentication person, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		var previous = SecurityContextHolder.getContext();
		SecurityContextHolder.setContext(new SecurityContextImpl(person));
		try {
			request.getRequestDispatcher(returnTo).forward(new Replayed(request, returnTo), response);
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

	/** The authorization request again, as the GET it was: its own parameters, and no body. */
	private static final class Replayed extends HttpServletRequestWrapper {

		private final String query;

		private final Map<String, String[]> parameters = new LinkedHashMap<>();

		Replayed(HttpServletRequest request, String returnTo) {
			super(request);
			UriComponents uri = UriComponentsBuilder.fromUriString(returnTo).build();
			this.query = uri.getQuery();
			uri.getQueryParams().forEach((name, values) -> this.parameters.put(UriUtils.decode(name, StandardCharsets.UTF_8),
					values.stream().map(v -> v == null ? "" : UriUtils.decode(v, StandardCharsets.UTF_8)).toArray(String[]::new)));
		}

		@Override
		public String getMethod() {
			return "GET";
		}

		@Override
		public String getQueryString() {
			return this.query;
		}

		@Override
		public String getParameter(String name) {
			String[] values = this.parameters.get(name);
			return values == null || values.length == 0 ? null : values[0];
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return Collections.unmodifiableMap(this.parameters);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(this.parameters.keySet());
		}

		@Override
		public String[] getParameterValues(String name) {
			return this.parameters.get(name);
		}

	}

}

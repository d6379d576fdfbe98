package dev.foyer.signin;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.session.Prompts;
import dev.foyer.session.TenantPaths;

/**
 * Where an authorization request goes when nobody is signed in to its tenant: a new sign-in flow that returns to
 * the same authorization request once the person has signed in. {@code prompt=login}, {@code max_age} and
 * {@code id_token_hint} are taken out of the way back, since the fresh sign-in has satisfied them. The sign-in page is the answer to the
 * authorization request itself (as Keycloak and Entra answer theirs), not a redirect to it: one round trip less for
 * every sign-in.
 */
@Component
public class SignInEntryPoint implements AuthenticationEntryPoint {

	private static final Set<String> SATISFIED_BY_SIGN_IN = Set.of("prompt", "max_age", "id_token_hint");

	private final FlowRuns flows;

	SignInEntryPoint(FlowRuns flows) {
		this.flows = flows;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException, ServletException {
		String tenant = TenantPaths.tenantOf(request).orElseThrow();
		UriComponentsBuilder back = UriComponentsBuilder.fromPath(request.getRequestURI());
		request.getParameterMap().keySet().stream()
			.filter(name -> !SATISFIED_BY_SIGN_IN.contains(name))
			.forEach(name -> back.queryParam(name, "{" + name + "}"));
		Map<String, String> values = new java.util.HashMap<>();
		request.getParameterMap().forEach((name, v) -> values.put(name, v[0]));
		String returnTo = back.encode().buildAndExpand(values).toUriString();
		Map<String, String> data = new java.util.HashMap<>();
		if (request.getParameter("login_hint") != null && request.getParameter("login_hint").length() <= 320) {
			data.put(SignInController.EMAIL, request.getParameter("login_hint"));
		}
		if (request.getParameter("client_id") != null && request.getParameter("client_id").length() <= 100) {
			data.put(SignInController.CLIENT, request.getParameter("client_id"));
		}
		if (request.getParameter("ui_locales") != null && request.getParameter("ui_locales").length() <= 100) {
			data.put(SignInController.LOCALES, request.getParameter("ui_locales"));
		}
		// OpenID Connect Prompt Create 1.0: the app asks for the sign-up page (where its user flow has sign-up).
		if (Prompts.asks(request, "create")) {
			data.put(SignInController.START, SignInController.SIGN_UP);
		}
		FlowRun flow = this.flows.start(tenant, SignInController.SIGN_IN, SignInController.CREDENTIALS, returnTo, data,
				request, response);
		// An authorization request may come as a POST (OpenID Connect Core 3.1.2.1); the page it gets is the one a GET
		// of the sign-in page shows, not the handler of the sign-in form's own POST.
		HttpServletRequest asGet = new HttpServletRequestWrapper(request) {
			@Override
			public String getMethod() {
				return "GET";
			}
		};
		request.getRequestDispatcher("/t/" + tenant + "/login?flow=" + flow.id()).forward(asGet, response);
	}

}

package dev.foyer.protocol;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

import dev.foyer.session.SsoSessions;
import dev.foyer.signin.SignOutReturn;

/**
 * Completes RP-initiated logout once Spring Authorization Server has validated it (id_token_hint, and a
 * post_logout_redirect_uri registered exactly): ends the tenant's SSO session, then returns to the app with its
 * state, or shows the signed-out page. A logout request without id_token_hint, which Spring Authorization Server
 * refuses, goes to the tenant's sign-out page instead ({@link WithoutIdTokenHint}).
 */
@Component
class SsoLogout {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SsoLogout.class);

	private final SsoSessions sessions;

	private final TenantContext tenants;

	SsoLogout(SsoSessions sessions, TenantContext tenants) {
		this.sessions = sessions;
		this.tenants = tenants;
	}

	void loggedOut(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		String tenant = this.tenants.requireTenant();
		var ended = this.sessions.end(tenant, request, response);
		log.info("RP-initiated logout in tenant {}: {}", tenant, ended.map(s -> "ended session " + s.id()).orElse("no session"));
		OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
		if (logout.getPostLogoutRedirectUri() != null) {
			response.sendRedirect(SignOutReturn.to(logout.getPostLogoutRedirectUri(), logout.getState()));
			return;
		}
		response.sendRedirect("/t/" + tenant + "/signed-out");
	}

	/**
	 * RP-Initiated Logout 1.0 makes id_token_hint only recommended: an app that lost its ID token still sends the
	 * person to the end-session endpoint. Without the hint nothing says who asks, so the person is asked
	 * (the sign-out page, as Keycloak does), and returned to the app only to a post-logout redirect URI that the
	 * {@code client_id} sent has registered (checked by that page).
	 */
	static final class WithoutIdTokenHint extends OncePerRequestFilter {

		private static final List<String> PASSED_ON = List.of("client_id", "post_logout_redirect_uri", "state", "ui_locales");

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !request.getRequestURI().endsWith("/connect/logout") || request.getParameter("id_token_hint") != null;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
				FilterChain chain) throws IOException {
			String logoutPath = request.getRequestURI();
			UriComponentsBuilder page = UriComponentsBuilder
				.fromPath(logoutPath.substring(0, logoutPath.length() - "/connect/logout".length()) + "/logout");
			for (String name : PASSED_ON) {
				String value = request.getParameter(name);
				if (value != null) {
					page.queryParam(name, "{" + name + "}");
				}
			}
			Map<String, String> values = new HashMap<>();
			PASSED_ON.forEach(name -> values.put(name, request.getParameter(name)));
			response.sendRedirect(page.encode().buildAndExpand(values).toUriString());
		}

	}

}

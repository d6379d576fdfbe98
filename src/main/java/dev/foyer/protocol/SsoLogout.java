package dev.foyer.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.foyer.session.SsoSessions;

/**
 * Completes RP-initiated logout once Spring Authorization Server has validated it (id_token_hint, and a
 * post_logout_redirect_uri registered exactly): ends the tenant's SSO session, then returns to the app with its
 * state, or shows the signed-out page.
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
			UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(logout.getPostLogoutRedirectUri());
			if (logout.getState() != null) {
				uri.queryParam("state", UriUtils.encode(logout.getState(), StandardCharsets.UTF_8));
			}
			response.sendRedirect(uri.build(true).toUriString());
			return;
		}
		response.sendRedirect("/t/" + tenant + "/signed-out");
	}

}

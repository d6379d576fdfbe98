package dev.foyer.protocol;

import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.foyer.config.BaseUrl;
import dev.foyer.keys.SigningKeys;
import dev.foyer.session.SsoSession;
import dev.foyer.session.SsoSessions;
import dev.foyer.signin.SignOutReturn;

/**
 * Completes RP-initiated logout once Spring Authorization Server has validated it (id_token_hint, and a
 * post_logout_redirect_uri registered exactly): ends the tenant's SSO session if it is the one the ID token names,
 * then returns to the app with its state, or shows the signed-out page; a browser in another session is asked. A
 * logout request without id_token_hint, which Spring Authorization Server refuses, goes to the tenant's sign-out page
 * instead ({@link WithoutIdTokenHint}). A hint that is an older ID token of ours, which Spring Authorization Server no
 * longer finds, is honoured after all ({@link #refused}).
 */
@Component
class SsoLogout {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SsoLogout.class);

	private final SsoSessions sessions;

	private final TenantContext tenants;

	private final RegisteredClientRepository clients;

	private final SigningKeys keys;

	private final BaseUrl baseUrl;

	SsoLogout(SsoSessions sessions, TenantContext tenants, RegisteredClientRepository clients, SigningKeys keys,
			BaseUrl baseUrl) {
		this.sessions = sessions;
		this.tenants = tenants;
		this.clients = clients;
		this.keys = keys;
		this.baseUrl = baseUrl;
	}

	void loggedOut(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
		// The request's client_id is optional; the ID token's audience, which Spring Authorization Server checked, is not.
		String clientId = logout.getIdToken().getAudience().get(0);
		endOrAsk(request, response, logout.getIdToken().getClaimAsString("sid"), clientId, logout.getPostLogoutRedirectUri(),
				logout.getState());
	}

	/**
	 * Ends the browser's session when it is the one the app's ID token names ({@code sid}), or when there is none,
	 * and returns the person. A browser that is in another session (the one the app knows has ended, and someone
	 * signed in again since) is not signed out behind the person's back: the sign-out page asks.
	 */
	private void endOrAsk(HttpServletRequest request, HttpServletResponse response, String sid, String clientId,
			String postLogoutRedirectUri, String state) throws IOException {
		Optional<String> current = this.sessions.current(this.tenants.requireTenant(), request).map(SsoSession::id);
		if (current.isPresent() && !current.get().equals(sid)) {
			response.sendRedirect(signOutPage(request, Map.of("client_id", clientId)));
			return;
		}
		endAndReturn(request, response, postLogoutRedirectUri, state);
	}

	private void endAndReturn(HttpServletRequest request, HttpServletResponse response, String postLogoutRedirectUri,
			String state) throws IOException {
		String tenant = this.tenants.requireTenant();
		var ended = this.sessions.end(tenant, request, response);
		log.info("RP-initiated logout in tenant {}: {}", tenant, ended.map(s -> "ended session " + s.id()).orElse("no session"));
		if (postLogoutRedirectUri != null) {
			response.sendRedirect(SignOutReturn.to(postLogoutRedirectUri, state));
			return;
		}
		response.sendRedirect("/t/" + tenant + "/signed-out");
	}

	/**
	 * A logout request Spring Authorization Server refused. An app signs a person out with the ID token it got at
	 * sign-in, while Foyer keeps only the newest one of each sign-in: after a refresh, which issues a new ID token,
	 * Spring Authorization Server finds no authorization for the old one, nor once the app's tokens were revoked, and
	 * refuses the hint (invalid_token), which showed the person an error page. RP-Initiated Logout 1.0 (section 2)
	 * asks an OP to accept such hints, expired ones too. So a hint that this tenant signed (with a key it still
	 * publishes) for one of its apps, with a return address registered for that app, is honoured here as a hint
	 * Spring Authorization Server accepted is ({@link #endOrAsk}). Every other refusal stands, as Spring
	 * Authorization Server answers it: a 400 error page.
	 */
	void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		String hint = request.getParameter("id_token_hint");
		if (!OAuth2ErrorCodes.INVALID_TOKEN.equals(error.getErrorCode()) || hint == null || !honourStaleHint(request,
				response, hint)) {
			log.info("RP-initiated logout refused in tenant {}: {} ({})", this.tenants.currentTenant().orElse("?"),
					error.getErrorCode(), error.getDescription());
			response.sendError(HttpStatus.BAD_REQUEST.value(), error.toString());
		}
	}

	private boolean honourStaleHint(HttpServletRequest request, HttpServletResponse response, String hint)
			throws IOException {
		String tenant = this.tenants.requireTenant();
		JWTClaimsSet claims = signedByTenant(tenant, hint);
		List<String> audience = claims == null ? List.of() : claims.getAudience();
		RegisteredClient client = audience.size() == 1 ? this.clients.findByClientId(audience.get(0)) : null;
		String clientId = request.getParameter("client_id");
		String returnTo = request.getParameter("post_logout_redirect_uri");
		if (client == null || (clientId != null && !clientId.equals(client.getClientId()))
				|| (returnTo != null && !client.getPostLogoutRedirectUris().contains(returnTo))) {
			return false;
		}
		endOrAsk(request, response, claims.getClaim("sid") instanceof String sid ? sid : null, client.getClientId(),
				returnTo, request.getParameter("state"));
		return true;
	}

	/** The hint's claims when this tenant signed it as an ID token, expired or not; else null. */
	private JWTClaimsSet signedByTenant(String tenant, String hint) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
				new ImmutableJWKSet<>(this.keys.publicKeys(tenant))));
		String issuer = this.baseUrl.issuer(tenant);
		processor.setJWTClaimsSetVerifier((claims, context) -> {
			if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null) {
				throw new BadJWTException("not an ID token of this tenant");
			}
		});
		try {
			return processor.process(hint, null);
		}
		catch (ParseException | BadJOSEException | JOSEException ex) {
			return null;
		}
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
			response.sendRedirect(signOutPage(request, Map.of()));
		}

	}

	/** The tenant's sign-out page, with the logout request's parameters that it uses (or the ones given here). */
	private static String signOutPage(HttpServletRequest request, Map<String, String> given) {
		String logoutPath = request.getRequestURI();
		UriComponentsBuilder page = UriComponentsBuilder
			.fromPath(logoutPath.substring(0, logoutPath.length() - "/connect/logout".length()) + "/logout");
		Map<String, String> values = new HashMap<>();
		for (String name : WithoutIdTokenHint.PASSED_ON) {
			String value = given.getOrDefault(name, request.getParameter(name));
			if (value != null) {
				page.queryParam(name, "{" + name + "}");
				values.put(name, value);
			}
		}
		return page.encode().buildAndExpand(values).toUriString();
	}

}

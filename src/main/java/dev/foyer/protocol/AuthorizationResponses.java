package dev.foyer.protocol;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.foyer.audit.SignInLog;
import dev.foyer.config.BaseUrl;
import dev.foyer.session.AccountAuthentication;

/**
 * Sends authorization responses the way RFC 9207 and OAuth 2.0 Form Post Response Mode want them: with {@code iss},
 * in the query, in the fragment ({@code response_mode=fragment}, for apps that keep the code away from their web
 * server's logs) or as an auto-submitted form ({@code response_mode=form_post}). An error that concerns the client or
 * its redirect URI is never redirected anywhere: the person sees an error page with a reference id instead.
 */
@Component
class AuthorizationResponses {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationResponses.class);

	static final String RESPONSE_MODE = "response_mode";

	static final String QUERY = "query";

	static final String FRAGMENT = "fragment";

	static final String FORM_POST = "form_post";

	/** OAuth 2.0 Multiple Response Type Encoding Practices and Form Post Response Mode: what Auth0, Entra and Keycloak take. */
	static final java.util.List<String> RESPONSE_MODES = java.util.List.of(QUERY, FRAGMENT, FORM_POST);

	private static final String SUBMIT_SCRIPT = "document.forms[0].submit();";

	private static final String SUBMIT_SCRIPT_HASH = sha256Base64(SUBMIT_SCRIPT);

	private final BaseUrl baseUrl;

	private final TenantContext tenants;

	private final SignInLog signIns;

	AuthorizationResponses(BaseUrl baseUrl, TenantContext tenants, SignInLog signIns) {
		this.baseUrl = baseUrl;
		this.tenants = tenants;
		this.signIns = signIns;
	}

	void success(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		OAuth2AuthorizationCodeRequestAuthenticationToken granted = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
		logSessionSignIn(request, granted);
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("code", granted.getAuthorizationCode().getTokenValue());
		if (granted.getState() != null) {
			parameters.put("state", granted.getState());
		}
		parameters.put("iss", issuer());
		send(request, response, granted.getRedirectUri(), parameters);
	}

	/**
	 * An app's sign-in answered from the person's single sign-on session goes in the sign-in log as a non-interactive
	 * success. A sign-in on a page completes the authorization request through a forward (signin.AuthorizationReturn)
	 * and is already logged there as an interactive one.
	 */
	private void logSessionSignIn(HttpServletRequest request, OAuth2AuthorizationCodeRequestAuthenticationToken granted) {
		if (request.getDispatcherType() != DispatcherType.REQUEST
				|| !(granted.getPrincipal() instanceof AccountAuthentication person)) {
			return;
		}
		this.signIns.record(new SignInLog.Attempt(person.tenantId(), "success", person.amr(), person.accountId(), null,
				granted.getClientId(), request.getRemoteAddr(), request.getHeader("User-Agent"), false));
	}

	void failure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
		OAuth2AuthorizationCodeRequestAuthenticationToken attempted = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException ex
				? ex.getAuthorizationCodeRequestAuthentication() : null;
		if (attempted == null || attempted.getRedirectUri() == null || attempted.getRedirectUri().isBlank()) {
			// Unknown client or unregistered redirect URI: redirecting would make Foyer an open redirector.
			log.info("Authorization request refused without redirect: {} ({})", error.getErrorCode(), error.getDescription());
			response.sendError(HttpStatus.BAD_REQUEST.value());
			return;
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("error", error.getErrorCode());
		if (error.getDescription() != null) {
			parameters.put("error_description", error.getDescription());
		}
		if (attempted.getState() != null) {
			parameters.put("state", attempted.getState());
		}
		parameters.put("iss", issuer());
		log.info("Authorization request refused: {} ({})", error.getErrorCode(), error.getDescription());
		send(request, response, attempted.getRedirectUri(), parameters);
	}

	private void send(HttpServletRequest request, HttpServletResponse response, String redirectUri,
			Map<String, String> parameters) throws IOException {
		String mode = request.getParameter(RESPONSE_MODE);
		if (FORM_POST.equals(mode)) {
			formPost(response, redirectUri, parameters);
			return;
		}
		if (FRAGMENT.equals(mode)) {
			// Registered redirect URIs have no fragment of their own (RedirectUris), so this one is the only one.
			StringBuilder fragment = new StringBuilder();
			parameters.forEach((name, value) -> fragment.append(fragment.isEmpty() ? "" : "&")
				.append(name)
				.append('=')
				.append(UriUtils.encode(value, StandardCharsets.UTF_8)));
			response.sendRedirect(redirectUri + "#" + fragment);
			return;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri);
		parameters.forEach((name, value) -> uri.queryParam(name, UriUtils.encode(value, StandardCharsets.UTF_8)));
		response.sendRedirect(uri.build(true).toUriString());
	}

	private static void formPost(HttpServletResponse response, String redirectUri, Map<String, String> parameters)
			throws IOException {
		StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Continue</title></head>")
			.append("<body><form method=\"post\" action=\"").append(HtmlUtils.htmlEscape(redirectUri)).append("\">");
		parameters.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"")
			.append(HtmlUtils.htmlEscape(name))
			.append("\" value=\"")
			.append(HtmlUtils.htmlEscape(value))
			.append("\">"));
		html.append("<noscript><button type=\"submit\">Continue</button></noscript></form><script>")
			.append(SUBMIT_SCRIPT)
			.append("</script></body></html>");
		URI target = URI.create(redirectUri);
		String origin = target.getScheme() + "://" + target.getRawAuthority();
		response.setStatus(HttpStatus.OK.value());
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Content-Security-Policy", "default-src 'none'; script-src '" + SUBMIT_SCRIPT_HASH
				+ "'; form-action " + origin + "; frame-ancestors 'none'; base-uri 'none'");
		response.getWriter().write(html.toString());
	}

	private String issuer() {
		return this.baseUrl.issuer(this.tenants.requireTenant());
	}

	private static String sha256Base64(String text) {
		try {
			return "sha256-" + Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

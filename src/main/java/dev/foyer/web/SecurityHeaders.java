package dev.foyer.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/** The security headers every answer carries, whichever filter chain serves it. */
public final class SecurityHeaders {

	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
			+ "object-src 'none'";

	private SecurityHeaders() {
	}

	public static void apply(HeadersConfigurer<HttpSecurity> headers) {
		// No form-action: browsers apply it to the redirects after a form post too, and a sign-in form's post
		// ends in a redirect to the app, whose origin is the app's, not Foyer's.
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
			.frameOptions(HeadersConfigurer.FrameOptionsConfig::deny);
	}

}

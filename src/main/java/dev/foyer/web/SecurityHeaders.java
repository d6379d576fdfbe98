package dev.foyer.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.stereotype.Component;

import dev.foyer.config.BaseUrl;

/** The security headers every answer carries, whichever filter chain serves it. */
@Component
public final class SecurityHeaders {

	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
			+ "object-src 'none'";

	/** One year, and the base URL's subdomains too, as Spring Security and OWASP have it. */
	private static final long STRICT_TRANSPORT_SECONDS = 31_536_000;

	public static final String STRICT_TRANSPORT_SECURITY = "max-age=" + STRICT_TRANSPORT_SECONDS + " ; includeSubDomains";

	private final boolean https;

	public SecurityHeaders(BaseUrl baseUrl) {
		this.https = baseUrl.isHttps();
	}

	/** Whether answers say Strict-Transport-Security: when the public base URL is https. */
	public boolean strictTransportSecurity() {
		return this.https;
	}

	public void apply(HeadersConfigurer<HttpSecurity> headers) {
		// No form-action: browsers apply it to the redirects after a form post too, and a sign-in form's post
		// ends in a redirect to the app, whose origin is the app's, not Foyer's.
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
			.frameOptions(HeadersConfigurer.FrameOptionsConfig::deny);
		if (this.https) {
			// Behind a proxy that ends TLS, Foyer itself is reached over http, where Spring Security would leave the
			// header out (ASVS 14.4.5 wants it on every answer); the base URL says what browsers use.
			headers.httpStrictTransportSecurity(hsts -> hsts.requestMatcher(AnyRequestMatcher.INSTANCE)
				.maxAgeInSeconds(STRICT_TRANSPORT_SECONDS)
				.includeSubDomains(true));
		}
	}

}

package dev.foyer.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.foyer.config.BaseUrl;

/**
 * The security headers every answer carries. Written by this filter, ahead of every other, rather than by Spring
 * Security's chains: answers that filters write before those chains (an unknown tenant's 404, an oversized body's
 * 413) and error pages rendered after an exception left the chains would otherwise go without them. An answer may
 * still set a header of its own (the form_post page's policy) over the one written here; Spring Security's header
 * writers leave a header that is already there alone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public final class SecurityHeaders extends OncePerRequestFilter {

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
			+ "object-src 'none'";

	/** One year, and the base URL's subdomains too, as Spring Security and OWASP have it. */
	private static final long STRICT_TRANSPORT_SECONDS = 31_536_000;

	private static final String STRICT_TRANSPORT_SECURITY = "max-age=" + STRICT_TRANSPORT_SECONDS + " ; includeSubDomains";

	/** Whether answers say Strict-Transport-Security: when the public base URL is https. */
	private final boolean https;

	public SecurityHeaders(BaseUrl baseUrl) {
		this.https = baseUrl.isHttps();
	}

	/**
	 * Writes the headers. No form-action in the policy: browsers apply it to the redirects after a form post too,
	 * and a sign-in form's post ends in a redirect to the app, whose origin is the app's, not Foyer's.
	 */
	void writeTo(HttpServletResponse response) {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "no-referrer");
		if (this.https) {
			// Behind a proxy that ends TLS, Foyer itself is reached over http, where Spring Security would leave the
			// header out (ASVS 14.4.5 wants it on every answer); the base URL says what browsers use.
			response.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		writeTo(response);
		chain.doFilter(request, new HttpServletResponseWrapper(response) {
			@Override
			public void reset() {
				// A filter that replaces a half-made answer with its own refusal resets the headers too.
				super.reset();
				writeTo(this);
			}
		});
	}

	/** Error pages are dispatched anew after Tomcat has cleared the failed answer: they need the headers again. */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}

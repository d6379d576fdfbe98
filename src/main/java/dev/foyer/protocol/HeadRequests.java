package dev.foyer.protocol;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HEAD on the discovery documents and the key set, answered as GET is. Spring Authorization Server matches those
 * endpoints on GET alone, so HEAD, which uptime checks and caches send, met a 404. Tomcat sends no body in answer to a
 * HEAD request, whatever is written.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 8)
class HeadRequests extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		return !"HEAD".equals(request.getMethod()) || !(uri.startsWith("/t/") && (uri.endsWith("/oauth2/jwks")
				|| uri.endsWith("/.well-known/openid-configuration")) || uri.startsWith(TenantPathFilter.RFC8414_PREFIX));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getMethod() {
				return "GET";
			}
		}, response);
	}

}

package dev.foyer.protocol;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.foyer.tenant.Tenants;
import dev.foyer.web.ProblemResponses;

/**
 * Answers 404 for {@code /t/{tenant}/...} when there is no such tenant, before any OAuth endpoint runs: an unknown
 * tenant has no discovery document, no keys and no token endpoint.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class TenantPathFilter extends OncePerRequestFilter {

	static final String RFC8414_PREFIX = "/.well-known/oauth-authorization-server/t/";

	private final Tenants tenants;

	TenantPathFilter(Tenants tenants) {
		this.tenants = tenants;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/t/") && !request.getRequestURI().startsWith(RFC8414_PREFIX);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String uri = request.getRequestURI();
		String rest = uri.startsWith(RFC8414_PREFIX) ? uri.substring(RFC8414_PREFIX.length()) : uri.substring(3);
		int slash = rest.indexOf('/');
		String tenantId = slash < 0 ? rest : rest.substring(0, slash);
		if (this.tenants.find(tenantId).isEmpty()) {
			if (ProblemResponses.wantsPage(request)) {
				// A person who followed a wrong link: the error page says there is no such organisation.
				response.sendError(HttpStatus.NOT_FOUND.value());
				return;
			}
			ProblemResponses.write(response, HttpStatus.NOT_FOUND, "No such tenant", request.getRequestURI(), List.of());
			return;
		}
		chain.doFilter(request, response);
	}

}

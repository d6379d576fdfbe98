package dev.foyer.session;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/** Reads the tenant of a {@code /t/{tenant}/...} request from its path. */
public final class TenantPaths {

	private TenantPaths() {
	}

	public static Optional<String> tenantOf(HttpServletRequest request) {
		String uri = request.getRequestURI();
		if (!uri.startsWith("/t/")) {
			return Optional.empty();
		}
		String rest = uri.substring(3);
		int slash = rest.indexOf('/');
		String tenant = slash < 0 ? rest : rest.substring(0, slash);
		return tenant.isEmpty() ? Optional.empty() : Optional.of(tenant);
	}

	/** The cookie path that scopes a cookie to one tenant's pages and endpoints. */
	public static String cookiePath(String tenantId) {
		return "/t/" + tenantId + "/";
	}

}

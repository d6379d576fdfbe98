package dev.foyer.session;

import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/** Reads the tenant of a {@code /t/{tenant}/...} request from its path. */
public final class TenantPaths {

	private TenantPaths() {
	}

	/** The tenant of the request's path; on an error page, of the path whose answer was the error. */
	public static Optional<String> tenantOf(HttpServletRequest request) {
		String uri = request.getDispatcherType() == DispatcherType.ERROR
				&& request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String failed ? failed
						: request.getRequestURI();
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

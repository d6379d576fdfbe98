package dev.foyer.signin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

import dev.foyer.session.TenantPaths;
import dev.foyer.tenant.Tenants;

/**
 * The error page that Spring Boot shows for errors raised outside Foyer's controllers (a refused authorization or
 * logout request, a 404 under a tenant's path) carries the tenant's name, as every other page of the tenant does.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TenantErrorViews implements ErrorViewResolver {

	private final Tenants tenants;

	TenantErrorViews(Tenants tenants) {
		this.tenants = tenants;
	}

	@Override
	public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
		Map<String, Object> withTenant = new HashMap<>(model);
		Optional<String> tenantId = TenantPaths.tenantOf(request);
		tenantId.flatMap(this.tenants::find).ifPresentOrElse(tenant -> withTenant.put("org", tenant),
				// A path under /t/ that names no tenant: say so, rather than that the page does not exist.
				() -> withTenant.put("unknownTenant", tenantId.isPresent()));
		return new ModelAndView("error", withTenant, status);
	}

}

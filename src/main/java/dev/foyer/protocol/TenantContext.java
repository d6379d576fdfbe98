package dev.foyer.protocol;

import java.util.Optional;

import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.stereotype.Component;

import dev.foyer.config.BaseUrl;

/** The tenant whose OAuth endpoint is serving the current request, from the issuer Spring Authorization Server resolved. */
@Component
public class TenantContext {

	private final BaseUrl baseUrl;

	public TenantContext(BaseUrl baseUrl) {
		this.baseUrl = baseUrl;
	}

	public Optional<String> currentTenant() {
		AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
		return context == null ? Optional.empty() : this.baseUrl.tenantOfIssuer(context.getIssuer());
	}

	public String requireTenant() {
		return currentTenant().orElseThrow(() -> new IllegalStateException("No tenant issuer for this request"));
	}

}

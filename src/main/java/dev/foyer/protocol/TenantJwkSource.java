package dev.foyer.protocol;

import java.util.List;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.foyer.keys.SigningKeys;

/** The public keys of the tenant whose JWKS endpoint is called; never a private part, never another tenant's. */
@Component
class TenantJwkSource implements JWKSource<SecurityContext> {

	private final SigningKeys keys;

	private final TenantContext tenants;

	TenantJwkSource(SigningKeys keys, TenantContext tenants) {
		this.keys = keys;
		this.tenants = tenants;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		return this.tenants.currentTenant().map(tenant -> selector.select(this.keys.publicKeys(tenant))).orElse(List.of());
	}

}

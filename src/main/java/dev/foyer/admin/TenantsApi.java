package dev.foyer.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.config.BaseUrl;
import dev.foyer.tenant.SessionPolicy;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.tenant.TokenPolicy;
import dev.foyer.keys.SigningKeys;

@RestController
@RequestMapping("/api/v1/tenants")
class TenantsApi {

	private final Tenants tenants;

	private final AdminAccess access;

	private final BaseUrl baseUrl;

	private final SigningKeys keys;

	TenantsApi(Tenants tenants, AdminAccess access, BaseUrl baseUrl, SigningKeys keys) {
		this.keys = keys;
		this.tenants = tenants;
		this.access = access;
		this.baseUrl = baseUrl;
	}

	record TenantView(String id, String displayName, String issuer, String signingAlgorithm, TokenPolicy tokenPolicy,
			SessionPolicy sessionPolicy, Instant createdAt, Instant updatedAt) {
	}

	record TenantChanges(String displayName, TokenPolicy tokenPolicy, SessionPolicy sessionPolicy) {
	}

	@PostMapping
	ResponseEntity<TenantView> create(@RequestBody Tenants.NewTenant request) {
		this.access.checkGlobal();
		TenantView created = view(this.tenants.create(request));
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + created.id())).body(created);
	}

	@GetMapping
	Listing<TenantView> list() {
		this.access.checkGlobal();
		return new Listing<>(this.tenants.list().stream().map(this::view).toList(), null);
	}

	@GetMapping("/{tenantId}")
	TenantView get(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		return view(this.tenants.get(tenantId));
	}

	@PatchMapping("/{tenantId}")
	TenantView update(@PathVariable String tenantId, @RequestBody TenantChanges changes) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		return view(this.tenants.update(tenantId, changes.displayName(), changes.tokenPolicy(), changes.sessionPolicy()));
	}

	/** Irreversible: the caller repeats the tenant id in {@code confirm}. */
	@DeleteMapping("/{tenantId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @RequestParam(required = false) String confirm) {
		this.access.checkGlobal();
		this.tenants.delete(tenantId, confirm);
	}

	@GetMapping("/{tenantId}/keys")
	Listing<SigningKeys.KeyInfo> keys(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		return new Listing<>(this.keys.list(tenantId), null);
	}

	/** Rotates with overlap: next becomes current, current stays published as previous. */
	@PostMapping("/{tenantId}/keys/rotate")
	Listing<SigningKeys.KeyInfo> rotateKeys(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		this.tenants.rotateKeys(tenantId);
		return new Listing<>(this.keys.list(tenantId), null);
	}

	private TenantView view(Tenant tenant) {
		return new TenantView(tenant.id(), tenant.displayName(), this.baseUrl.issuer(tenant.id()),
				tenant.signingAlgorithm().name(), tenant.effectiveTokenPolicy(), tenant.effectiveSessionPolicy(),
				tenant.createdAt(), tenant.updatedAt());
	}


}

package dev.foyer.admin;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;

/** Custom attributes a tenant declares for its accounts. Declaring them is a Tenant administrator's act. */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/attributes")
class AttributesApi {

	private final CustomAttributes attributes;

	private final AdminAccess access;

	AttributesApi(CustomAttributes attributes, AdminAccess access) {
		this.attributes = attributes;
		this.access = access;
	}

	@PostMapping
	ResponseEntity<CustomAttribute> declare(@PathVariable String tenantId, @RequestBody CustomAttributes.Declaration body) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		CustomAttribute declared = this.attributes.declare(tenantId, body);
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/attributes/" + declared.name()))
			.body(declared);
	}

	@GetMapping
	Listing<CustomAttribute> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return new Listing<>(this.attributes.list(tenantId), null);
	}

	@GetMapping("/{name}")
	CustomAttribute get(@PathVariable String tenantId, @PathVariable String name) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return this.attributes.get(tenantId, name);
	}

	@PatchMapping("/{name}")
	CustomAttribute update(@PathVariable String tenantId, @PathVariable String name,
			@RequestBody CustomAttributes.Declaration body) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		return this.attributes.update(tenantId, name, body);
	}

	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String name) {
		this.access.check(tenantId, AdminAccess.Area.TENANT_SETTINGS);
		this.attributes.delete(tenantId, name);
	}

}

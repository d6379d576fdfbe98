package dev.foyer.admin;

import java.net.URI;
import java.util.Map;

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

import dev.foyer.extension.CustomExtension;
import dev.foyer.extension.EventListener;
import dev.foyer.extension.ExtensionCalls;
import dev.foyer.extension.Extensions;

import tools.jackson.databind.JsonNode;

/**
 * Custom authentication extensions and the event listeners that attach them, with Microsoft Graph's request bodies
 * ({@code identity/customAuthenticationExtensions}, {@code identity/authenticationEventListeners}).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/identity")
class ExtensionsApi {

	private final Extensions extensions;

	private final AdminAccess access;

	private final ExtensionCalls calls;

	ExtensionsApi(Extensions extensions, AdminAccess access, ExtensionCalls calls) {
		this.extensions = extensions;
		this.access = access;
		this.calls = calls;
	}

	/** Sends the extension a sample request (a made-up person) and shows what came back, or how it failed. */
	@PostMapping("/customAuthenticationExtensions/{id}/test")
	ExtensionCalls.TestResult test(@PathVariable String tenantId, @PathVariable String id,
			@RequestBody(required = false) TestBody body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		CustomExtension extension = this.extensions.get(tenantId, id);
		String appId = body == null || body.appId() == null ? "00000000-0000-0000-0000-000000000000" : body.appId();
		return this.calls.test(extension, appId);
	}

	record TestBody(String appId) {
	}

	/** The extension's recorded calls, newest first ({@code limit} 1-200, default 50): outcome, codes, timing, no bodies. */
	@GetMapping("/customAuthenticationExtensions/{id}/calls")
	Listing<ExtensionCalls.Call> calls(@PathVariable String tenantId, @PathVariable String id,
			@org.springframework.web.bind.annotation.RequestParam(required = false) Integer limit) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.extensions.get(tenantId, id);
		dev.foyer.web.FieldChecks checks = new dev.foyer.web.FieldChecks();
		int size = checks.range("limit", limit, 1, 200, 50);
		checks.throwIfAny();
		return new Listing<>(this.calls.calls(tenantId, id, size), null);
	}

	@PostMapping("/customAuthenticationExtensions")
	ResponseEntity<Map<String, Object>> create(@PathVariable String tenantId, @RequestBody JsonNode body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		CustomExtension created = this.extensions.create(tenantId, body);
		return ResponseEntity
			.created(URI.create("/api/v1/tenants/" + tenantId + "/identity/customAuthenticationExtensions/" + created.id()))
			.body(Extensions.graph(created));
	}

	@GetMapping("/customAuthenticationExtensions")
	Listing<Map<String, Object>> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.extensions.list(tenantId).stream().map(Extensions::graph).toList(), null);
	}

	@GetMapping("/customAuthenticationExtensions/{id}")
	Map<String, Object> get(@PathVariable String tenantId, @PathVariable String id) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return Extensions.graph(this.extensions.get(tenantId, id));
	}

	@PatchMapping("/customAuthenticationExtensions/{id}")
	Map<String, Object> update(@PathVariable String tenantId, @PathVariable String id, @RequestBody JsonNode body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return Extensions.graph(this.extensions.update(tenantId, id, body));
	}

	@DeleteMapping("/customAuthenticationExtensions/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String id) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.extensions.delete(tenantId, id);
	}

	@PostMapping("/authenticationEventListeners")
	ResponseEntity<Map<String, Object>> createListener(@PathVariable String tenantId, @RequestBody JsonNode body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		var created = this.extensions.createListener(tenantId, body);
		return ResponseEntity
			.created(URI.create("/api/v1/tenants/" + tenantId + "/identity/authenticationEventListeners/" + created.id()))
			.body(Extensions.graph(created));
	}

	@GetMapping("/authenticationEventListeners")
	Listing<Map<String, Object>> listListeners(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.extensions.listeners(tenantId).stream().map(Extensions::graph).toList(), null);
	}

	@GetMapping("/authenticationEventListeners/{id}")
	Map<String, Object> getListener(@PathVariable String tenantId, @PathVariable String id) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return Extensions.graph(this.extensions.listener(tenantId, id));
	}

	@PatchMapping("/authenticationEventListeners/{id}")
	Map<String, Object> updateListener(@PathVariable String tenantId, @PathVariable String id, @RequestBody JsonNode body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return Extensions.graph(this.extensions.updateListener(tenantId, id, body));
	}

	@DeleteMapping("/authenticationEventListeners/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void deleteListener(@PathVariable String tenantId, @PathVariable String id) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.extensions.deleteListener(tenantId, id);
	}

}

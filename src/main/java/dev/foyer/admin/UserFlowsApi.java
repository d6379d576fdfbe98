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

import dev.foyer.userflow.UserFlow;
import dev.foyer.userflow.UserFlows;

/** Sign-up and sign-in user flows. An app is linked to one with {@code userFlowId} on the application. */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/userFlows")
class UserFlowsApi {

	private final UserFlows flows;

	private final AdminAccess access;

	UserFlowsApi(UserFlows flows, AdminAccess access) {
		this.flows = flows;
		this.access = access;
	}

	@PostMapping
	ResponseEntity<UserFlow> create(@PathVariable String tenantId, @RequestBody UserFlows.Definition body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		UserFlow flow = this.flows.create(tenantId, body);
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/userFlows/" + flow.id())).body(flow);
	}

	@GetMapping
	Listing<UserFlow> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.flows.list(tenantId), null);
	}

	@GetMapping("/{flowId}")
	UserFlow get(@PathVariable String tenantId, @PathVariable String flowId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return this.flows.get(tenantId, flowId);
	}

	@PatchMapping("/{flowId}")
	UserFlow update(@PathVariable String tenantId, @PathVariable String flowId, @RequestBody UserFlows.Definition body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return this.flows.update(tenantId, flowId, body);
	}

	@DeleteMapping("/{flowId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String flowId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.flows.delete(tenantId, flowId);
	}

}

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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.foyer.application.Application;
import dev.foyer.application.Applications;
import dev.foyer.application.ClientSecretInfo;
import dev.foyer.application.NewClientSecret;

@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/applications")
class ApplicationsApi {

	private final Applications applications;

	private final AdminAccess access;

	private final dev.foyer.application.AppRoleAssignments appRoleAssignments;

	ApplicationsApi(Applications applications, AdminAccess access,
			dev.foyer.application.AppRoleAssignments appRoleAssignments) {
		this.applications = applications;
		this.access = access;
		this.appRoleAssignments = appRoleAssignments;
	}

	/** A registration as answered to its creator: the secret appears here once and never again. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RegisteredView(String id, String clientId, String clientSecret, Instant clientSecretExpiresAt,
			String displayName, String type, List<String> redirectUris, List<String> postLogoutRedirectUris,
			Instant createdAt, Instant updatedAt) {
	}

	record SecretBody(String displayName, Integer expiresInDays) {
	}

	record SecretView(String id, String displayName, String hint, Instant expiresAt, Instant createdAt, String secret) {

		static SecretView of(NewClientSecret created) {
			ClientSecretInfo info = created.info();
			return new SecretView(info.id(), info.displayName(), info.hint(), info.expiresAt(), info.createdAt(),
					created.secret());
		}

	}

	@PostMapping
	ResponseEntity<RegisteredView> register(@PathVariable String tenantId, @RequestBody Applications.NewApplication body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		Applications.Registered registered = this.applications.register(tenantId, body);
		Application app = registered.application();
		NewClientSecret secret = registered.secret();
		RegisteredView view = new RegisteredView(app.id(), app.clientId(), secret == null ? null : secret.secret(),
				secret == null ? null : secret.info().expiresAt(), app.displayName(), app.type(), app.redirectUris(),
				app.postLogoutRedirectUris(), app.createdAt(), app.updatedAt());
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/applications/" + app.id())).body(view);
	}

	@GetMapping
	Listing<Application> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.applications.list(tenantId), null);
	}

	@GetMapping("/{applicationId}")
	Application get(@PathVariable String tenantId, @PathVariable String applicationId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return this.applications.get(tenantId, applicationId);
	}

	@PatchMapping("/{applicationId}")
	Application update(@PathVariable String tenantId, @PathVariable String applicationId,
			@RequestBody Applications.ApplicationChanges body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		return this.applications.update(tenantId, applicationId, body);
	}

	/** Gives one of the app's roles to a user, a group or a service app (Graph's appRoleAssignedTo). */
	@PostMapping("/{applicationId}/appRoleAssignedTo")
	ResponseEntity<dev.foyer.application.AppRoleAssignments.AppRoleAssignment> assignRole(@PathVariable String tenantId,
			@PathVariable String applicationId, @RequestBody AppRoleAssignmentBody body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		var assignment = this.appRoleAssignments.assign(tenantId, applicationId, body.principalType(), body.principalId(),
				body.appRoleId());
		return ResponseEntity.created(java.net.URI.create("/api/v1/tenants/" + tenantId + "/applications/" + applicationId
				+ "/appRoleAssignedTo/" + assignment.id())).body(assignment);
	}

	record AppRoleAssignmentBody(String principalId, String principalType, String appRoleId) {
	}

	@GetMapping("/{applicationId}/appRoleAssignedTo")
	Listing<dev.foyer.application.AppRoleAssignments.AppRoleAssignment> roleAssignments(@PathVariable String tenantId,
			@PathVariable String applicationId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.appRoleAssignments.list(tenantId, applicationId), null);
	}

	@DeleteMapping("/{applicationId}/appRoleAssignedTo/{assignmentId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unassignRole(@PathVariable String tenantId, @PathVariable String applicationId, @PathVariable String assignmentId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.appRoleAssignments.delete(tenantId, applicationId, assignmentId);
	}

	/** Entra's claims mapping policy definition, pasted as is; it replaces the app's claims mapping. */
	@org.springframework.web.bind.annotation.PutMapping("/{applicationId}/claimsMappingPolicy")
	Application putClaimsMappingPolicy(@PathVariable String tenantId, @PathVariable String applicationId,
			@RequestBody tools.jackson.databind.JsonNode body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		return this.applications.putClaimsMappingPolicy(tenantId, applicationId, body);
	}

	@DeleteMapping("/{applicationId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String applicationId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		this.applications.delete(tenantId, applicationId);
	}

	/**
	 * Revokes every token the app was given until now (Keycloak's "not before" of a client): its client_credentials
	 * tokens at introspection and the admin API, and its people's refresh and access tokens. For a leaked secret,
	 * together with replacing the secret.
	 */
	@PostMapping("/{applicationId}/revokeTokens")
	Application revokeTokens(@PathVariable String tenantId, @PathVariable String applicationId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		return this.applications.revokeTokens(tenantId, applicationId);
	}

	@PostMapping("/{applicationId}/secrets")
	ResponseEntity<SecretView> addSecret(@PathVariable String tenantId, @PathVariable String applicationId,
			@RequestBody(required = false) SecretBody body) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		SecretBody given = body == null ? new SecretBody(null, null) : body;
		NewClientSecret secret = this.applications.addSecret(tenantId, applicationId, given.displayName(),
				given.expiresInDays());
		return ResponseEntity.status(HttpStatus.CREATED).body(SecretView.of(secret));
	}

	@GetMapping("/{applicationId}/secrets")
	Listing<ClientSecretInfo> secrets(@PathVariable String tenantId, @PathVariable String applicationId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		return new Listing<>(this.applications.secrets(tenantId, applicationId), null);
	}

	@DeleteMapping("/{applicationId}/secrets/{secretId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeSecret(@PathVariable String tenantId, @PathVariable String applicationId, @PathVariable String secretId) {
		this.access.check(tenantId, AdminAccess.Area.APPLICATIONS);
		this.access.checkCanManage(tenantId, applicationId);
		this.applications.removeSecret(tenantId, applicationId, secretId);
	}

}

package dev.foyer.admin;

import java.util.Arrays;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.application.AppType;
import dev.foyer.application.Applications;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.DirectoryRole;
import dev.foyer.directory.RoleAssignment;
import dev.foyer.directory.RoleAssignments;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

/** Directory roles: held by admin accounts and service applications of the tenant. */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/roleAssignments")
class RoleAssignmentsApi {

	private static final List<String> ROLE_NAMES = Arrays.stream(DirectoryRole.values()).map(Enum::name).toList();

	private final RoleAssignments roles;

	private final Accounts accounts;

	private final Applications applications;

	private final AdminAccess access;

	RoleAssignmentsApi(RoleAssignments roles, Accounts accounts, Applications applications, AdminAccess access) {
		this.roles = roles;
		this.accounts = accounts;
		this.applications = applications;
		this.access = access;
	}

	record AssignmentBody(String principalId, String role) {
	}

	@GetMapping
	Listing<RoleAssignment> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.ROLES);
		return new Listing<>(this.roles.list(tenantId), null);
	}

	@PostMapping
	ResponseEntity<RoleAssignment> assign(@PathVariable String tenantId, @RequestBody AssignmentBody body) {
		this.access.check(tenantId, AdminAccess.Area.ROLES);
		FieldChecks checks = new FieldChecks();
		String role = checks.oneOf("role", body.role(), ROLE_NAMES, true);
		if (body.principalId() == null || body.principalId().isBlank()) {
			checks.problem("principalId", "is required");
		}
		checks.throwIfAny();
		if (DirectoryRole.GLOBAL_ADMINISTRATOR.name().equals(role)) {
			this.access.checkGlobal();
		}
		String principalType = principalType(tenantId, body.principalId());
		RoleAssignment assignment = this.roles.assign(tenantId, principalType, body.principalId(), DirectoryRole.valueOf(role));
		return ResponseEntity.status(HttpStatus.CREATED).body(assignment);
	}

	@DeleteMapping("/{principalId}/{role}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revoke(@PathVariable String tenantId, @PathVariable String principalId, @PathVariable String role) {
		this.access.check(tenantId, AdminAccess.Area.ROLES);
		if (!ROLE_NAMES.contains(role)) {
			throw ApiException.notFound("Role assignment");
		}
		if (DirectoryRole.GLOBAL_ADMINISTRATOR.name().equals(role)) {
			this.access.checkGlobal();
		}
		this.roles.revoke(tenantId, principalId, DirectoryRole.valueOf(role));
	}

	private String principalType(String tenantId, String principalId) {
		var account = this.accounts.find(tenantId, principalId);
		if (account.isPresent()) {
			if (account.get().accountType() != Account.AccountType.admin) {
				throw ApiException.invalid("principalId", "is a customer account; only admin accounts hold directory roles");
			}
			return RoleAssignments.USER;
		}
		var app = this.applications.find(tenantId, principalId);
		if (app.isPresent()) {
			if (app.get().appType() != AppType.service) {
				throw ApiException.invalid("principalId", "is not a service application; only those hold directory roles");
			}
			return RoleAssignments.APPLICATION;
		}
		throw ApiException.invalid("principalId", "is neither an admin account nor a service application of this tenant");
	}

}

package dev.foyer.directory;

import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.audit.AuditLog;
import dev.foyer.tenant.Tenant;
import dev.foyer.web.ApiException;

/**
 * Who holds which directory role in a tenant. Roles are read on every admin API call, so that revoking one
 * takes effect at once rather than when a token expires.
 */
@Service
public class RoleAssignments {

	public static final String USER = "user";

	public static final String APPLICATION = "application";

	private final JdbcClient jdbc;

	private final AuditLog audit;

	public RoleAssignments(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	public Set<DirectoryRole> rolesOf(String tenantId, String principalId) {
		Set<DirectoryRole> roles = EnumSet.noneOf(DirectoryRole.class);
		this.jdbc.sql("select role from role_assignment where tenant_id = ? and principal_id = ?")
			.params(tenantId, principalId)
			.query(String.class)
			.list()
			.forEach(role -> roles.add(DirectoryRole.valueOf(role)));
		return roles;
	}

	public List<RoleAssignment> list(String tenantId) {
		return this.jdbc.sql("select * from role_assignment where tenant_id = ? order by principal_id, role")
			.param(tenantId)
			.query((rs, n) -> new RoleAssignment(rs.getString("tenant_id"), rs.getString("principal_type"),
					rs.getString("principal_id"), DirectoryRole.valueOf(rs.getString("role")),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	// Without a Global administrator nobody could create tenants or repair the admin tenant.
	private void refuseRemovingTheLastGlobalAdministrator(String principalId) {
		int others = this.jdbc
			.sql("select count(*) from role_assignment where tenant_id = ? and role = ? and principal_id <> ?")
			.params(Tenant.ADMIN, DirectoryRole.GLOBAL_ADMINISTRATOR.name(), principalId)
			.query(Integer.class)
			.single();
		if (others == 0) {
			throw ApiException.conflict("This is the last Global administrator; assign the role to another principal first");
		}
	}

	/** The caller has established that the principal exists in the tenant and may hold roles. */
	@Transactional
	public RoleAssignment assign(String tenantId, String principalType, String principalId, DirectoryRole role) {
		if (role == DirectoryRole.GLOBAL_ADMINISTRATOR && !Tenant.ADMIN.equals(tenantId)) {
			throw ApiException.invalid("role", "GLOBAL_ADMINISTRATOR can only be held in the admin tenant");
		}
		if (rolesOf(tenantId, principalId).contains(role)) {
			throw ApiException.conflict("The principal already holds this role");
		}
		RoleAssignment assignment = new RoleAssignment(tenantId, principalType, principalId, role, Accounts.now());
		this.jdbc.sql("insert into role_assignment (tenant_id, principal_type, principal_id, role, created_at) values (?, ?, ?, ?, ?)")
			.params(tenantId, principalType, principalId, role.name(), Timestamp.from(assignment.createdAt()))
			.update();
		this.audit.record(tenantId, "role.assign", principalType, principalId, null, assignment);
		return assignment;
	}

	@Transactional
	public void revoke(String tenantId, String principalId, DirectoryRole role) {
		if (role == DirectoryRole.GLOBAL_ADMINISTRATOR) {
			refuseRemovingTheLastGlobalAdministrator(principalId);
		}
		int removed = this.jdbc.sql("delete from role_assignment where tenant_id = ? and principal_id = ? and role = ?")
			.params(tenantId, principalId, role.name())
			.update();
		if (removed == 0) {
			throw ApiException.notFound("Role assignment");
		}
		this.audit.record(tenantId, "role.revoke", "principal", principalId, java.util.Map.of("role", role.name()), null);
	}

	/** Drops every role of a principal that is being deleted, in the caller's transaction. */
	public void revokeAll(String tenantId, String principalId) {
		if (rolesOf(tenantId, principalId).contains(DirectoryRole.GLOBAL_ADMINISTRATOR)) {
			refuseRemovingTheLastGlobalAdministrator(principalId);
		}
		this.jdbc.sql("delete from role_assignment where tenant_id = ? and principal_id = ?").params(tenantId, principalId).update();
	}

}

package dev.foyer.application;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.audit.AuditLog;
import dev.foyer.web.ApiException;

/**
 * Who holds an application's roles: users, security groups (their members hold the role) and service applications,
 * in Graph's terms ({@code principalType} {@code User}, {@code Group}, {@code ServicePrincipal}).
 */
@Service
public class AppRoleAssignments {

	/** Graph's principal types and the member type a role must allow for them. */
	private static final Map<String, String> MEMBER_TYPES = Map.of("User", "User", "Group", "User", "ServicePrincipal",
			"Application");

	private final JdbcClient jdbc;

	private final Applications applications;

	private final AuditLog audit;

	public AppRoleAssignments(JdbcClient jdbc, Applications applications, AuditLog audit) {
		this.jdbc = jdbc;
		this.applications = applications;
		this.audit = audit;
	}

	/** One assignment, as Graph shows it ({@code resourceId} is the application's id). */
	public record AppRoleAssignment(String id, String resourceId, String appRoleId, String principalType,
			String principalId, Instant createdDateTime) {
	}

	@Transactional
	public AppRoleAssignment assign(String tenantId, String applicationId, String principalType, String principalId,
			String appRoleId) {
		Application app = this.applications.get(tenantId, applicationId);
		String memberType = principalType == null ? null : MEMBER_TYPES.get(principalType);
		if (memberType == null) {
			throw ApiException.invalid("principalType", "must be User, Group or ServicePrincipal");
		}
		AppRole role = app.appRoles().stream()
			.filter(r -> r.id().equals(appRoleId))
			.findFirst()
			.orElseThrow(() -> ApiException.invalid("appRoleId", "is not a role of this application"));
		if (!role.allows(memberType)) {
			throw ApiException.invalid("appRoleId", "role '" + role.value() + "' does not allow " + memberType + " members");
		}
		String table = switch (principalType) {
			case "User" -> "account";
			case "Group" -> "security_group";
			default -> "application";
		};
		if (principalId == null || this.jdbc.sql("select count(*) from " + table + " where tenant_id = ? and id = ?")
			.params(tenantId, principalId).query(Long.class).single() == 0) {
			throw ApiException.invalid("principalId", "is not a " + principalType + " of this tenant");
		}
		if (this.jdbc.sql("""
				select count(*) from app_role_assignment where tenant_id = ? and application_id = ? and app_role_id = ?
				and principal_type = ? and principal_id = ?""")
			.params(tenantId, applicationId, appRoleId, principalType, principalId).query(Long.class).single() > 0) {
			throw ApiException.conflict("This principal already holds this role");
		}
		AppRoleAssignment assignment = new AppRoleAssignment(UUID.randomUUID().toString(), applicationId, appRoleId,
				principalType, principalId, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
		this.jdbc.sql("""
				insert into app_role_assignment (id, tenant_id, application_id, app_role_id, principal_type, principal_id, created_at)
				values (?, ?, ?, ?, ?, ?, ?)""")
			.params(assignment.id(), tenantId, applicationId, appRoleId, principalType, principalId,
					Timestamp.from(assignment.createdDateTime()))
			.update();
		this.audit.record(tenantId, "appRoleAssignment.create", "application", applicationId, null, assignment);
		if ("ServicePrincipal".equals(principalType)) {
			this.applications.forgetApplication(tenantId, principalId);
		}
		return assignment;
	}

	public List<AppRoleAssignment> list(String tenantId, String applicationId) {
		this.applications.get(tenantId, applicationId);
		return this.jdbc.sql("""
				select * from app_role_assignment where tenant_id = ? and application_id = ? order by created_at, id""")
			.params(tenantId, applicationId)
			.query((rs, n) -> new AppRoleAssignment(rs.getString("id"), rs.getString("application_id"),
					rs.getString("app_role_id"), rs.getString("principal_type"), rs.getString("principal_id"),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	@Transactional
	public void delete(String tenantId, String applicationId, String assignmentId) {
		AppRoleAssignment before = list(tenantId, applicationId).stream()
			.filter(a -> a.id().equals(assignmentId))
			.findFirst()
			.orElseThrow(() -> ApiException.notFound("App role assignment"));
		this.jdbc.sql("delete from app_role_assignment where tenant_id = ? and id = ?").params(tenantId, assignmentId).update();
		this.audit.record(tenantId, "appRoleAssignment.delete", "application", applicationId, before, null);
		if ("ServicePrincipal".equals(before.principalType())) {
			this.applications.forgetApplication(tenantId, before.principalId());
		}
	}

	/**
	 * The values of the resource's enabled application roles that the calling service holds, from the two in-memory
	 * clients alone: the client_credentials path reads nothing.
	 */
	public static List<String> roleValuesOfService(Client caller, Client resource) {
		String resourceClientId = resource.application().clientId();
		List<String> held = caller.heldRoles().stream()
			.filter(h -> h.resourceClientId().equals(resourceClientId))
			.map(Client.HeldRole::appRoleId)
			.toList();
		return resource.application().appRoles().stream()
			.filter(r -> r.enabled() && r.allows("Application") && held.contains(r.id()))
			.map(AppRole::value)
			.toList();
	}

	/**
	 * The values of the app's enabled roles that a person holds, directly or through a security group, for the
	 * {@code roles} claim.
	 */
	public List<String> roleValuesOfAccount(String tenantId, Application app, String accountId) {
		if (app.appRoles().isEmpty()) {
			return List.of();
		}
		List<String> held = this.jdbc.sql("""
				select a.app_role_id from app_role_assignment a
				where a.tenant_id = :tenant and a.application_id = :app and (
				  (a.principal_type = 'User' and a.principal_id = :account)
				  or (a.principal_type = 'Group' and a.principal_id in
				      (select m.group_id from group_member m where m.tenant_id = :tenant and m.account_id = :account)))""")
			.param("tenant", tenantId)
			.param("app", app.id())
			.param("account", accountId)
			.query(String.class)
			.list();
		return app.appRoles().stream()
			.filter(r -> r.enabled() && r.allows("User") && held.contains(r.id()))
			.map(AppRole::value)
			.toList();
	}

}
